/**
 * Sample events and what an endpoint would receive for them: the portal shows a tenant the exact request their
 * receiver gets (headers and body, in the endpoint's own format) before anything is published.
 */
import type { CatalogEntry } from '../catalog/catalog.js';
import { eventKey } from '../catalog/event-key.js';
import { matchesPattern } from '../catalog/patterns.js';
import { endpointForRender, type EndpointRow } from '../delivery/endpoint-render.js';
import { renderRequest, RenderError, type MessageView } from '../formats/index.js';
import type { ServiceContext } from './context.js';

export interface SampleEvent {
  type: string;
  action: string;
  result: 'succeed' | 'failed';
  data: Record<string, unknown>;
}

/** Data for samples, so a receiver (or a template reading `.name`) sees something real. */
const SAMPLE_DATA = { name: 'vm-lab-01', id: 'c0ffee00-0000-4000-8000-000000000001', project: 'training', status: 'running' };

/**
 * The first catalog event one of the patterns matches, patterns taken in order; without a match the first event
 * of the catalog the endpoint's format speaks, so a test of an unsubscribed endpoint still shows its format.
 */
export function sampleEventFor(patterns: readonly string[], entries: readonly CatalogEntry[], format?: string): SampleEvent {
  for (const pattern of patterns) {
    for (const entry of entries) {
      for (const action of entry.actions) {
        for (const result of ['succeed', 'failed'] as const) {
          if (matchesPattern(pattern, eventKey({ type: entry.type, action, result }))) return { type: entry.type, action, result, data: SAMPLE_DATA };
        }
      }
    }
  }
  const own = entries.find((e) => e.catalog === (format === 'cloudpods' ? 'cloudpods' : 'strigo')) ?? entries[0];
  return own ? { type: own.type, action: own.actions[0] ?? 'CREATED', result: 'succeed', data: SAMPLE_DATA } : { type: 'server', action: 'create', result: 'succeed', data: SAMPLE_DATA };
}

/** The request an endpoint would receive for `event`, rendered by the same code that sends deliveries. */
export function previewRequest(ctx: ServiceContext, row: EndpointRow, event: SampleEvent): { ok: true; headers: Record<string, string>; body: string; url: string } | { ok: false; error: string } {
  const now = ctx.now();
  const message: MessageView = {
    id: 'msg_example',
    tenant: row.tenant,
    type: event.type,
    action: event.action,
    result: event.result,
    entityIds: ['example-entity'],
    dataJson: JSON.stringify(event.data),
    timestamp: new Date(now).toISOString(),
  };
  try {
    const r = renderRequest({
      message,
      endpoint: endpointForRender(row, ctx.secrets, now),
      callbackUrl: `${ctx.config.publicUrl}/v1/incoming`,
      nowSeconds: Math.floor(now / 1000),
      requestId: 'req_example',
      templates: null,
    });
    return { ok: true, headers: r.headers, body: r.body, url: row.url };
  } catch (e) {
    if (e instanceof RenderError) return { ok: false, error: e.message };
    throw e;
  }
}
