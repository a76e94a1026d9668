import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * Compares secrets (admin token, callback keys) without leaking where they differ. Comparing fixed-size digests
 * rather than the strings themselves means the length of the expected secret does not leak either.
 */
export function safeEqual(a: string, b: string): boolean {
  return timingSafeEqual(sha256(a), sha256(b));
}

/** Callback keys are stored only as this hash: a database dump must not let anyone post incoming messages. */
export function hashCallbackKey(key: string): string {
  return sha256(key).toString('hex');
}

function sha256(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}
