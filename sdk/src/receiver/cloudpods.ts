import { createHmac } from 'node:crypto';
import { WebhookVerificationError } from './errors.js';
import { bodyBytes, constantTimeEqual, header, parseJsonObject, requireHeader, type HeaderSource, type RawBody } from './wire.js';

/** The message a cloudpods robot receives without templates: action and resource type lower-case. */
export interface CloudpodsMessage {
  action: string;
  resource_type: string;
  resource_details: Record<string, unknown>;
  result: 'succeed' | 'failed';
}

export interface CloudpodsEvent {
  /** X-Yunion-Event: the event key (`SERVER/CREATE`), or `VALIDATE` for the call made when the robot is set up. */
  event: string | null;
  requestId: string | null;
  /** The validation call Herald makes when the endpoint is created or its URL changes: answer it 2xx. */
  validation: boolean;
  /** The message, when the body carries one (not with `use_template`, where `text` holds the rendered text). */
  message: CloudpodsMessage | null;
  /** The text under `msg_key` when it is not the message itself: a rendered template or the validation text. */
  text: string | null;
  /** The whole body, extra keys included. */
  body: Record<string, unknown>;
}

export interface CloudpodsOptions {
  /** The endpoint's `msg_key` (`Msg` by default). */
  msgKey?: string;
}

/**
 * Verifies a cloudpods request: X-Auth-Token is hex(HMAC-SHA256(secret, body)), the secret's own UTF-8 bytes as
 * the key. `secret` may be a list (old and new while a rotation rolls); the token must match one of them.
 */
export function verifyCloudpods(secret: string | readonly string[], headers: HeaderSource, rawBody: RawBody, options: CloudpodsOptions = {}): CloudpodsEvent {
  const secrets = typeof secret === 'string' ? [secret] : [...secret];
  if (secrets.length === 0 || secrets.some((s) => s.length === 0)) throw new WebhookVerificationError('bad_secret', 'no signing secret given');
  const token = requireHeader(headers, 'x-auth-token').trim().toLowerCase();
  const body = bodyBytes(rawBody);
  let matched = false;
  for (const s of secrets) {
    if (constantTimeEqual(token, createHmac('sha256', Buffer.from(s, 'utf8')).update(body).digest('hex'))) matched = true;
  }
  if (!matched) throw new WebhookVerificationError('bad_signature', 'X-Auth-Token does not match the body under the given secret(s)');

  const parsed = parseJsonObject(body);
  const event = header(headers, 'x-yunion-event') ?? null;
  const msgKey = options.msgKey ?? 'Msg';
  const underKey = parsed[msgKey];
  const isMessage = typeof parsed.action === 'string' && typeof parsed.resource_type === 'string';
  const message: CloudpodsMessage | null = isMessage
    ? {
        action: parsed.action as string,
        resource_type: parsed.resource_type as string,
        resource_details: (parsed.resource_details ?? {}) as Record<string, unknown>,
        result: parsed.result as CloudpodsMessage['result'],
      }
    : null;
  return {
    event,
    requestId: header(headers, 'x-request-id') ?? null,
    validation: event === 'VALIDATE',
    message,
    text: !isMessage && typeof underKey === 'string' ? underKey : null,
    body: parsed,
  };
}

