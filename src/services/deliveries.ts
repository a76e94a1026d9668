import { sql, type Selectable } from 'kysely';
import { matchesPattern, normalizePattern } from '../catalog/patterns.js';
import { HeraldError, notFound } from '../errors.js';
import type { AttemptsTable, DeliveriesTable } from '../store/schema.js';
import type { ServiceContext } from './context.js';
import { parseLossless } from '../util/lossless-json.js';
import { ADMIN, tenantOf, type Principal } from './principal.js';

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

function attemptJson(a: Selectable<AttemptsTable>, full: boolean) {
  const base = { attempt: a.attempt, at: iso(a.at), status_code: a.status_code, error: a.error, error_class: a.error_class, duration_ms: a.duration_ms };
  if (!full) return base;
  const responseHeaders = a.response_headers === null ? null : (JSON.parse(a.response_headers) as Record<string, string>);
  return { id: a.id, ...base, request: JSON.parse(a.request) as unknown, response_headers: responseHeaders, response_body: a.response_body };
}

function deliveryJson(d: Selectable<DeliveriesTable>, attempts: Selectable<AttemptsTable>[], full: boolean, names: Map<string, string>) {
  return {
    id: d.id,
    message_id: d.message_id,
    endpoint_id: d.endpoint_id,
    // The failure list is read by people: the name says which receiver without a second lookup.
    endpoint_name: names.get(d.endpoint_id) ?? null,
    subscription_id: d.subscription_id,
    topic_id: d.topic_id,
    tenant: d.tenant,
    event: d.event_key,
    status: shownStatus(d),
    attempt_count: d.attempts,
    attempts: attempts.map((a) => attemptJson(a, full)),
    next_attempt_at: iso(d.next_attempt_at),
    last_status_code: d.last_status_code,
    last_error: d.last_error,
    created_at: iso(d.created_at),
    updated_at: iso(d.updated_at),
  };
}

async function attemptsOf(ctx: ServiceContext, ids: string[], full: boolean) {
  if (ids.length === 0) return new Map<string, Selectable<AttemptsTable>[]>();
  const rows = await ctx.store.db
    .selectFrom('attempts')
    .select(full ? ['id', 'delivery_id', 'attempt', 'at', 'status_code', 'error', 'error_class', 'duration_ms', 'request', 'response_body', 'response_headers'] : ['id', 'delivery_id', 'attempt', 'at', 'status_code', 'error', 'error_class', 'duration_ms'])
    .where('delivery_id', 'in', ids)
    .orderBy('delivery_id')
    .orderBy('attempt')
    .execute();
  const out = new Map<string, Selectable<AttemptsTable>[]>();
  for (const r of rows as Selectable<AttemptsTable>[]) {
    const list = out.get(r.delivery_id);
    if (list) list.push(r);
    else out.set(r.delivery_id, [r]);
  }
  return out;
}

async function endpointNamesOf(ctx: ServiceContext, ids: string[]): Promise<Map<string, string>> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return new Map();
  const rows = await ctx.store.db.selectFrom('endpoints').select(['id', 'name']).where('id', 'in', unique).execute();
  return new Map(rows.map((r) => [r.id, r.name]));
}

/**
 * `retrying` is not stored: it is a pending delivery that has already had a failed attempt. Deriving it keeps the
 * dispatcher's claim (status `pending`, due order) as it is, and a delivery moves in and out of it with no write.
 */
export const DELIVERY_STATUSES = ['pending', 'retrying', 'succeeded', 'failed', 'cancelled', 'skipped'] as const;

type StatusOf = Pick<Selectable<DeliveriesTable>, 'status' | 'attempts' | 'last_error'>;

/** The status a person reads. A hand-retried success (no error) or skip (no attempt) is plainly pending again. */
export function shownStatus(d: StatusOf): string {
  return d.status === 'pending' && Number(d.attempts) > 0 && d.last_error !== null ? 'retrying' : d.status;
}

export interface DeliveryFilter {
  status?: string;
  endpoint_id?: string;
  message_id?: string;
  /** An event key or pattern: `ONDEMAND_ENROLLMENT/EXPIRED`, `SERVER/*`. */
  event?: string;
  /** Changed at or after: a delivery that failed for good an hour ago has `updated_at` then, whenever it was created. */
  sinceMs?: number;
  createdSinceMs?: number;
  cursor?: string;
  limit: number;
}

/** Pattern filters read candidates in rounds of a page; past this many, the page ends short with a cursor. */
const PATTERN_ROUNDS = 20;

/**
 * A LIKE that every key the pattern matches also matches (`*` becomes `%`, `_` is taken literally), so the store
 * returns few candidates; matchesPattern then decides, since `%` also spans `/` where `*` stands for one segment.
 */
export function likeOf(pattern: string): string {
  return normalizePattern(pattern)
    .split('/')
    .map((segment) => (segment === '*' ? '%' : segment.replace(/[!%_]/g, (c) => `!${c}`)))
    .join('/');
}

/**
 * The delivery log, newest first. `status=failed` (retries exhausted) and `status=retrying` (failed at least once,
 * another attempt due) are the operator's "what is failing and why" views. A page is short
 * only at the end of the log, or when a pattern filter ran out of rounds: `next_cursor` then still points past
 * what was read, so it is null only when nothing older matches.
 */
export async function listDeliveries(ctx: ServiceContext, f: DeliveryFilter, principal: Principal = ADMIN) {
  const own = tenantOf(principal);
  const exact = f.event && !f.event.includes('*') ? f.event.toUpperCase() : null;
  const pattern = f.event && f.event.includes('*') ? f.event : null;
  const rows: Selectable<DeliveriesTable>[] = [];
  let cursor = f.cursor;
  let reachedEnd = false;
  for (let round = 0; round < PATTERN_ROUNDS && rows.length <= f.limit; round++) {
    let q = ctx.store.db.selectFrom('deliveries').selectAll().orderBy('id', 'desc').limit(f.limit + 1);
    if (own !== null) q = q.where('tenant', '=', own);
    if (f.status === 'retrying') q = q.where('status', '=', 'pending').where('attempts', '>', 0).where('last_error', 'is not', null);
    else if (f.status === 'pending') q = q.where('status', '=', 'pending').where((eb) => eb.or([eb('attempts', '=', 0), eb('last_error', 'is', null)]));
    else if (f.status) q = q.where('status', '=', f.status);
    if (f.endpoint_id) q = q.where('endpoint_id', '=', f.endpoint_id);
    if (f.message_id) q = q.where('message_id', '=', f.message_id);
    if (exact) q = q.where('event_key', '=', exact);
    if (pattern) q = q.where(sql<boolean>`event_key like ${likeOf(pattern)} escape '!'`);
    if (f.sinceMs !== undefined) q = q.where('updated_at', '>=', f.sinceMs);
    if (f.createdSinceMs !== undefined) q = q.where('created_at', '>=', f.createdSinceMs);
    if (cursor) q = q.where('id', '<', cursor);
    const batch = await q.execute();
    for (const r of batch) if (!pattern || matchesPattern(pattern, r.event_key)) rows.push(r);
    if (batch.length <= f.limit) {
      reachedEnd = true;
      break;
    }
    if (!pattern) break;
    cursor = batch[batch.length - 1]!.id;
  }
  const page = rows.slice(0, f.limit);
  const attempts = await attemptsOf(ctx, page.map((d) => d.id), false);
  const names = await endpointNamesOf(ctx, page.map((d) => d.endpoint_id));
  return {
    data: page.map((d) => deliveryJson(d, attempts.get(d.id) ?? [], false, names)),
    next_cursor: rows.length > f.limit ? page[page.length - 1]!.id : reachedEnd ? null : (cursor ?? null),
  };
}

/** A delivery the principal may see; another tenant's is the same 404 as a missing one. */
async function deliveryRow(ctx: ServiceContext, id: string, principal: Principal) {
  const own = tenantOf(principal);
  let q = ctx.store.db.selectFrom('deliveries').selectAll().where('id', '=', id);
  if (own !== null) q = q.where('tenant', '=', own);
  const d = await q.executeTakeFirst();
  if (!d) throw notFound('delivery', id);
  return d;
}

export async function getDelivery(ctx: ServiceContext, id: string, principal: Principal = ADMIN) {
  const d = await deliveryRow(ctx, id, principal);
  const attempts = await attemptsOf(ctx, [id], true);
  return deliveryJson(d, attempts.get(id) ?? [], true, await endpointNamesOf(ctx, [d.endpoint_id]));
}

/** Sends a delivery again now, whatever its state (except one in flight right now). */
export async function retryDelivery(ctx: ServiceContext, id: string, principal: Principal = ADMIN) {
  await deliveryRow(ctx, id, principal);
  const now = ctx.now();
  // One conditional statement, not a read then a write: a worker that claims the delivery between the two would
  // otherwise have its live lease wiped, and the delivery would be sent twice at once.
  const res = await ctx.store.db
    .updateTable('deliveries')
    .set({ status: 'pending', next_attempt_at: now, lease_owner: null, lease_expires_at: null, updated_at: now })
    .where('id', '=', id)
    .where((eb) => eb.or([eb('status', '<>', 'pending'), eb('lease_owner', 'is', null), eb('lease_expires_at', 'is', null), eb('lease_expires_at', '<=', now)]))
    .executeTakeFirst();
  if (Number(res.numUpdatedRows) === 0) throw new HeraldError('conflict', `delivery ${id} is being sent right now`);
  ctx.events.emit('wake');
  return getDelivery(ctx, id);
}

export async function getMessage(ctx: ServiceContext, id: string, principal: Principal = ADMIN) {
  const own = tenantOf(principal);
  let mq = ctx.store.db.selectFrom('messages').selectAll().where('id', '=', id);
  if (own !== null) mq = mq.where('tenant', '=', own);
  const m = await mq.executeTakeFirst();
  if (!m) throw notFound('message', id);
  const deliveries = await ctx.store.db.selectFrom('deliveries').selectAll().where('message_id', '=', id).orderBy('id').execute();
  const attempts = await attemptsOf(ctx, deliveries.map((d) => d.id), false);
  const filteredOut = m.filtered_out === null ? [] : (JSON.parse(m.filtered_out) as { subscription_id: string; endpoint_id: string }[]);
  const names = await endpointNamesOf(ctx, [...deliveries.map((d) => d.endpoint_id), ...filteredOut.map((f) => f.endpoint_id)]);
  return {
    id: m.id,
    tenant: m.tenant,
    type: m.type,
    action: m.action,
    result: m.result,
    event: m.event_key,
    entity_ids: JSON.parse(m.entity_ids) as string[],
    // Read losslessly: the route writes it with stringifyExact, so integers past 2^53 come back as published.
    data: parseLossless(m.data),
    scope: { domain_id: m.scope_domain_id, project_id: m.scope_project_id },
    idempotency_key: m.idempotency_key,
    created_at: iso(m.created_at),
    deliveries: deliveries.map((d) => deliveryJson(d, attempts.get(d.id) ?? [], false, names)),
    // Subscriptions that wanted this event key but whose filter passed the message over: they made no delivery.
    filtered_out: filteredOut.map((f) => ({ ...f, endpoint_name: names.get(f.endpoint_id) ?? null, reason: 'filter did not match' })),
  };
}
