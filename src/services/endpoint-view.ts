import { effectiveTemplateMode, openHeaders, type EndpointRow } from '../delivery/endpoint-render.js';
import { maskHeaders } from '../delivery/mask.js';
import type { SecretBox } from '../util/secret-box.js';
import { parseLossless } from '../util/lossless-json.js';
import { orderingOf } from '../delivery/ordering.js';

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
    ordering: orderingOf(row.ordering),
    callback: { url: `${publicUrl}/v1/incoming`, user: row.callback_user },
    failing_since: row.failing_since === null ? null : new Date(row.failing_since).toISOString(),
    created_at: new Date(row.created_at).toISOString(),
    updated_at: new Date(row.updated_at).toISOString(),
  };
}
