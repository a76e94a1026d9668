import type { Selectable } from 'kysely';
import type { EndpointView, FormatName, TemplateMode } from '../formats/types.js';
import type { EndpointsTable } from '../store/schema.js';
import type { SecretBox } from '../util/secret-box.js';

/**
 * An endpoint row as delivery reads it: its sealed parts opened into the view a format renders with. Services
 * seal what they store with the same functions, so the two sides agree on the at-rest form.
 */
export type EndpointRow = Selectable<EndpointsTable>;

/** Extra headers are sealed at rest as one value, like credentials (they often are credentials). */
export function sealHeaders(box: SecretBox, headers: Record<string, string>): string {
  return box.seal(JSON.stringify(headers));
}

/** Reads both forms: sealed, and the plain JSON of rows written before headers were sealed. */
export function openHeaders(box: SecretBox, stored: string): Record<string, string> {
  return JSON.parse(box.open(stored)) as Record<string, string>;
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

/**
 * Render views kept per row object: opening secrets costs a decryption each, and a row object lives as long as
 * the dispatcher caches it. A view is made again once a rotated-out secret it signs with has expired.
 */
export function makeRenderViews(box: SecretBox): (row: EndpointRow, at: number) => EndpointView {
  const views = new WeakMap<EndpointRow, { view: EndpointView; until: number }>();
  return (row, at) => {
    const cached = views.get(row);
    if (cached && at < cached.until) return cached.view;
    const view = endpointForRender(row, box, at);
    const until = row.previous_secret_until !== null && row.previous_secret_until > at ? row.previous_secret_until : Number.MAX_SAFE_INTEGER;
    views.set(row, { view, until });
    return view;
  };
}
