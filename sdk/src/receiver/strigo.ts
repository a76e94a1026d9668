import { WebhookVerificationError } from './errors.js';
import { constantTimeEqual, header, parseJsonObject, type HeaderSource, type RawBody } from './wire.js';

/** What a strigo endpoint receives. `status` carries the event's action; `callback` is where to report back. */
export interface StrigoMessage {
  message_id: string;
  type: string;
  status: string;
  entity_ids: string[];
  timestamp: string;
  context: Record<string, unknown>;
  callback: string;
}

/**
 * Verifies a strigo request's `Authorization: Bearer <user>:<key>` (the endpoint's `auth`), in constant time.
 * Given the raw body too, returns the parsed message. A strigo endpoint with a `secret` is also signed the
 * Standard Webhooks way: check that with verifyStandard over the same body.
 */
export function verifyStrigo(user: string, key: string, headers: HeaderSource): void;
export function verifyStrigo(user: string, key: string, headers: HeaderSource, rawBody: RawBody): StrigoMessage;
export function verifyStrigo(user: string, key: string, headers: HeaderSource, rawBody?: RawBody): StrigoMessage | void {
  if (!user || !key) throw new WebhookVerificationError('bad_secret', 'the expected user and key must both be given');
  const auth = header(headers, 'authorization');
  if (auth === undefined || auth === '') throw new WebhookVerificationError('missing_header', 'missing Authorization header');
  const m = /^Bearer\s+(.*)$/i.exec(auth.trim());
  if (!m || !constantTimeEqual(m[1]!, `${user}:${key}`)) throw new WebhookVerificationError('bad_credentials', 'Authorization does not carry the expected Bearer <user>:<key>');
  if (rawBody === undefined) return;

  const body = parseJsonObject(rawBody);
  for (const field of ['message_id', 'type', 'status', 'timestamp', 'callback'] as const) {
    if (typeof body[field] !== 'string') throw new WebhookVerificationError('malformed_body', `strigo message has no string ${field}`);
  }
  if (!Array.isArray(body.entity_ids)) throw new WebhookVerificationError('malformed_body', 'strigo message has no entity_ids list');
  return body as unknown as StrigoMessage;
}
