import { objectMembers } from '../util/raw-json.js';
import { withExtraHeaders } from './headers.js';
import { standardSignatureHeader } from './signing.js';
import type { MessageView, RenderedRequest, RenderInput } from './types.js';

/** `<type>.<action>`, spelled as stored; a failed result is its own event type for the receiver. */
export function standardEventType(message: Pick<MessageView, 'type' | 'action' | 'result'>): string {
  const base = `${message.type}.${message.action}`;
  return message.result === 'failed' ? `${base}.failed` : base;
}

/**
 * Standard Webhooks 1.0. `webhook-id` is the message id so receivers de-duplicate across retries;
 * `webhook-timestamp` is this attempt's time, which is what verifiers check for replay.
 */
export function renderStandard(input: RenderInput): RenderedRequest {
  const { message, endpoint } = input;
  // Herald's entity ids are authoritative: a published `data.entity_ids` must not contradict them. The other
  // members follow as published text, in the publisher's order.
  let data = `{"entity_ids":${JSON.stringify(message.entityIds)}`;
  for (const m of objectMembers(message.dataJson)) {
    if (m.key !== 'entity_ids') data += `,${m.keyText}:${m.valueText}`;
  }
  const body = `{"type":${JSON.stringify(standardEventType(message))},"timestamp":${JSON.stringify(message.timestamp)},"data":${data}}}`;

  const headers = withExtraHeaders({ 'Content-Type': 'application/json' }, endpoint.headers);
  headers['webhook-id'] = message.id;
  headers['webhook-timestamp'] = String(input.nowSeconds);
  if (endpoint.secrets.length > 0) {
    headers['webhook-signature'] = standardSignatureHeader(endpoint.secrets, message.id, input.nowSeconds, body);
  }
  return { headers, body };
}
