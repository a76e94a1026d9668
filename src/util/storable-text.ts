/**
 * Text that both stores accept, whoever wrote it. PostgreSQL refuses NUL in a text value (and `\u0000` or a lone
 * surrogate escape inside JSON it unpacks); SQLite would store them, and then the same data could not move to
 * PostgreSQL. So every text that may carry a receiver's bytes (a response excerpt, an error message) is stored
 * with these REPLACED, never escaped, by U+FFFD (the Unicode replacement character): a NUL, an invalid UTF-8
 * sequence (as the WHATWG decoder splits it), and a lone UTF-16 surrogate. Replacing keeps the text readable and
 * the same length in characters; an escape like `\0` could not be told apart from a receiver that sent those
 * two characters.
 */
export const REPLACEMENT = '\uFFFD';

// A NUL, or a surrogate half without its other half.
const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const ANY_SUSPECT = /[\u0000\uD800-\uDFFF]/;

/** Whether `text` holds a NUL or a lone surrogate: what requests may not carry (the API refuses it) and stored text is cleaned of. */
export function holdsUnstorable(text: string): boolean {
  if (!ANY_SUSPECT.test(text)) return false;
  UNSTORABLE.lastIndex = 0;
  return UNSTORABLE.test(text);
}

/** `text` with NULs and lone surrogates replaced, cut to at most `maxBytes` bytes of UTF-8 on a character boundary. */
export function storableText(text: string, maxBytes = Infinity): string {
  // Most texts hold none of these: one plain scan, no copy.
  const clean = ANY_SUSPECT.test(text) ? text.replace(UNSTORABLE, REPLACEMENT) : text;
  // Three bytes per UTF-16 unit at most: a text this short cannot be over the bound.
  if (clean.length * 3 <= maxBytes) return clean;
  const bytes = Buffer.from(clean, 'utf8');
  if (bytes.length <= maxBytes) return clean;
  let end = maxBytes;
  // Back off to the start of the character the bound falls in (continuation bytes are 10xxxxxx).
  while (end > 0 && (bytes[end]! & 0xc0) === 0x80) end--;
  return bytes.toString('utf8', 0, end);
}

/** The UTF-8 text of `bytes` (invalid sequences replaced), storable and at most `maxBytes` bytes long. */
export function storableBytes(bytes: Buffer, maxBytes: number): string {
  // Every input byte becomes at least one output byte, so the first `maxBytes` are enough; a cut that splits a
  // character at the end is moved back, so it is not mistaken for an invalid sequence.
  let end = Math.min(bytes.length, maxBytes);
  if (end < bytes.length) {
    let start = end;
    while (start > 0 && end - start < 4 && (bytes[start]! & 0xc0) === 0x80) start--;
    if (start < end && leadLength(bytes[start]!) > end - start) end = start;
  }
  return storableText(bytes.toString('utf8', 0, end), maxBytes);
}

function leadLength(byte: number): number {
  if (byte >= 0xf0) return 4;
  if (byte >= 0xe0) return 3;
  if (byte >= 0xc0) return 2;
  return 1;
}

/**
 * The last resort for a text the store refused even after `storableText`: printable ASCII only, everything else
 * as a `\uXXXX` escape (a JSON string's escapes). Any database encoding accepts it.
 */
export function asciiText(text: string, maxBytes = Infinity): string {
  const out = storableText(text).replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  // A cut never leaves half an escape behind.
  return out.length > maxBytes ? out.slice(0, maxBytes).replace(/\\u[0-9a-f]{0,3}$|\\$/, '') : out;
}
