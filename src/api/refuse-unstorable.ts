import type { Problem } from '../errors.js';
import { holdsUnstorable } from '../util/storable-text.js';

/**
 * Text Herald can store on every database. PostgreSQL refuses NUL (U+0000) in text, and a UTF-16 surrogate
 * without its pair has no UTF-8 form, so drivers of both databases would replace it silently. Rather than store
 * one request differently on each database, such strings are refused wherever a request carries them: body
 * (keys and values, at any depth, event `data` included), query string and path.
 */

export const UNSTORABLE_MESSAGE = 'must not contain NUL (\\u0000) or an unpaired UTF-16 surrogate';

function pointer(path: string, token: string | number): string {
  return `${path}/${String(token).replaceAll('~', '~0').replaceAll('/', '~1')}`;
}

function problemAt(path: string, what: 'key' | 'value'): Problem {
  return { path, message: what === 'key' ? `key ${UNSTORABLE_MESSAGE}` : UNSTORABLE_MESSAGE };
}

/** The first place in `value` holding text no database can keep as given, as a JSON pointer under `path`. */
export function unstorableText(value: unknown, path = ''): Problem | null {
  if (typeof value === 'string') return holdsUnstorable(value) ? problemAt(path, 'value') : null;
  if (value === null || typeof value !== 'object') return null;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const p = unstorableText(value[i], pointer(path, i));
      if (p) return p;
    }
    return null;
  }
  for (const [key, item] of Object.entries(value)) {
    const at = pointer(path, key);
    if (holdsUnstorable(key)) return problemAt(at, 'key');
    const p = unstorableText(item, at);
    if (p) return p;
  }
  return null;
}

/**
 * Whether JSON text may decode to unstorable strings. Decoded as strict UTF-8 and parsed as JSON, a body can
 * only spell NUL or a lone surrogate as a `\u` escape, so a body without one needs no walk.
 */
export function mayHoldUnstorableText(json: string): boolean {
  return json.includes('\\u');
}
