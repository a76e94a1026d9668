import { storableBytes, storableText } from '../util/storable-text.js';
import { maskHeader } from './mask.js';

/**
 * What the attempt log keeps of a receiver's response headers: the first ones it sent, each cut short, masked
 * like the request's headers, as JSON text both stores accept. Built in the send thread, so only this bounded
 * text crosses to the dispatcher, whatever the receiver sent.
 */

export const MAX_KEPT_HEADERS = 50;
export const MAX_HEADER_NAME_CHARS = 100;
export const MAX_HEADER_VALUE_CHARS = 500;
/** Of the stored JSON text, in UTF-8 bytes. */
export const MAX_KEPT_HEADERS_BYTES = 8 * 1024;

/** As undici hands them over: names lower-cased, repeated headers as arrays, every byte read as latin1. */
export type ReceivedHeaders = Record<string, string | string[] | undefined>;

const CUT = '\u2026';
const NOT_ASCII = /[^\x00-\x7f]/;

/**
 * A header's text as the receiver meant it: its bytes read as UTF-8 (an invalid sequence becomes U+FFFD, as in a
 * response excerpt), NUL replaced, at most `max` UTF-16 units, a cut one ending in `…`.
 */
function headerText(latin1: string, max: number): string {
  const text = NOT_ASCII.test(latin1) ? storableBytes(Buffer.from(latin1, 'latin1'), Infinity) : storableText(latin1);
  if (text.length <= max) return text;
  let end = max - 1;
  // Never half a surrogate pair.
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end--;
  return text.slice(0, end) + CUT;
}

/**
 * The kept headers as a JSON object's text, in the order they arrived. Headers past the count or the byte bound
 * are left out; a name that, cut short, repeats an earlier one is left out too. `redact` masks what a receiver
 * echoes of the credentials it was sent.
 */
export function keptResponseHeaders(headers: ReceivedHeaders, redact: (text: string) => string): string {
  const entries: string[] = [];
  const names = new Set<string>();
  let bytes = 2;
  for (const received in headers) {
    if (entries.length >= MAX_KEPT_HEADERS) break;
    const raw = headers[received];
    if (raw === undefined) continue;
    const name = headerText(received, MAX_HEADER_NAME_CHARS);
    if (names.has(name)) continue;
    const value = redact(maskHeader(name, headerText(Array.isArray(raw) ? raw.join(', ') : raw, MAX_HEADER_VALUE_CHARS)));
    const entry = `${JSON.stringify(redact(name))}:${JSON.stringify(value)}`;
    const size = Buffer.byteLength(entry) + (entries.length > 0 ? 1 : 0);
    if (bytes + size > MAX_KEPT_HEADERS_BYTES) break;
    bytes += size;
    names.add(name);
    entries.push(entry);
  }
  return `{${entries.join(',')}}`;
}
