/**
 * Failed callback authentications per client address, in fixed windows. An address that failed `max` times in
 * its window is refused (429) until the window ends, before any credential is looked up. Memory is bounded:
 * at most `capacity` addresses are tracked; when full, ended windows are dropped first, then the oldest.
 */
export interface AuthFailureLimits {
  max: number;
  windowMs: number;
  capacity?: number;
  now?: () => number;
}

interface Window {
  failures: number;
  endsAt: number;
}

export function makeAuthFailureLimiter({ max, windowMs, capacity = 10_000, now = Date.now }: AuthFailureLimits) {
  const windows = new Map<string, Window>();

  function makeRoom(t: number): void {
    for (const [address, w] of windows) if (w.endsAt <= t) windows.delete(address);
    while (windows.size >= capacity) windows.delete(windows.keys().next().value!);
  }

  return {
    /** Milliseconds until `address` may try again; 0 when it may now. */
    blockedFor(address: string): number {
      const w = windows.get(address);
      if (!w) return 0;
      const t = now();
      if (w.endsAt <= t) {
        windows.delete(address);
        return 0;
      }
      return w.failures >= max ? w.endsAt - t : 0;
    },
    /** Records a failure of `address`. */
    fail(address: string): void {
      const t = now();
      const w = windows.get(address);
      if (w && w.endsAt > t) {
        w.failures++;
        return;
      }
      if (w) windows.delete(address);
      else if (windows.size >= capacity) makeRoom(t);
      windows.set(address, { failures: 1, endsAt: t + windowMs });
    },
    get size(): number {
      return windows.size;
    },
  };
}

export type AuthFailureLimiter = ReturnType<typeof makeAuthFailureLimiter>;
