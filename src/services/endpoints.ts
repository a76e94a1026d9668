import { randomBytes } from 'node:crypto';
import { invalid, notFound, type Problem } from '../errors.js';
import { generateStandardSecret } from '../formats/signing.js';
import { newId } from '../ids.js';
import { hashCallbackKey } from '../util/constant-time.js';
import type { ServiceContext } from './context.js';
import { endpointForRender, openHeaders, sealHeaders, type EndpointRow } from '../delivery/endpoint-render.js';
import { endpointJson } from './endpoint-view.js';
import { endpointProblems } from './endpoint-rules.js';
import { validateDestination } from '../delivery/validation-call.js';
import { resolvedUrlProblem } from '../delivery/ssrf.js';
import { isSecretName, MASK } from '../delivery/mask.js';
import { ADMIN, tenantOf, type Principal } from './principal.js';
import { orderingOf, type Ordering } from '../delivery/ordering.js';

export interface EndpointInput {
  name: string;
  url: string;
  format: 'strigo' | 'cloudpods' | 'standard';
  tenant?: string;
  enabled?: boolean;
  auth?: { user: string; key: string } | null;
  secret?: string | null;
  headers?: Record<string, string>;
  body?: Record<string, unknown>;
  /** `body` as the client wrote it (whitespace removed), stored instead of a re-serialised copy so its numbers stay exact. */
  bodyJson?: string;
  msg_key?: string;
  lang?: 'en' | 'cn';
  use_template?: boolean;
  template_mode?: 'cloudpods' | 'go' | null;
  /** Deliveries carry a W3C `traceparent` header; off by default (some receivers must see only their own headers). */
  trace_context?: boolean;
  validate?: boolean;
  rate_limit?: number | null;
  max_in_flight?: number | null;
  ordering?: Ordering;
}

export type EndpointPatch = Partial<Omit<EndpointInput, 'format' | 'tenant'>>;

/** A rotated-out signing secret keeps signing beside the new one this long, so receivers can switch over. */
export const SECRET_OVERLAP_MS = 24 * 3600 * 1000;

function newCallbackCredentials() {
  const user = `cb_${randomBytes(9).toString('base64url')}`;
  const key = randomBytes(24).toString('base64url');
  return { user, key, hash: hashCallbackKey(key) };
}

/** Only cloudpods endpoints render topic templates, so only they take a template mode. */
function templateModeProblems(format: string, mode: string | null | undefined) {
  if (mode === undefined || mode === null || format === 'cloudpods') return [];
  return [{ path: '/template_mode', message: `template_mode applies to cloudpods endpoints only, not ${format}` }];
}

/** An endpoint the principal may see; another tenant's is the same 404 as a missing one. */
export async function getEndpointRow(ctx: ServiceContext, id: string, principal: Principal = ADMIN): Promise<EndpointRow> {
  const tenant = tenantOf(principal);
  let q = ctx.store.db.selectFrom('endpoints').selectAll().where('id', '=', id);
  if (tenant !== null) q = q.where('tenant', '=', tenant);
  const row = await q.executeTakeFirst();
  if (!row) throw notFound('endpoint', id);
  return row;
}

/**
 * A host name that resolves to an address the guard refuses can never be delivered to: refused now, with the
 * address and the setting that would open it, rather than after a day and a half of attempts. Only when the URL
 * has no other problem (an unparseable one has no host to resolve).
 */
async function resolvedProblems(ctx: ServiceContext, url: string, problems: Problem[]): Promise<Problem[]> {
  if (problems.some((p) => p.path === '/url')) return [];
  const refused = await resolvedUrlProblem(url, ctx.allowPrivate);
  return refused === null ? [] : [{ path: '/url', message: refused }];
}

async function validateIfAsked(ctx: ServiceContext, row: EndpointRow, validate: boolean | undefined): Promise<void> {
  if (validate === false || row.format !== 'cloudpods') return;
  const outcome = await validateDestination(ctx, endpointForRender(row, ctx.secrets, ctx.now()));
  if (!outcome.ok) {
    throw invalid([{ path: '/url', message: `validation call failed: ${outcome.reason}` }], `validation call to ${row.url} failed: ${outcome.reason}`);
  }
}

export async function createEndpoint(ctx: ServiceContext, input: EndpointInput) {
  const now = ctx.now();
  const secret =
    input.secret === undefined ? (input.format === 'cloudpods' ? null : generateStandardSecret()) : input.secret;
  const headers = input.headers ?? {};
  const body = input.body ?? {};
  const msgKey = input.msg_key ?? 'Msg';
  const problems = endpointProblems({ url: input.url, format: input.format, headers, body, msg_key: msgKey, secret }, ctx.allowPrivate);
  problems.push(...templateModeProblems(input.format, input.template_mode));
  problems.push(...(await resolvedProblems(ctx, input.url, problems)));
  if (problems.length) throw invalid(problems);
  const cb = newCallbackCredentials();
  const row: EndpointRow = {
    id: newId('ep', now),
    name: input.name,
    url: input.url,
    format: input.format,
    tenant: input.tenant ?? 'default',
    enabled: input.enabled === false ? 0 : 1,
    disabled_reason: null,
    auth_user: input.auth?.user ?? null,
    auth_key: input.auth ? ctx.secrets.seal(input.auth.key) : null,
    secret: secret === null ? null : ctx.secrets.seal(secret),
    previous_secret: null,
    previous_secret_until: null,
    headers: sealHeaders(ctx.secrets, headers),
    body: input.bodyJson ?? JSON.stringify(body),
    msg_key: msgKey,
    lang: input.lang ?? 'en',
    use_template: input.use_template ? 1 : 0,
    template_mode: input.template_mode ?? null,
    trace_context: input.trace_context ? 1 : 0,
    rate_limit: input.rate_limit ?? null,
    max_in_flight: input.max_in_flight ?? null,
    ordering: input.ordering ?? 'none',
    callback_user: cb.user,
    callback_key_hash: cb.hash,
    failing_since: null,
    consecutive_failures: 0,
    failing_announced_at: null,
    created_at: now,
    updated_at: now,
  };
  // Nothing is stored unless the destination accepted the validation call.
  await validateIfAsked(ctx, row, input.validate);
  await ctx.store.db.insertInto('endpoints').values(row).execute();
  const json = endpointJson(row, ctx.config.publicUrl, ctx.secrets);
  return { ...json, secret, callback: { ...json.callback, key: cb.key } };
}

export async function updateEndpoint(ctx: ServiceContext, id: string, patch: EndpointPatch, principal: Principal = ADMIN) {
  const row = await getEndpointRow(ctx, id, principal);
  const now = ctx.now();
  const next: EndpointRow = { ...row, updated_at: now };
  if (patch.name !== undefined) next.name = patch.name;
  if (patch.url !== undefined) next.url = patch.url;
  if (patch.enabled !== undefined) {
    next.enabled = patch.enabled ? 1 : 0;
    next.disabled_reason = null;
    if (patch.enabled) next.failing_since = null;
  }
  if (patch.auth !== undefined) {
    next.auth_user = patch.auth?.user ?? null;
    next.auth_key = patch.auth ? ctx.secrets.seal(patch.auth.key) : null;
  }
  let secretPlain: string | null = row.secret === null ? null : ctx.secrets.open(row.secret);
  if (patch.secret !== undefined) {
    secretPlain = patch.secret;
    next.secret = patch.secret === null ? null : ctx.secrets.seal(patch.secret);
  }
  if (patch.headers !== undefined) next.headers = sealHeaders(ctx.secrets, keepMaskedHeaders(patch.headers, openHeaders(ctx.secrets, row.headers)));
  if (patch.body !== undefined) next.body = patch.bodyJson ?? JSON.stringify(patch.body);
  if (patch.msg_key !== undefined) next.msg_key = patch.msg_key;
  if (patch.lang !== undefined) next.lang = patch.lang;
  if (patch.use_template !== undefined) next.use_template = patch.use_template ? 1 : 0;
  if (patch.template_mode !== undefined) next.template_mode = patch.template_mode;
  if (patch.trace_context !== undefined) next.trace_context = patch.trace_context ? 1 : 0;
  if (patch.rate_limit !== undefined) next.rate_limit = patch.rate_limit;
  if (patch.max_in_flight !== undefined) next.max_in_flight = patch.max_in_flight;
  if (patch.ordering !== undefined) next.ordering = patch.ordering;
  const problems = endpointProblems(
    {
      url: next.url,
      format: next.format,
      headers: openHeaders(ctx.secrets, next.headers),
      body: JSON.parse(next.body),
      msg_key: next.msg_key,
      secret: secretPlain,
    },
    ctx.allowPrivate,
  );
  if (patch.template_mode !== undefined) problems.push(...templateModeProblems(next.format, patch.template_mode));
  // Only a URL the patch sets: renaming an endpoint is not refused for what its host resolves to today.
  if (patch.url !== undefined) problems.push(...(await resolvedProblems(ctx, next.url, problems)));
  if (problems.length) throw invalid(problems);
  if (next.url !== row.url) await validateIfAsked(ctx, next, patch.validate);
  // The streak columns are the outcome writer's: a whole-row write from a stale read would undo its counts.
  const { id: _id, consecutive_failures: _n, failing_announced_at: _a, ...values } = next;
  await ctx.store.db.transaction().execute(async (trx) => {
    await trx.updateTable('endpoints').set(values).where('id', '=', id).execute();
    // Deliveries keep the key they were created with: a change of ordering applies to new ones. Turning ordering
    // off releases the queue, so nothing waits for an order no longer asked for.
    if (orderingOf(next.ordering) === 'none' && orderingOf(row.ordering) !== 'none') {
      await trx.updateTable('deliveries').set({ ordering_key: null }).where('endpoint_id', '=', id).where('status', '=', 'pending').execute();
    }
  });
  ctx.events.emit('endpoint-changed', id);
  if (row.enabled === 0 && next.enabled === 1) ctx.events.emit('endpoint-enabled', id);
  return endpointJson(next, ctx.config.publicUrl, ctx.secrets);
}

export async function setEndpointEnabled(ctx: ServiceContext, id: string, enabled: boolean, reason: string | null = null, principal: Principal = ADMIN) {
  await getEndpointRow(ctx, id, principal);
  // Only the request that turns it on announces ENDPOINT/ENABLED (see services/operational-events.ts).
  const turnedOn = enabled
    ? Number((await ctx.store.db.updateTable('endpoints').set({ enabled: 1 }).where('id', '=', id).where('enabled', '=', 0).executeTakeFirst()).numUpdatedRows) > 0
    : false;
  await ctx.store.db
    .updateTable('endpoints')
    .set(
      enabled
        ? { enabled: 1, disabled_reason: null, failing_since: null, updated_at: ctx.now() }
        : { enabled: 0, disabled_reason: reason, updated_at: ctx.now() },
    )
    .where('id', '=', id)
    .execute();
  ctx.events.emit('endpoint-changed', id);
  if (turnedOn) ctx.events.emit('endpoint-enabled', id);
  return endpointJson(await getEndpointRow(ctx, id), ctx.config.publicUrl, ctx.secrets);
}

export async function deleteEndpoint(ctx: ServiceContext, id: string, principal: Principal = ADMIN): Promise<void> {
  await getEndpointRow(ctx, id, principal);
  await ctx.store.db.transaction().execute(async (trx) => {
    // Pending work for a deleted endpoint is cancelled, not lost silently: the log still shows it.
    await trx
      .updateTable('deliveries')
      .set({ status: 'cancelled', last_error: 'endpoint deleted', next_attempt_at: null, lease_owner: null, updated_at: ctx.now() })
      .where('endpoint_id', '=', id)
      .where('status', '=', 'pending')
      .execute();
    await trx.deleteFrom('subscriptions').where('endpoint_id', '=', id).execute();
    await trx.deleteFrom('endpoints').where('id', '=', id).execute();
  });
  ctx.events.emit('endpoint-changed', id);
}

export async function rotateSecret(ctx: ServiceContext, id: string, given?: string, principal: Principal = ADMIN) {
  const row = await getEndpointRow(ctx, id, principal);
  const secret = given ?? (row.format === 'cloudpods' ? randomBytes(24).toString('base64url') : generateStandardSecret());
  const problems = endpointProblems(
    { url: row.url, format: row.format, headers: openHeaders(ctx.secrets, row.headers), body: JSON.parse(row.body), msg_key: row.msg_key, secret },
    ctx.allowPrivate,
  ).filter((p) => p.path === '/secret');
  if (problems.length) throw invalid(problems);
  const now = ctx.now();
  await ctx.store.db
    .updateTable('endpoints')
    .set({
      secret: ctx.secrets.seal(secret),
      previous_secret: row.secret,
      previous_secret_until: row.secret ? now + SECRET_OVERLAP_MS : null,
      updated_at: now,
    })
    .where('id', '=', id)
    .execute();
  ctx.events.emit('endpoint-changed', id);
  return { secret, previous_secret_expires_at: row.secret ? new Date(now + SECRET_OVERLAP_MS).toISOString() : null };
}

export async function rotateCallbackKey(ctx: ServiceContext, id: string, principal: Principal = ADMIN) {
  await getEndpointRow(ctx, id, principal);
  const cb = newCallbackCredentials();
  await ctx.store.db
    .updateTable('endpoints')
    .set({ callback_key_hash: cb.hash, updated_at: ctx.now() })
    .where('id', '=', id)
    .execute();
  // The incoming route keeps credentials in memory for a moment; the old key must stop working now.
  ctx.events.emit('endpoint-changed', id);
  const row = await getEndpointRow(ctx, id);
  return { url: `${ctx.config.publicUrl}/v1/incoming`, user: row.callback_user, key: cb.key };
}

/** Re-queues the endpoint's failed deliveries created since `sinceMs`; answers how many. */
export async function recoverEndpoint(ctx: ServiceContext, id: string, sinceMs: number, principal: Principal = ADMIN): Promise<number> {
  await getEndpointRow(ctx, id, principal);
  const now = ctx.now();
  const res = await ctx.store.db
    .updateTable('deliveries')
    .set({ status: 'pending', next_attempt_at: now, lease_owner: null, lease_expires_at: null, updated_at: now })
    .where('endpoint_id', '=', id)
    .where('status', '=', 'failed')
    .where('created_at', '>=', sinceMs)
    .executeTakeFirst();
  ctx.events.emit('wake');
  return Number(res.numUpdatedRows);
}

export interface EndpointFilter {
  tenant?: string;
  enabled?: boolean;
  format?: string;
  cursor?: string;
  limit: number;
}

export async function listEndpoints(ctx: ServiceContext, f: EndpointFilter, principal: Principal = ADMIN) {
  let q = ctx.store.db.selectFrom('endpoints').selectAll().orderBy('id').limit(f.limit + 1);
  const own = tenantOf(principal);
  if (own !== null) q = q.where('tenant', '=', own);
  if (f.tenant) q = q.where('tenant', '=', f.tenant);
  if (f.enabled !== undefined) q = q.where('enabled', '=', f.enabled ? 1 : 0);
  if (f.format) q = q.where('format', '=', f.format);
  if (f.cursor) q = q.where('id', '>', f.cursor);
  const rows = await q.execute();
  const page = rows.slice(0, f.limit);
  return {
    data: page.map((r) => endpointJson(r, ctx.config.publicUrl, ctx.secrets)),
    next_cursor: rows.length > f.limit ? page[page.length - 1]!.id : null,
  };
}

/**
 * The API shows secret-named header values as `****`. A client that sends back the headers it read (an edit form,
 * a read-modify-write) would otherwise store the mask itself: a masked value of a header the endpoint already has
 * keeps its stored value.
 */
function keepMaskedHeaders(sent: Record<string, string>, stored: Record<string, string>): Record<string, string> {
  const byName = new Map(Object.entries(stored).map(([name, value]) => [name.toLowerCase(), value]));
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(sent)) {
    const kept = value === MASK && isSecretName(name) ? byName.get(name.toLowerCase()) : undefined;
    out[name] = kept ?? value;
  }
  return out;
}
