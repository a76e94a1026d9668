import { createHash } from 'node:crypto';
import { sql, type Insertable, type Transaction } from 'kysely';
import { resolveEvent } from '../catalog/catalog.js';
import { eventKey } from '../catalog/event-key.js';
import { HeraldError, invalid, type Problem } from '../errors.js';
import { canonicalLossless, parseLossless } from '../util/lossless-json.js';
import { newId } from '../ids.js';
import { messageView } from '../delivery/message-cache.js';
import type { MessageView } from '../formats/types.js';
import { bulkInsert } from '../store/bulk-insert.js';
import type { Batcher } from '../store/group-commit.js';
import type { ClaimedDelivery } from '../store/queries/claim-due-deliveries.js';
import { IDEMPOTENCY_WINDOW_MS } from '../store/idempotency-window.js';
import type { Database, DeliveriesTable, MessagesTable } from '../store/schema.js';
import type { CatalogService } from './catalog.js';
import type { ServiceContext } from './context.js';
import { routeEvent, type RouteSubscription, type RouteTopic } from './routing.js';
import { filterDocument } from '../filter/evaluate.js';
import { storedFilter } from '../filter/stored.js';
import type { makeTopicCache } from './topic-cache.js';
import { orderingKeyFor, orderingOf, type Ordering } from '../delivery/ordering.js';

export interface EventInput {
  type: string;
  action: string;
  result?: string;
  entity_ids?: string[];
  data?: Record<string, unknown>;
  /**
   * `data` as the publisher wrote it, when the caller has the text (the API does): it is stored and sent as it
   * is. Without it, `data` is written with JSON.stringify.
   */
  dataText?: string;
  tenant?: string;
  scope?: { domain_id?: string; project_id?: string };
  idempotency_key?: string;
  coalesce_ms?: number;
  /**
   * Set only by Herald for its operational events (never read from a request): the endpoint the event is about,
   * which never receives it, so an endpoint subscribed to `ENDPOINT/*` is not told about itself.
   */
  about_endpoint?: string;
  /** What the event is ordered by on endpoints with `entity` ordering; without it, its first entity id. */
  ordering_key?: string;
}

export interface Published {
  id: string;
  deliveries: number;
}

/** Emitted on ctx.events as `filtered` after a publish commits: subscriptions passed over by their filter. */
export interface FilteredEvent {
  type: string;
  count: number;
}

interface TenantRoutes {
  subs: RouteSubscription[];
  ordering: Map<string, Ordering>;
}

interface ResolvedEvent {
  tenant: string;
  type: string;
  action: string;
  result: 'succeed' | 'failed';
  key: string;
  entityIds: string[];
  data: Record<string, unknown>;
  /** `data` as stored. */
  dataText: string;
  domainId: string | null;
  projectId: string | null;
  idempotencyKey: string | null;
  orderingKey: string | null;
  coalesceMs: number;
  /** Only events with the same window key join one message; null when the event does not coalesce. */
  coalesceKey: string | null;
  aboutEndpoint: string | null;
}

/**
 * What one event writes, fixed before the first try: a commit run again after its outcome was lost (the
 * connection went during COMMIT) writes the same ids at the same time, and its inserts skip what is there.
 */
interface Planned extends ResolvedEvent {
  acceptedAt: number;
  messageId: string;
  /** The trace context of the publish request the event came in. */
  traceparent: string | null;
  /** One per route, drawn the first time the route is seen and reused by every later try. */
  deliveryIds: string[];
}

/**
 * Events join one message only when everything a receiver sees but the entity ids is the same: tenant, event key,
 * scope, and `data` (compared in canonical form, so key order and spacing do not matter; numbers compare
 * by their spelling, never as rounded doubles). Hashed, so a large
 * `data` still fits the index.
 */
function coalesceKeyOf(tenant: string, key: string, domainId: string | null, projectId: string | null, dataText: string): string {
  return createHash('sha256').update(JSON.stringify([tenant, key, domainId, projectId, canonicalLossless(parseLossless(dataText))])).digest('hex');
}

const windowLock = (coalesceKey: string) => `herald.coalesce:${coalesceKey}`;
const idempotencyLock = (tenant: string, key: string) => `herald.idempotency:${JSON.stringify([tenant, key])}`;

/**
 * A coalesced message is sent this long after its window closes, so an event that joined it in the window's
 * last instant is committed before a worker reads the message.
 */
export const COALESCE_GRACE_MS = 250;

/** One publish's share of a batched store. */
interface StoreInput {
  events: Planned[];
  topicMap: Map<string, RouteTopic>;
}

interface Stored {
  published: Published[];
  fresh: { view: MessageView; bytes: number }[];
  filtered: FilteredEvent[];
  /** Deliveries stored leased to this process's worker, for it to adopt as soon as the commit is made (before any WAL sync). */
  handed: ClaimedDelivery[];
  /** Sendable deliveries stored without a lease: a worker must claim them. */
  unleased: number;
}
export const NOTIFY_CHANNEL = 'herald_deliveries';

export function makePublisher(ctx: ServiceContext, catalog: CatalogService, topics: ReturnType<typeof makeTopicCache>) {
  /** Refuses, all at once, every event whose `data` is over the limit: 413 naming each one and the setting. */
  function checkSizes(events: EventInput[], pathOf: (i: number) => string): string[] {
    const limit = ctx.config.maxEventBytes;
    const texts: string[] = [];
    const over: Problem[] = [];
    events.forEach((ev, i) => {
      const text = ev.dataText ?? JSON.stringify(ev.data ?? {});
      texts.push(text);
      const bytes = Buffer.byteLength(text);
      if (bytes > limit) over.push({ path: `${pathOf(i)}/data`, message: `is ${bytes} bytes of JSON, over the limit of ${limit} bytes (HERALD_MAX_EVENT_BYTES)` });
    });
    if (over.length > 0) {
      const first = over[0]!;
      const message = over.length === 1 ? `${first.path}: ${first.message}` : `${over.length} events have data over the limit of ${limit} bytes (HERALD_MAX_EVENT_BYTES)`;
      throw new HeraldError('payload_too_large', message, over);
    }
    return texts;
  }

  function resolveAll(events: EventInput[], texts: string[], pathOf: (i: number) => string): { resolved: Planned[]; problems: Problem[] } {
    const problems: Problem[] = [];
    const resolved: Planned[] = [];
    events.forEach((ev, i) => {
      const r = resolveEvent(catalog.entries(), ev);
      if (!r.ok) {
        for (const p of r.problems) problems.push({ ...p, path: pathOf(i) + p.path });
        return;
      }
      const data = ev.data ?? {};
      // The schema sees `data` as JSON.parse read it: a number beyond 2^53 is checked (minimum, maximum,
      // multipleOf) as the nearest double. Only the check is approximate; the text stored and sent is exact.
      const validate = catalog.dataValidator(r.type);
      if (validate && !validate(data)) {
        for (const err of validate.errors ?? []) {
          const allowed = (err.params as { allowedValues?: unknown[] }).allowedValues;
          problems.push({
            path: `${pathOf(i)}/data${err.instancePath}`,
            message: err.message ?? 'is invalid',
            ...(allowed ? { allowed: allowed.map(String) } : {}),
          });
        }
        return;
      }
      const tenant = ev.tenant ?? 'default';
      const key = eventKey(r);
      const domainId = ev.scope?.domain_id ?? null;
      const projectId = ev.scope?.project_id ?? null;
      const coalesceMs = ev.coalesce_ms ?? 0;
      resolved.push({
        tenant,
        type: r.type,
        action: r.action,
        result: r.result,
        key,
        entityIds: ev.entity_ids ?? [],
        data,
        dataText: texts[i]!,
        domainId,
        projectId,
        idempotencyKey: ev.idempotency_key ?? null,
        orderingKey: ev.ordering_key ?? null,
        coalesceMs,
        coalesceKey: coalesceMs > 0 ? coalesceKeyOf(tenant, key, domainId, projectId, texts[i]!) : null,
        aboutEndpoint: ev.about_endpoint ?? null,
        // Set by publish once the events are accepted; in the object from the start so its shape never changes.
        acceptedAt: 0,
        messageId: '',
        traceparent: null,
        deliveryIds: [],
      });
    });
    return { resolved, problems };
  }

  /** A tenant's subscriptions, and the ordering of each endpoint they lead to. */
  async function subscriptionsOf(trx: Transaction<Database>, tenant: string): Promise<TenantRoutes> {
    const rows = await trx
      .selectFrom('subscriptions as s')
      .innerJoin('endpoints as e', 'e.id', 's.endpoint_id')
      .select(['s.id', 's.endpoint_id', 's.events', 's.topics', 's.resource_scope', 's.attribution_id', 's.enabled', 's.filter', 'e.enabled as endpoint_enabled', 'e.ordering'])
      .where('e.tenant', '=', tenant)
      .execute();
    const ordering = new Map<string, Ordering>();
    for (const r of rows) ordering.set(r.endpoint_id, orderingOf(r.ordering));
    const subs = rows.map((r) => ({
      id: r.id,
      endpoint_id: r.endpoint_id,
      events: JSON.parse(r.events) as string[],
      topics: JSON.parse(r.topics) as string[],
      resource_scope: r.resource_scope,
      attribution_id: r.attribution_id,
      enabled: r.enabled === 1,
      endpoint_enabled: r.endpoint_enabled === 1,
      filter: storedFilter(r.filter),
    }));
    return { subs, ordering };
  }

  async function countSendable(trx: Transaction<Database>, messageId: string): Promise<number> {
    const row = await trx
      .selectFrom('deliveries')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('message_id', '=', messageId)
      .where('status', '!=', 'skipped')
      .executeTakeFirst();
    return Number(row?.n ?? 0);
  }

  /**
   * Stores the events and fans them out, all inside the caller's transaction. Plain events are written with
   * multi-row inserts; the rows gathered so far are written before any idempotency or coalescing lookup, so a
   * lookup sees every earlier event of the same batch. The transaction already holds the locks of every window
   * and idempotency key named here (locksOf), so each lookup-then-write below is alone on its key across
   * processes. Running this again after a commit of unknown outcome writes nothing twice (see Planned).
   */
  async function storeEvents(trx: Transaction<Database>, events: Planned[], topicMap: Map<string, RouteTopic>): Promise<Stored> {
    const fresh: { view: MessageView; bytes: number }[] = [];
    const handed: ClaimedDelivery[] = [];
    let unleased = 0;
    const filteredOut: FilteredEvent[] = [];
    const subsByTenant = new Map<string, TenantRoutes>();
    const out: Published[] = [];
    let messageRows: Insertable<MessagesTable>[] = [];
    let deliveryRows: Insertable<DeliveriesTable>[] = [];

    async function writePending(): Promise<void> {
      await bulkInsert(trx, ctx.store.caps, 'messages', messageRows, { skipExisting: true });
      await bulkInsert(trx, ctx.store.caps, 'deliveries', deliveryRows, { skipExisting: true });
      messageRows = [];
      deliveryRows = [];
    }

    for (const ev of events) {
      const now = ev.acceptedAt;
      const coalesceKey = ev.coalesceKey;
      if (ev.idempotencyKey || coalesceKey) await writePending();
      if (ev.idempotencyKey) {
        const seen = await trx
          .selectFrom('idempotency')
          .select(['message_id', 'created_at'])
          .where('tenant', '=', ev.tenant)
          .where('key', '=', ev.idempotencyKey)
          .executeTakeFirst();
        if (seen && seen.created_at > now - IDEMPOTENCY_WINDOW_MS) {
          out.push({ id: seen.message_id, deliveries: await countSendable(trx, seen.message_id) });
          continue;
        }
        if (seen) await trx.deleteFrom('idempotency').where('tenant', '=', ev.tenant).where('key', '=', ev.idempotencyKey).execute();
      }
      if (coalesceKey) {
        // A window is joined while the event falls inside it and its deliveries are still far enough off
        // (half the grace) for this commit to land before a worker reads the message.
        const cutoff = Math.max(now, ctx.now() - COALESCE_GRACE_MS / 2);
        const open = await trx
          .selectFrom('messages')
          .select(['id', 'entity_ids'])
          .where('coalesce_key', '=', coalesceKey)
          .where('coalesce_until', '>', cutoff)
          .orderBy('created_at', 'desc')
          .limit(1)
          .executeTakeFirst();
        if (open) {
          const ids = JSON.parse(open.entity_ids) as string[];
          const merged = [...ids, ...ev.entityIds.filter((id, i, all) => !ids.includes(id) && all.indexOf(id) === i)];
          if (merged.length > ids.length) {
            await trx.updateTable('messages').set({ entity_ids: JSON.stringify(merged) }).where('id', '=', open.id).execute();
          }
          if (ev.idempotencyKey) {
            await trx.insertInto('idempotency').values({ tenant: ev.tenant, key: ev.idempotencyKey, message_id: open.id, created_at: now }).execute();
          }
          out.push({ id: open.id, deliveries: await countSendable(trx, open.id) });
          continue;
        }
      }
      const messageId = ev.messageId;
      const coalesceUntil = coalesceKey ? now + ev.coalesceMs : null;
      let tenantRoutes = subsByTenant.get(ev.tenant);
      if (!tenantRoutes) {
        tenantRoutes = await subscriptionsOf(trx, ev.tenant);
        subsByTenant.set(ev.tenant, tenantRoutes);
      }
      const { subs, ordering } = tenantRoutes;
      const document = () =>
        filterDocument({ ...ev, entityIds: [...new Set(ev.entityIds)], data: parseLossless(ev.dataText) });
      const routed = routeEvent({ eventKey: ev.key, domainId: ev.domainId, projectId: ev.projectId, document }, subs, topicMap);
      // An event about an endpoint never goes to that endpoint (see services/operational-events.ts).
      const routes = ev.aboutEndpoint === null ? routed.routes : routed.routes.filter((r) => r.endpointId !== ev.aboutEndpoint);
      const filtered = routed.filtered;
      if (filtered.length > 0) filteredOut.push({ type: ev.type, count: filtered.length });
      messageRows.push({
        id: messageId,
        tenant: ev.tenant,
        type: ev.type,
        action: ev.action,
        result: ev.result,
        event_key: ev.key,
        entity_ids: JSON.stringify([...new Set(ev.entityIds)]),
        data: ev.dataText,
        scope_domain_id: ev.domainId,
        scope_project_id: ev.projectId,
        idempotency_key: ev.idempotencyKey,
        coalesce_key: coalesceKey,
        coalesce_until: coalesceUntil,
        filtered_out: filtered.length ? JSON.stringify(filtered.map((f) => ({ subscription_id: f.subscriptionId, endpoint_id: f.endpointId }))) : null,
        traceparent: ev.traceparent,
        created_at: now,
      });
      const row = messageRows[messageRows.length - 1]!;
      // What the worker's byte budget counts for the message (see claimed-jobs.ts): its stored JSON's length
      // stands in for what the parsed view holds.
      const messageBytes = row.data.length + row.entity_ids.length + 256;
      if (!coalesceKey && ctx.recentMessages) fresh.push({ view: messageView(row, [...new Set(ev.entityIds)]), bytes: messageBytes });
      const due = coalesceUntil === null ? now : coalesceUntil + COALESCE_GRACE_MS;
      routes.forEach((r, i) => {
        const id = (ev.deliveryIds[i] ??= newId('dlv', now));
        const orderingKey = r.skipReason ? null : orderingKeyFor(ordering.get(r.endpointId) ?? 'none', ev);
        // Only what is due now and unordered is handed over: an ordered delivery waits for its turn, which the
        // claim decides, and a coalescing one for its window.
        const lease =
          !r.skipReason && orderingKey === null && coalesceUntil === null ? (ctx.handOver?.lease(r.endpointId, id, messageBytes) ?? null) : null;
        if (lease) handed.push({ id, message_id: messageId, endpoint_id: r.endpointId, topic_id: r.topicId, event_key: ev.key, attempts: 0, next_attempt_at: due, ordering_key: null });
        else if (!r.skipReason) unleased++;
        deliveryRows.push({
          id,
          message_id: messageId,
          endpoint_id: r.endpointId,
          subscription_id: r.subscriptionId,
          topic_id: r.topicId,
          tenant: ev.tenant,
          event_key: ev.key,
          status: r.skipReason ? 'skipped' : 'pending',
          attempts: 0,
          next_attempt_at: r.skipReason ? null : due,
          lease_owner: lease?.owner ?? null,
          lease_expires_at: lease?.expiresAt ?? null,
          last_status_code: null,
          last_error: r.skipReason,
          ordering_key: orderingKey,
          created_at: now,
          updated_at: now,
        });
      });
      if (ev.idempotencyKey || coalesceKey) {
        await writePending();
        if (ev.idempotencyKey) {
          await trx.insertInto('idempotency').values({ tenant: ev.tenant, key: ev.idempotencyKey, message_id: messageId, created_at: now }).execute();
        }
      }
      const sendable = routes.filter((r) => !r.skipReason).length;
      out.push({ id: messageId, deliveries: sendable });
    }
    await writePending();
    // Other processes' workers are told only of work no worker here has taken.
    if (unleased > 0 && ctx.store.caps.notify) await sql`select pg_notify(${NOTIFY_CHANNEL}, '')`.execute(trx);
    return { published: out, fresh, filtered: filteredOut, handed, unleased };
  }

  /**
   * Publishes that share a transaction are stored as one: their events in one storeEvents, as one request with all
   * of them would be. Events keep their order, so an idempotency key or coalescing window used twice among them
   * behaves as it does within one request. What the commit hands on (messages for the worker, hand-overs,
   * filter counts) goes with the first publish of each run; every publish gets its own events' answers.
   */
  const storeBatcher: Batcher<StoreInput, Stored> = {
    async run(trx, inputs) {
      const out: Stored[] = [];
      for (let i = 0; i < inputs.length; ) {
        // A topic change between two publishes gives them different maps: each run routes with its own.
        let j = i + 1;
        while (j < inputs.length && inputs[j]!.topicMap === inputs[i]!.topicMap) j++;
        const run = inputs.slice(i, j);
        const stored = await storeEvents(trx, run.flatMap((r) => r.events), inputs[i]!.topicMap);
        let at = 0;
        run.forEach((r, k) => {
          const published = stored.published.slice(at, at + r.events.length);
          at += r.events.length;
          out.push(k === 0 ? { ...stored, published } : { published, fresh: [], filtered: [], handed: [], unleased: 0 });
        });
        i = j;
      }
      return out;
    },
  };

  /** The keys a publish holds for its whole transaction: its coalescing windows and idempotency keys. */
  function locksOf(events: Planned[]): string[] {
    const locks: string[] = [];
    for (const ev of events) {
      if (ev.coalesceKey) locks.push(windowLock(ev.coalesceKey));
      if (ev.idempotencyKey) locks.push(idempotencyLock(ev.tenant, ev.idempotencyKey));
    }
    return locks;
  }

  /**
   * `traceparent`: the trace context of the publish, stored with every message it creates (a message it joins
   * keeps the context of the publish that made it).
   */
  return async function publish(events: EventInput[], pathOf: (i: number) => string, traceparent: string | null = null): Promise<Published[]> {
    const texts = checkSizes(events, pathOf);
    let { resolved, problems } = resolveAll(events, texts, pathOf);
    if (problems.length > 0) {
      // A type added by another process may not be loaded here yet: look once more before refusing.
      await catalog.refreshIfStale();
      ({ resolved, problems } = resolveAll(events, texts, pathOf));
    }
    if (problems.length > 0) throw invalid(problems);
    const topicMap = await topics();
    const acceptedAt = ctx.now();
    const planned = resolved;
    for (const ev of planned) {
      ev.acceptedAt = acceptedAt;
      ev.messageId = newId('msg', acceptedAt);
      ev.traceparent = traceparent;
    }
    // Committed: the worker of this process may take the messages from memory instead of reading them back, and
    // starts what was handed to it at once. It does not wait for the sync that the answer waits for: only an OS
    // crash in that moment could then lose an event a receiver already has, and its publisher, never answered,
    // publishes it again (at-least-once).
    const onCommit = (result: unknown) => {
      const { fresh, handed } = result as Stored;
      for (const { view, bytes } of fresh) ctx.recentMessages?.put(view, bytes);
      if (handed.length > 0 && ctx.handOver) {
        ctx.handOver.adopt(handed);
        ctx.events.emit('handed-over', handed.length);
      }
    };
    const { published, filtered, unleased } = await ctx.commit.batched(storeBatcher, { events: planned, topicMap }, { locks: locksOf(planned), idempotent: true, onCommit });
    // What no worker here took waits for a claim: this process's worker is told once the commit is durable.
    if (unleased > 0) ctx.events.emit('wake');
    for (const f of filtered) ctx.events.emit('filtered', f);
    return published;
  };
}

export type Publisher = ReturnType<typeof makePublisher>;
