/**
 * How long an idempotency key is remembered: publishing the same key again within it returns the first
 * message; retention deletes the key once it has passed, after which the key is new again.
 */
export const IDEMPOTENCY_WINDOW_MS = 24 * 3600 * 1000;
