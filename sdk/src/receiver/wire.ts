import { createHash, timingSafeEqual } from 'node:crypto';
import { WebhookVerificationError } from './errors.js';

/** Request headers as any Node server or fetch handler holds them. */
export type HeaderSource = Headers | Record<string, string | string[] | undefined>;

/** The raw body: the exact bytes that arrived, before any JSON parsing (a re-serialised body will not verify). */
export type RawBody = string | Uint8Array;

export function header(headers: HeaderSource, name: string): string | undefined {
  if (typeof (headers as Headers).get === 'function') return (headers as Headers).get(name) ?? undefined;
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(headers as Record<string, string | string[] | undefined>)) {
    if (key.toLowerCase() === wanted) return Array.isArray(value) ? value.join(', ') : value;
  }
  return undefined;
}

export function requireHeader(headers: HeaderSource, name: string): string {
  const value = header(headers, name);
  if (value === undefined || value === '') throw new WebhookVerificationError('missing_header', `missing ${name} header`);
  return value;
}

export function bodyBytes(body: RawBody): Buffer {
  return typeof body === 'string' ? Buffer.from(body, 'utf8') : Buffer.from(body.buffer, body.byteOffset, body.byteLength);
}

/** Equal in time that depends on neither value: both sides are hashed first, so lengths leak nothing either. */
export function constantTimeEqual(a: Uint8Array | string, b: Uint8Array | string): boolean {
  const ha = createHash('sha256').update(a).digest();
  const hb = createHash('sha256').update(b).digest();
  return timingSafeEqual(ha, hb);
}

export function parseJsonObject(body: RawBody): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(bodyBytes(body).toString('utf8'));
  } catch (e) {
    throw new WebhookVerificationError('malformed_body', `body is not JSON: ${(e as Error).message}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new WebhookVerificationError('malformed_body', 'body is not a JSON object');
  return value as Record<string, unknown>;
}
