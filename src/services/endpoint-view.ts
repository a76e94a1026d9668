import type { Selectable } from 'kysely';
import type { EndpointView, FormatName, TemplateMode } from '../formats/types.js';
import type { EndpointsTable } from '../store/schema.js';
import { maskHeaders } from '../delivery/mask.js';
import type { SecretBox } from '../util/secret-box.js';
import { parseLossless } from '../util/lossless-json.js';

export type EndpointRow = Selectable<EndpointsTable>;

/** Extra headers are sealed at rest as one value, like credentials (they often are credentials). */
export function sealHeaders(box: SecretBox, headers: Record<string, string>): string {
  return box.seal(JSON.stringify(headers));
}

/** Reads both forms: sealed, and the plain JSON of rows written before headers were sealed. */
export function openHeaders(box: SecretBox, stored: string): Record<string, string> {
  return JSON.parse(box.open(stored)) as Record<string, string>;
}

/**
 * The endpoint as the API shows it: credentials and secrets are never echoed back after creation, and extra
 * header values whose name says secret read `****`.
 */
export function endpointJson(row: EndpointRow, publicUrl: string, box: SecretBox) {
  return {
    id: row.id,
    name: row.name,
    url: row.url,
    format: row.format,
    tenant: row.tenant,
    enabled: row.enabled === 1,
    disabled_reason: row.disabled_reason,
    auth: row.auth_user ? { user: row.auth_user } : null,
    has_secret: row.secret !== null,
    headers: maskHeaders(openHeaders(box, row.headers)),
    body: parseLossless(row.body) as Record<string, unknown>,
    msg_key: row.msg_key,
    lang: row.lang,
    use_template: row.use_template === 1,
    template_mode: effectiveTemplateMode(row),
    trace_context: row.trace_context === 1,
    rate_limit: row.rate_limit,
    max_in_flight: row.max_in_flight,
    callback: { url: `${publicUrl}/v1/incoming`, user: row.callback_user },
    failing_since: row.failing_since === null ? null : new Date(row.failing_since).toISOString(),
    created_at: new Date(row.created_at).toISOString(),
    updated_at: new Date(row.updated_at).toISOString(),
  };
}

/** The endpoint as a format needs it, secrets opened. `nowMs` decides whether a rotated-out secret still signs. */
export function endpointForRender(row: EndpointRow, box: SecretBox, nowMs: number): EndpointView {
  const secrets: string[] = [];
  if (row.secret) secrets.push(box.open(row.secret));
  if (row.previous_secret && (row.previous_secret_until ?? 0) > nowMs) secrets.push(box.open(row.previous_secret));
  return {
    id: row.id,
    format: row.format as FormatName,
    url: row.url,
    auth: row.auth_user && row.auth_key ? { user: row.auth_user, key: box.open(row.auth_key) } : null,
    secrets,
    headers: openHeaders(box, row.headers),
    bodyJson: row.body,
    msgKey: row.msg_key,
    lang: row.lang === 'cn' ? 'cn' : 'en',
    useTemplate: row.use_template === 1,
    templateMode: effectiveTemplateMode(row) ?? 'cloudpods',
    traceContext: row.trace_context === 1,
  };
}

/** A cloudpods endpoint renders with Cloudpods' semantics unless set otherwise; other formats render no templates. */
export function effectiveTemplateMode(row: Pick<EndpointRow, 'format' | 'template_mode'>): TemplateMode | null {
  if (row.format !== 'cloudpods') return null;
  return row.template_mode === 'go' ? 'go' : 'cloudpods';
}
