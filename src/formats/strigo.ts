import { withExtraHeaders } from './headers.js';
import { standardSignatureHeader } from './signing.js';
import type { RenderedRequest, RenderInput } from './types.js';

/**
 * Strigo's outgoing message (seed 001). `status` carries the event's action; `context` is the published
 * data, as published. Key order is part of the wire format receivers have seen, so the object is built literally.
 */
export function renderStrigo(input: RenderInput): RenderedRequest {
  const { message, endpoint } = input;
  // `context` is spliced in as published text, so its numbers, key order and escapes arrive unchanged.
  const body =
    `{"message_id":${JSON.stringify(message.id)},"type":${JSON.stringify(message.type)},"status":${JSON.stringify(message.action)}` +
    `,"entity_ids":${JSON.stringify(message.entityIds)},"timestamp":${JSON.stringify(message.timestamp)}` +
    `,"context":${message.dataJson},"callback":${JSON.stringify(input.callbackUrl)}}`;

  const base: Record<string, string> = {
    'Content-Type': 'application/json',
    Accept: 'application/json',
  };
  if (endpoint.auth) base.Authorization = `Bearer ${endpoint.auth.user}:${endpoint.auth.key}`;

  const headers = withExtraHeaders(base, endpoint.headers);
  if (endpoint.secrets.length > 0) {
    headers['webhook-id'] = message.id;
    headers['webhook-timestamp'] = String(input.nowSeconds);
    headers['webhook-signature'] = standardSignatureHeader(endpoint.secrets, message.id, input.nowSeconds, body);
  }
  return { headers, body };
}
