import { sql, type ExpressionBuilder, type Selectable } from 'kysely';
import { matchesPattern } from '../catalog/patterns.js';
import { invalid } from '../errors.js';
import type { Database, DeliveriesTable } from '../store/schema.js';
import type { ServiceContext } from './context.js';
import { likeOf, shownStatus } from './deliveries.js';

/**
 * "What never arrived": messages with at least one delivery that has not succeeded: failed (retries exhausted),
 * skipped (its endpoint, subscription or topic was off when the event came), or still pending after a failed
 * attempt. Each such delivery says why. Without `undelivered`, the same view lists every message.
 */
export interface MessageFilter {
  /** A tenant-confined caller's tenant: only its messages; null or absent for every tenant. */
  tenant?: string | null;
  undelivered: boolean;
  /** Messages accepted at or after. */
  sinceMs?: number;
  endpoint_id?: string;
  /** An event key or pattern: `ONDEMAND_ENROLLMENT/EXPIRED`, `SERVER/*`. */
  event?: string;
  cursor?: string;
  limit: number;
}

const iso = (ms: number | null) => (ms === null ? null : new Date(Number(ms)).toISOString());

function notDelivered(eb: ExpressionBuilder<Database, 'deliveries'>) {
  return eb.or([eb('status', 'in', ['failed', 'skipped']), eb.and([eb('status', '=', 'pending'), eb('attempts', '>', 0)])]);
}

/** Why a delivery has not arrived, in words an operator reads. */
export function whyNotDelivered(d: Pick<Selectable<DeliveriesTable>, 'status' | 'attempts' | 'last_error' | 'last_status_code' | 'next_attempt_at'>): string {
  const last = d.last_error ?? (d.last_status_code !== null ? `HTTP ${d.last_status_code}` : 'no error recorded');
  const tries = `${d.attempts} attempt${d.attempts === 1 ? '' : 's'}`;
  switch (shownStatus(d)) {
    case 'failed':
      return `failed for good after ${tries}: ${last}`;
    case 'skipped':
      return `never sent: ${d.last_error ?? 'skipped'}`;
    case 'retrying':
      return `retrying after ${tries} (next at ${iso(d.next_attempt_at)}): ${last}`;
    case 'pending':
      return d.attempts > 0 ? `queued again after ${tries} (next at ${iso(d.next_attempt_at)})` : 'waiting for its first attempt';
    default:
      return d.status;
  }
}

export async function listMessages(ctx: ServiceContext, f: MessageFilter) {
  const db = ctx.store.db;
  const exact = f.event && !f.event.includes('*') ? f.event.toUpperCase() : null;
  const pattern = f.event && f.event.includes('*') ? f.event : null;

  // One page of message ids, newest first. Ids sort by creation time, so they are the cursor.
  let ids: string[];
  if (f.undelivered || f.endpoint_id) {
    let q = db.selectFrom('deliveries').select('message_id').distinct().orderBy('message_id', 'desc').limit(f.limit + 1);
    if (f.undelivered) q = q.where(notDelivered);
    if (f.endpoint_id) q = q.where('endpoint_id', '=', f.endpoint_id);
    if (f.tenant) q = q.where('tenant', '=', f.tenant);
    if (exact) q = q.where('event_key', '=', exact);
    if (pattern) q = q.where(sql<boolean>`event_key like ${likeOf(pattern)} escape '!'`);
    if (f.sinceMs !== undefined) q = q.where('created_at', '>=', f.sinceMs);
    if (f.cursor) q = q.where('message_id', '<', f.cursor);
    ids = (await q.execute()).map((r) => r.message_id);
  } else {
    let q = db.selectFrom('messages').select('id').orderBy('id', 'desc').limit(f.limit + 1);
    if (f.tenant) q = q.where('tenant', '=', f.tenant);
    if (exact) q = q.where('event_key', '=', exact);
    if (pattern) q = q.where(sql<boolean>`event_key like ${likeOf(pattern)} escape '!'`);
    if (f.sinceMs !== undefined) q = q.where('created_at', '>=', f.sinceMs);
    if (f.cursor) q = q.where('id', '<', f.cursor);
    ids = (await q.execute()).map((r) => r.id);
  }
  const pageIds = ids.slice(0, f.limit);
  const next_cursor = ids.length > f.limit ? pageIds[pageIds.length - 1]! : null;
  if (pageIds.length === 0) return { data: [], next_cursor };

  const messages = await db
    .selectFrom('messages')
    .select(['id', 'tenant', 'event_key', 'entity_ids', 'created_at'])
    .where('id', 'in', pageIds)
    .orderBy('id', 'desc')
    .execute();
  let dq = db.selectFrom('deliveries').selectAll().where('message_id', 'in', pageIds).orderBy('id');
  if (f.undelivered) dq = dq.where(notDelivered);
  if (f.endpoint_id) dq = dq.where('endpoint_id', '=', f.endpoint_id);
  const deliveries = await dq.execute();
  const endpointIds = [...new Set(deliveries.map((d) => d.endpoint_id))];
  const names = new Map(
    endpointIds.length ? (await db.selectFrom('endpoints').select(['id', 'name']).where('id', 'in', endpointIds).execute()).map((r) => [r.id, r.name]) : [],
  );
  const byMessage = new Map<string, Selectable<DeliveriesTable>[]>();
  for (const d of deliveries) byMessage.set(d.message_id, [...(byMessage.get(d.message_id) ?? []), d]);

  const data = messages
    // LIKE lets `%` span `/` where a pattern's `*` stands for one segment: the pattern decides.
    .filter((m) => !pattern || matchesPattern(pattern, m.event_key))
    .map((m) => ({
      id: m.id,
      tenant: m.tenant,
      event: m.event_key,
      entity_ids: JSON.parse(m.entity_ids) as string[],
      created_at: iso(m.created_at),
      deliveries: (byMessage.get(m.id) ?? []).map((d) => ({
        id: d.id,
        endpoint_id: d.endpoint_id,
        endpoint_name: names.get(d.endpoint_id) ?? null,
        // `retrying` for a pending delivery that has failed before, as in the delivery log.
        status: shownStatus(d),
        attempt_count: d.attempts,
        last_status_code: d.last_status_code,
        last_error: d.last_error,
        next_attempt_at: d.status === 'pending' ? iso(d.next_attempt_at) : null,
        updated_at: iso(d.updated_at),
        why: whyNotDelivered(d),
      })),
    }));
  return { data, next_cursor };
}

/** How many messages one recover may name: more is a 422, not a long transaction. */
export const MAX_RECOVER_MESSAGES = 1000;

/**
 * Re-queues, now, the endpoint's deliveries of the given messages that have not arrived: failed, skipped, or
 * pending after a failed attempt (those wait no longer for their next try). One conditional statement, so a
 * delivery a worker holds a live lease on is left to it rather than sent twice at once. Answers how many moved.
 */
export async function recoverMessages(ctx: ServiceContext, endpointId: string, messageIds: string[]): Promise<number> {
  if (messageIds.length === 0 || messageIds.length > MAX_RECOVER_MESSAGES) {
    throw invalid([{ path: '/message_ids', message: `must name between 1 and ${MAX_RECOVER_MESSAGES} messages, got ${messageIds.length}` }]);
  }
  const now = ctx.now();
  const res = await ctx.store.db
    .updateTable('deliveries')
    .set({ status: 'pending', next_attempt_at: now, lease_owner: null, lease_expires_at: null, updated_at: now })
    .where('endpoint_id', '=', endpointId)
    .where('message_id', 'in', [...new Set(messageIds)])
    .where((eb) =>
      eb.or([
        eb('status', 'in', ['failed', 'skipped']),
        eb.and([
          eb('status', '=', 'pending'),
          eb('attempts', '>', 0),
          eb.or([eb('lease_owner', 'is', null), eb('lease_expires_at', 'is', null), eb('lease_expires_at', '<=', now)]),
        ]),
      ]),
    )
    .executeTakeFirst();
  ctx.events.emit('wake');
  return Number(res.numUpdatedRows);
}
