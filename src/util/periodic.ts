/**
 * A background job that runs every `everyMs`, one pass at a time: the next pass is scheduled only when the
 * previous one has ended, so a slow pass never overlaps the next. A failed pass is reported and the job goes on.
 * `stop` waits for a pass in progress to end.
 */
export function makePeriodic(everyMs: number, pass: () => Promise<unknown>, onError: (e: unknown) => void) {
  let timer: NodeJS.Timeout | null = null;
  let running = false;
  let current: Promise<unknown> = Promise.resolve();

  function schedule(): void {
    if (!running) return;
    timer = setTimeout(() => {
      current = pass().catch(onError).finally(schedule);
    }, everyMs);
    // Background housekeeping must not keep a process alive on its own.
    timer.unref();
  }

  return {
    start(): void {
      if (running) return;
      running = true;
      schedule();
    },
    async stop(): Promise<void> {
      running = false;
      if (timer) clearTimeout(timer);
      await current;
    },
  };
}
