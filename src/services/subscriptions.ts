import type { Selectable } from 'kysely';
import { normalizePattern, patternProblem } from '../catalog/patterns.js';
import { invalid, notFound, type Problem } from '../errors.js';
import { newId } from '../ids.js';
import type { SubscriptionsTable } from '../store/schema.js';
import type { ServiceContext } from './context.js';
import { compileFilter } from '../filter/compile.js';
import { parseLossless, stringifyExact } from '../util/lossless-json.js';
import { ADMIN, tenantOf, type Principal } from './principal.js';

export type Scope = 'system' | 'domain' | 'project';

export interface SubscriptionInput {
  endpoint_id: string;
  events?: string[];
  topics?: string[];
  scope?: { resource_scope: Scope; attribution_id?: string | null };
  enabled?: boolean;
  /** A filter on the event's fields; null removes it. */
  filter?: Record<string, unknown> | null;
  /** `filter` as the client wrote it, when the caller has the text: its numbers are read exactly from it. */
  filterText?: string;
}

export type SubscriptionPatch = Partial<Omit<SubscriptionInput, 'endpoint_id'>>;

type Row = Selectable<SubscriptionsTable>;

export function subscriptionJson(r: Row) {
  return {
    id: r.id,
    endpoint_id: r.endpoint_id,
    events: JSON.parse(r.events) as string[],
    topics: JSON.parse(r.topics) as string[],
    scope: { resource_scope: r.resource_scope, attribution_id: r.attribution_id },
    enabled: r.enabled === 1,
    // Read losslessly: a filter's 64-bit integers are shown as the client wrote them (the routes reply with stringifyExact).
    filter: r.filter === null ? null : parseLossless(r.filter),
    created_at: new Date(r.created_at).toISOString(),
    updated_at: new Date(r.updated_at).toISOString(),
  };
}

/** The event patterns that are not valid, by index; entries that are not strings are the schema's to name. */
export function eventPatternProblems(events: readonly unknown[]): Problem[] {
  const problems: Problem[] = [];
  events.forEach((p, i) => {
    const issue = typeof p === 'string' ? patternProblem(p) : null;
    if (issue) problems.push({ path: `/events/${i}`, message: issue });
  });
  return problems;
}

async function problemsOf(ctx: ServiceContext, events: string[], topics: string[], scope: Scope, attribution: string | null): Promise<Problem[]> {
  const problems: Problem[] = eventPatternProblems(events);
  if (events.length === 0 && topics.length === 0) problems.push({ path: '/events', message: 'give at least one event pattern or topic' });
  if (topics.length > 0) {
    const found = await ctx.store.db.selectFrom('topics').select('id').where('id', 'in', topics).execute();
    const known = new Set(found.map((t) => t.id));
    topics.forEach((t, i) => {
      if (!known.has(t)) problems.push({ path: `/topics/${i}`, message: `topic ${t} does not exist` });
    });
  }
  if (scope !== 'system' && !attribution) {
    problems.push({ path: '/scope/attribution_id', message: `required when resource_scope is ${scope}: the ${scope} id events must carry` });
  }
  return problems;
}

/** The filter to store (compact JSON text, or null), or its problems with paths under /filter. */
function filterOf(input: { filter?: Record<string, unknown> | null; filterText?: string }, problems: Problem[]): string | null {
  if (input.filter === undefined || input.filter === null) return null;
  const compiled = compileFilter(input.filterText ?? stringifyExact(input.filter));
  if (compiled.ok) return compiled.filter.text;
  for (const p of compiled.problems) problems.push({ path: `/filter${p.path}`, message: p.message, ...(p.allowed ? { allowed: p.allowed } : {}) });
  return null;
}

/** A subscription the principal may see: one of an endpoint of its tenant. Another tenant's is a 404. */
async function getRow(ctx: ServiceContext, id: string, principal: Principal): Promise<Row> {
  const own = tenantOf(principal);
  let q = ctx.store.db.selectFrom('subscriptions').selectAll().where('id', '=', id);
  if (own !== null) q = q.where('endpoint_id', 'in', (eb) => eb.selectFrom('endpoints').select('id').where('tenant', '=', own));
  const row = await q.executeTakeFirst();
  if (!row) throw notFound('subscription', id);
  return row;
}

export async function createSubscription(ctx: ServiceContext, input: SubscriptionInput, principal: Principal = ADMIN) {
  const own = tenantOf(principal);
  let eq = ctx.store.db.selectFrom('endpoints').select('id').where('id', '=', input.endpoint_id);
  if (own !== null) eq = eq.where('tenant', '=', own);
  const endpoint = await eq.executeTakeFirst();
  const events = (input.events ?? []).map(normalizePattern);
  const topics = input.topics ?? [];
  const scope = input.scope?.resource_scope ?? 'system';
  const attribution = scope === 'system' ? null : (input.scope?.attribution_id ?? null);
  const problems = await problemsOf(ctx, events, topics, scope, attribution);
  if (!endpoint) problems.unshift({ path: '/endpoint_id', message: `endpoint ${input.endpoint_id} does not exist` });
  const filter = filterOf(input, problems);
  if (problems.length) throw invalid(problems);
  const now = ctx.now();
  const row: Row = {
    id: newId('sub', now),
    endpoint_id: input.endpoint_id,
    events: JSON.stringify(events),
    topics: JSON.stringify(topics),
    resource_scope: scope,
    attribution_id: attribution,
    enabled: input.enabled === false ? 0 : 1,
    filter,
    created_at: now,
    updated_at: now,
  };
  await ctx.store.db.insertInto('subscriptions').values(row).execute();
  return subscriptionJson(row);
}

export async function getSubscription(ctx: ServiceContext, id: string, principal: Principal = ADMIN) {
  return subscriptionJson(await getRow(ctx, id, principal));
}

export async function updateSubscription(ctx: ServiceContext, id: string, patch: SubscriptionPatch, principal: Principal = ADMIN) {
  const row = await getRow(ctx, id, principal);
  const events = patch.events ? patch.events.map(normalizePattern) : (JSON.parse(row.events) as string[]);
  const topics = patch.topics ?? (JSON.parse(row.topics) as string[]);
  const scope = (patch.scope?.resource_scope ?? row.resource_scope) as Scope;
  const attribution = scope === 'system' ? null : patch.scope ? (patch.scope.attribution_id ?? null) : row.attribution_id;
  const problems = await problemsOf(ctx, events, topics, scope, attribution);
  const filter = patch.filter === undefined ? row.filter : filterOf(patch, problems);
  if (problems.length) throw invalid(problems);
  const next: Row = {
    ...row,
    events: JSON.stringify(events),
    topics: JSON.stringify(topics),
    resource_scope: scope,
    attribution_id: attribution,
    enabled: patch.enabled === undefined ? row.enabled : patch.enabled ? 1 : 0,
    filter,
    updated_at: ctx.now(),
  };
  const { id: _id, ...values } = next;
  await ctx.store.db.updateTable('subscriptions').set(values).where('id', '=', id).execute();
  return subscriptionJson(next);
}

export async function deleteSubscription(ctx: ServiceContext, id: string, principal: Principal = ADMIN): Promise<void> {
  await getRow(ctx, id, principal);
  await ctx.store.db.deleteFrom('subscriptions').where('id', '=', id).execute();
}

export async function listSubscriptions(ctx: ServiceContext, f: { endpoint_id?: string; cursor?: string; limit: number }, principal: Principal = ADMIN) {
  let q = ctx.store.db.selectFrom('subscriptions').selectAll().orderBy('id').limit(f.limit + 1);
  const own = tenantOf(principal);
  if (own !== null) q = q.where('endpoint_id', 'in', (eb) => eb.selectFrom('endpoints').select('id').where('tenant', '=', own));
  if (f.endpoint_id) q = q.where('endpoint_id', '=', f.endpoint_id);
  if (f.cursor) q = q.where('id', '>', f.cursor);
  const rows = await q.execute();
  const page = rows.slice(0, f.limit);
  return { data: page.map(subscriptionJson), next_cursor: rows.length > f.limit ? page[page.length - 1]!.id : null };
}
