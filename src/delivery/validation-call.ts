import { randomUUID } from 'node:crypto';
import { renderCloudpodsValidation } from '../formats/cloudpods.js';
import type { EndpointView } from '../formats/types.js';
import type { DeliveryContext } from './context.js';

export type ValidationOutcome = { ok: true; statusCode: number } | { ok: false; reason: string };

/**
 * Cloudpods' validation event, sent before an endpoint is created or its URL changes: the change only happens
 * when the URL answers 2xx. The reason says what the URL answered, so the operator can fix the receiver.
 */
export async function validateDestination(ctx: Pick<DeliveryContext, 'send'>, endpoint: EndpointView): Promise<ValidationOutcome> {
  const req = renderCloudpodsValidation(endpoint, randomUUID().replace(/-/g, '').slice(0, 12));
  const result = await ctx.send({ url: endpoint.url, headers: req.headers, body: req.body });
  if (!result.ok) return { ok: false, reason: result.error };
  if (result.statusCode >= 200 && result.statusCode < 300) return { ok: true, statusCode: result.statusCode };
  const preview = result.body.slice(0, 200).replace(/\s+/g, ' ').trim();
  return { ok: false, reason: `the URL answered HTTP ${result.statusCode}${preview ? `: ${preview}` : ''}` };
}
