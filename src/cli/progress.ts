/**
 * A progress bar on stderr. It draws only on a terminal: in a pipe or a CI log the redraws would be noise, so
 * there it stays silent and the command's final summary says what happened.
 */
export interface Progress {
  update(done: number, total?: number): void;
  /** Clears the bar so the summary that follows starts on a clean line. */
  stop(): void;
}

export function makeProgress(label: string, total: number, stream: NodeJS.WriteStream = process.stderr): Progress {
  if (!stream.isTTY) return { update() {}, stop() {} };
  const started = Date.now();
  let last = 0;
  let drawn = false;
  let done = 0;
  const draw = () => {
    const width = Math.max(10, Math.min(40, (stream.columns ?? 80) - label.length - 40));
    const ratio = total > 0 ? Math.min(1, done / total) : 0;
    const filled = Math.round(ratio * width);
    const elapsed = (Date.now() - started) / 1000;
    const eta = ratio > 0 && ratio < 1 ? ` eta ${Math.ceil((elapsed / ratio) * (1 - ratio))}s` : '';
    stream.write(`\r${label} [${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${done}/${total} ${Math.floor(ratio * 100)}%${eta}\x1b[K`);
    drawn = true;
  };
  return {
    update(n, t) {
      done = n;
      if (t !== undefined) total = t;
      const now = Date.now();
      // At most ten redraws a second, but always the last one, so the bar never stops short of 100%.
      if (now - last < 100 && done < total) return;
      last = now;
      draw();
    },
    stop() {
      if (drawn) stream.write('\r\x1b[K');
    },
  };
}
