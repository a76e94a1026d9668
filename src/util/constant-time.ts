import { hash, timingSafeEqual } from 'node:crypto';

/**
 * Compares secrets (admin token, callback keys) without leaking where they differ. Comparing fixed-size digests
 * rather than the strings themselves means the length of the expected secret does not leak either.
 */
export function safeEqual(a: string, b: string): boolean {
  return timingSafeEqual(sha256(a), sha256(b));
}

/** Callback keys are stored only as this hash: a database dump must not let anyone post incoming messages. */
export function hashCallbackKey(key: string): string {
  return hash('sha256', key, 'hex');
}

/**
 * Whether `key` hashes to `storedHash` (a hashCallbackKey result), in constant time. Both sides are digests of
 * one size already, so they are compared as they are, without hashing them again.
 */
export function callbackKeyMatches(key: string, storedHash: string): boolean {
  const presented = hash('sha256', key, 'buffer');
  const stored = Buffer.from(storedHash, 'hex');
  return stored.length === presented.length && timingSafeEqual(presented, stored);
}

function sha256(text: string): Buffer {
  return hash('sha256', text, 'buffer');
}
