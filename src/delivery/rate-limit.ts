/**
 * Per-endpoint `rate_limit` (deliveries per second) as token buckets, one per endpoint, in this worker.
 *
 * A bucket holds at most `rate` tokens and refills at `rate` per second, so an idle endpoint may take a burst of
 * one second's worth and is then held to its rate. Each worker keeps its own buckets: with N workers an endpoint
 * may receive up to N times its limit, which is the price of not coordinating through the store on every send.
 * Pure apart from the clock, which is an argument.
 */
interface Bucket {
  tokens: number;
  at: number;
  rate: number;
}

export interface RateLimiter {
  /** Takes one token when the endpoint may send now; always true when it has no limit. */
  take(endpointId: string, rate: number | null): boolean;
  /** Milliseconds until a token is available (0 when one is, or when there is no limit). */
  waitMs(endpointId: string, rate: number | null): number;
}

export function makeRateLimiter(now: () => number): RateLimiter {
  const buckets = new Map<string, Bucket>();

  function refill(id: string, rate: number): Bucket {
    const t = now();
    let b = buckets.get(id);
    if (!b || b.rate !== rate) {
      // A changed limit starts from a full bucket of the new size rather than carrying a stale balance.
      b = { tokens: rate, at: t, rate };
      buckets.set(id, b);
      return b;
    }
    b.tokens = Math.min(rate, b.tokens + ((t - b.at) * rate) / 1000);
    b.at = t;
    return b;
  }

  return {
    take(id, rate) {
      if (rate === null || rate <= 0) return true;
      const b = refill(id, rate);
      if (b.tokens < 1) return false;
      b.tokens -= 1;
      return true;
    },
    waitMs(id, rate) {
      if (rate === null || rate <= 0) return 0;
      const b = refill(id, rate);
      return b.tokens >= 1 ? 0 : Math.ceil(((1 - b.tokens) * 1000) / rate);
    },
  };
}
