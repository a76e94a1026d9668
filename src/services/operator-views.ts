import { sql } from 'kysely';
import { idFloor } from '../ids.js';
import type { ServiceContext } from './context.js';
import { parseLossless } from '../util/lossless-json.js';

/**
 * Read models for the operator's console: aggregates over the delivery log and the state tables. Each is bounded
 * (a time window and a row cap) so a large log cannot make a page slow.
 */

const MINUTE = 60_000;
/** Latency percentiles are computed over at most this many recent attempts per page load. */
const LATENCY_SAMPLE = 20_000;

export interface Overview {
  minutes: Array<{ minute: number; ok: number; failed: number }>;
  attemptsLastHour: number;
  /** Per delivery, not per attempt: what reached its end in the last hour, and what is failing now. */
  deliveries: { delivered: number; neededRetry: number; failed: number; retrying: number };
  backlogDue: number;
  backlogTotal: number;
  oldestDueAgeSeconds: number;
  failingEndpoints: Array<{ id: string; name: string; url: string; enabled: boolean; disabled_reason: string | null; failing_since: number | null; failed_24h: number }>;
}

export async function overview(ctx: ServiceContext): Promise<Overview> {
  const now = ctx.now();
  const since = Math.floor((now - 59 * MINUTE) / MINUTE) * MINUTE;
  const db = ctx.store.db;
  // An attempt counts as a success when it carries no error class (see the dispatcher's record of each attempt).
  const rows = await db
    .selectFrom('attempts')
    .select([
      sql<number>`cast(at / ${sql.lit(MINUTE)} as integer)`.as('m'),
      sql<number>`sum(case when error_class is null then 1 else 0 end)`.as('ok'),
      sql<number>`count(*)`.as('n'),
    ])
    .where('id', '>=', idFloor('att', since))
    .where('at', '>=', since)
    .groupBy(sql`cast(at / ${sql.lit(MINUTE)} as integer)`)
    .execute();
  // Summed rather than assigned: a driver may hand back the quotient as a fraction, splitting one minute in groups.
  const byMinute = new Map<number, { ok: number; n: number }>();
  for (const r of rows) {
    const key = Math.floor(Number(r.m));
    const acc = byMinute.get(key) ?? { ok: 0, n: 0 };
    byMinute.set(key, { ok: acc.ok + Number(r.ok), n: acc.n + Number(r.n) });
  }
  const minutes: Overview['minutes'] = [];
  let total = 0;
  for (let m = since; m <= now; m += MINUTE) {
    const r = byMinute.get(m / MINUTE) ?? { ok: 0, n: 0 };
    minutes.push({ minute: m, ok: r.ok, failed: r.n - r.ok });
    total += r.n;
  }
  const backlog = await db
    .selectFrom('deliveries')
    .select([
      sql<number>`count(*)`.as('total'),
      sql<number>`sum(case when next_attempt_at <= ${now} then 1 else 0 end)`.as('due'),
      sql<number | null>`min(next_attempt_at)`.as('oldest'),
      // `retrying` as the delivery log shows it (see shownStatus): pending after a failed attempt.
      sql<number>`sum(case when attempts > 0 and last_error is not null then 1 else 0 end)`.as('retrying'),
    ])
    .where('status', '=', 'pending')
    .executeTakeFirst();
  const ended = await db
    .selectFrom('deliveries')
    .select([
      sql<number>`sum(case when status = 'succeeded' then 1 else 0 end)`.as('delivered'),
      sql<number>`sum(case when status = 'succeeded' and attempts > 1 then 1 else 0 end)`.as('retried'),
      sql<number>`sum(case when status = 'failed' then 1 else 0 end)`.as('failed'),
    ])
    .where('updated_at', '>=', since)
    .where('status', 'in', ['succeeded', 'failed'])
    .executeTakeFirst();
  const oldest = backlog?.oldest == null ? null : Number(backlog.oldest);
  const day = now - 24 * 3600_000;
  const failing = await db
    .selectFrom('endpoints')
    .select(['id', 'name', 'url', 'enabled', 'disabled_reason', 'failing_since'])
    .where((eb) => eb.or([eb('failing_since', 'is not', null), eb('enabled', '=', 0)]))
    .orderBy('failing_since')
    .limit(50)
    .execute();
  const failedCounts = failing.length
    ? await db
        .selectFrom('deliveries')
        .select(['endpoint_id', sql<number>`count(*)`.as('n')])
        .where('status', '=', 'failed')
        .where('endpoint_id', 'in', failing.map((f) => f.id))
        .where('created_at', '>=', day)
        .groupBy('endpoint_id')
        .execute()
    : [];
  const failedBy = new Map(failedCounts.map((r) => [r.endpoint_id, Number(r.n)]));
  return {
    minutes,
    attemptsLastHour: total,
    deliveries: {
      delivered: Number(ended?.delivered ?? 0),
      neededRetry: Number(ended?.retried ?? 0),
      failed: Number(ended?.failed ?? 0),
      retrying: Number(backlog?.retrying ?? 0),
    },
    backlogDue: Number(backlog?.due ?? 0),
    backlogTotal: Number(backlog?.total ?? 0),
    oldestDueAgeSeconds: oldest !== null && oldest <= now ? (now - oldest) / 1000 : 0,
    failingEndpoints: failing.map((f) => ({
      id: f.id,
      name: f.name,
      url: f.url,
      enabled: f.enabled === 1,
      disabled_reason: f.disabled_reason,
      failing_since: f.failing_since === null ? null : Number(f.failing_since),
      failed_24h: failedBy.get(f.id) ?? 0,
    })),
  };
}

export interface EndpointHealth {
  attempts: number;
  successRate: number | null;
  p50Ms: number | null;
}

function median(sorted: number[]): number | null {
  if (sorted.length === 0) return null;
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Per-endpoint success rate and median attempt latency over the last 24 hours (the newest attempts, capped). */
export async function endpointHealth(ctx: ServiceContext, endpointIds?: string[]): Promise<Map<string, EndpointHealth>> {
  const since = ctx.now() - 24 * 3600_000;
  let q = ctx.store.db
    .selectFrom('attempts as a')
    .innerJoin('deliveries as d', 'd.id', 'a.delivery_id')
    .select(['d.endpoint_id', 'a.duration_ms', 'a.error_class'])
    .where('a.id', '>=', idFloor('att', since))
    .orderBy('a.id', 'desc')
    .limit(LATENCY_SAMPLE);
  if (endpointIds) {
    if (endpointIds.length === 0) return new Map();
    q = q.where('d.endpoint_id', 'in', endpointIds);
  }
  const rows = await q.execute();
  const acc = new Map<string, { ok: number; durations: number[] }>();
  for (const r of rows) {
    const a = acc.get(r.endpoint_id) ?? { ok: 0, durations: [] };
    if (r.error_class === null) a.ok++;
    a.durations.push(Number(r.duration_ms));
    acc.set(r.endpoint_id, a);
  }
  const out = new Map<string, EndpointHealth>();
  for (const [id, a] of acc) {
    a.durations.sort((x, y) => x - y);
    out.set(id, { attempts: a.durations.length, successRate: a.ok / a.durations.length, p50Ms: median(a.durations) });
  }
  return out;
}

export interface IncomingRow {
  id: string;
  endpoint_id: string | null;
  source_message_id: string | null;
  action: string | null;
  body: string;
  status_code: number;
  outcome: string;
  error: string | null;
  created_at: number;
}

/** The incoming log, newest first. */
export async function listIncoming(ctx: ServiceContext, f: { endpoint_id?: string; outcome?: string; cursor?: string; limit: number }) {
  let q = ctx.store.db
    .selectFrom('incoming')
    .select(['id', 'endpoint_id', 'source_message_id', 'action', 'body', 'status_code', 'outcome', 'error', 'created_at'])
    .orderBy('id', 'desc')
    .limit(f.limit + 1);
  if (f.endpoint_id) q = q.where('endpoint_id', '=', f.endpoint_id);
  if (f.outcome) q = q.where('outcome', '=', f.outcome);
  if (f.cursor) q = q.where('id', '<', f.cursor);
  const rows = (await q.execute()) as IncomingRow[];
  const page = rows.slice(0, f.limit);
  return { data: page, next_cursor: rows.length > f.limit ? page[page.length - 1]!.id : null };
}

export interface EntityView {
  id: string;
  resources: Array<{ id: string; type: string; name: string | null; status: string | null; config: Record<string, unknown>; updated_at: string }>;
  interfaces: Array<{ type: string; resource_id: string; name: string | null; config: Record<string, unknown> }>;
}

const parseConfig = (text: string | null): Record<string, unknown> => {
  if (!text) return {};
  try {
    const v = parseLossless(text);
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
  } catch {
    return {};
  }
};

export async function readEntity(ctx: ServiceContext, id: string): Promise<EntityView> {
  const db = ctx.store.db;
  const [resources, interfaces] = await Promise.all([
    db.selectFrom('entity_resources').selectAll().where('entity_id', '=', id).orderBy('resource_id').execute(),
    db.selectFrom('entity_interfaces').selectAll().where('entity_id', '=', id).orderBy('resource_id').orderBy('type').orderBy('name').execute(),
  ]);
  return {
    id,
    resources: resources.map((r) => ({ id: r.resource_id, type: r.type, name: r.name, status: r.status, config: parseConfig(r.config), updated_at: r.updated_at })),
    interfaces: interfaces.map((i) => ({ type: i.type, resource_id: i.resource_id, name: i.name || null, config: parseConfig(i.config) })),
  };
}

/** Entities that have state, most recently changed first. */
export async function recentEntities(ctx: ServiceContext, limit = 100) {
  const rows = await ctx.store.db
    .selectFrom('entity_resources')
    .select(['entity_id', sql<string>`max(updated_at)`.as('updated_at'), sql<number>`count(*)`.as('resources')])
    .groupBy('entity_id')
    .orderBy(sql`max(updated_at)`, 'desc')
    .limit(limit)
    .execute();
  return rows.map((r) => ({ id: r.entity_id, updated_at: r.updated_at, resources: Number(r.resources) }));
}

/** Topics as stored, for the console's list and template editor (the topics API owns writes). */
export async function listTopicRows(ctx: ServiceContext) {
  return ctx.store.db.selectFrom('topics').selectAll().orderBy('name').execute();
}

export async function getTopicRow(ctx: ServiceContext, id: string) {
  return ctx.store.db.selectFrom('topics').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function endpointNames(ctx: ServiceContext): Promise<Map<string, string>> {
  const rows = await ctx.store.db.selectFrom('endpoints').select(['id', 'name']).orderBy('name').execute();
  return new Map(rows.map((r) => [r.id, r.name]));
}
