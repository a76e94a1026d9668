import { createHmac, timingSafeEqual } from 'node:crypto';
import { WebhookVerificationError } from './errors.js';
import { bodyBytes, parseJsonObject, requireHeader, type HeaderSource, type RawBody } from './wire.js';

/** What a `standard` endpoint receives: `type` is `<TYPE>.<action>`, with `.failed` appended for a failed result. */
export interface StandardEvent {
  /** webhook-id: the message id, the same on every retry, so use it to de-duplicate. */
  id: string;
  /** webhook-timestamp of this attempt, Unix seconds. */
  attemptedAt: number;
  type: string;
  /** When Herald accepted the event (ISO-8601). */
  timestamp: string;
  data: { entity_ids: string[] } & Record<string, unknown>;
}

export interface StandardOptions {
  /** How far webhook-timestamp may be from now, either way; 300 s by default, as the specification suggests. */
  toleranceSeconds?: number;
  /** Now, in Unix seconds (for tests and replays). */
  nowSeconds?: number;
}

function hmacKey(secret: string): Buffer {
  const encoded = secret.startsWith('whsec_') ? secret.slice('whsec_'.length) : secret;
  const key = Buffer.from(encoded, 'base64');
  if (key.length === 0) throw new WebhookVerificationError('bad_secret', 'the signing secret is empty or not base64 (expected whsec_<base64>)');
  return key;
}

/**
 * Verifies a Standard Webhooks request (webhook-id, webhook-timestamp, webhook-signature) and returns the event.
 * Rotation-aware twice over: Herald signs with every live secret (space-separated `v1,` entries), and `secret`
 * may be a list, so a receiver holding either the old or the new secret keeps verifying while a rotation rolls.
 */
export function verifyStandard(secret: string | readonly string[], headers: HeaderSource, rawBody: RawBody, options: StandardOptions = {}): StandardEvent {
  const secrets = typeof secret === 'string' ? [secret] : [...secret];
  if (secrets.length === 0) throw new WebhookVerificationError('bad_secret', 'no signing secret given');
  const id = requireHeader(headers, 'webhook-id');
  const timestampText = requireHeader(headers, 'webhook-timestamp');
  const signatures = requireHeader(headers, 'webhook-signature');

  if (!/^\d{1,12}$/.test(timestampText.trim())) throw new WebhookVerificationError('bad_timestamp', `webhook-timestamp ${JSON.stringify(timestampText)} is not Unix seconds`);
  const timestamp = Number(timestampText.trim());
  const now = options.nowSeconds ?? Math.floor(Date.now() / 1000);
  const tolerance = options.toleranceSeconds ?? 300;
  if (timestamp < now - tolerance) throw new WebhookVerificationError('timestamp_too_old', `webhook-timestamp is ${now - timestamp} s old, more than the ${tolerance} s allowed (a replay?)`);
  if (timestamp > now + tolerance) throw new WebhookVerificationError('timestamp_too_new', `webhook-timestamp is ${timestamp - now} s in the future, more than the ${tolerance} s allowed`);

  const body = bodyBytes(rawBody);
  const signed = Buffer.concat([Buffer.from(`${id}.${timestampText}.`, 'utf8'), body]);
  const expected = secrets.map((s) => createHmac('sha256', hmacKey(s)).update(signed).digest());
  const given = signatures
    .split(' ')
    .filter((entry) => entry.startsWith('v1,'))
    .map((entry) => Buffer.from(entry.slice(3), 'base64'));
  let matched = false;
  // Every pair is compared, so the time taken says nothing about which one matched.
  for (const g of given) {
    for (const e of expected) {
      if (g.length === e.length && timingSafeEqual(g, e)) matched = true;
    }
  }
  if (!matched) throw new WebhookVerificationError('bad_signature', 'no webhook-signature entry matches the body under the given secret(s)');

  const event = parseJsonObject(body);
  const data = event.data as StandardEvent['data'] | undefined;
  if (typeof event.type !== 'string' || typeof data !== 'object' || data === null) {
    throw new WebhookVerificationError('malformed_body', 'body is not a Standard Webhooks event: expected {type, timestamp, data}');
  }
  return { id, attemptedAt: timestamp, type: event.type, timestamp: String(event.timestamp ?? ''), data };
}
