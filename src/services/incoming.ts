/**
 * Incoming messages: a backend's callbacks, answered to the `callback` URL of a message Herald delivered to it.
 * A callback is authenticated by its endpoint's callback credentials, validated, correlated with the message it
 * answers, and applied to the state of every entity of that message in one transaction. Every request that
 * reaches the route is logged in `incoming` with what Herald answered.
 */
import { createHash } from 'node:crypto';
import { sql, type Selectable, type Transaction } from 'kysely';
import { HeraldError, invalid, type Problem } from '../errors.js';
import { newId } from '../ids.js';
import { canonicalStringify } from '../incoming/canonical-state.js';
import { withExactConfigs } from '../incoming/exact-configs.js';
import { applyIncoming } from '../incoming/reduce.js';
import type { EntityState, IncomingMessage } from '../incoming/types.js';
import { validateIncoming } from '../incoming/validate.js';
import { loadEntityState } from '../store/queries/load-entity-state.js';
import { lockEntities } from '../store/queries/lock-entities.js';
import { writeEntityState } from '../store/queries/write-entity-state.js';
import { noteEntityTenant } from '../store/queries/entity-tenants.js';
import { prepared } from '../store/prepared.js';
import { relaxedTransaction } from '../store/relaxed-transaction.js';
import type { Database, IncomingTable } from '../store/schema.js';
import { callbackKeyMatches, hashCallbackKey } from '../util/constant-time.js';
import { parseLossless, stringifyExact } from '../util/lossless-json.js';
import type { ServiceContext } from './context.js';
import type { EntityEvent } from './entity-feed.js';
import { entityView } from './entities.js';
import { ADMIN, tenantOf, type Principal } from './principal.js';

export type IncomingOutcome = 'applied' | 'unchanged' | 'refused';

export interface IncomingAnswer {
  id: string;
  outcome: Exclude<IncomingOutcome, 'refused'>;
  entities: string[];
}

// Compared against when the user is unknown, so an unknown user costs what a wrong key costs.
const NO_SUCH_KEY_HASH = hashCallbackKey('herald: no endpoint has this callback user');

/**
 * The endpoint whose callback credentials are in `Authorization: Bearer <user>:<key>`. Missing, malformed,
 * unknown and wrong credentials are all the same 401, so the answer does not tell which callback users exist.
 */
export async function authenticateCallback(ctx: ServiceContext, authorization: string | undefined): Promise<string> {
  const m = /^Bearer\s+([^:\s]+):(\S+)\s*$/i.exec(authorization ?? '');
  if (!m) throw new HeraldError('unauthorized', 'missing callback credentials: send Authorization: Bearer <callback.user>:<callback.key>');
  const row = await callbackCredentials(ctx, m[1]!);
  const matches = callbackKeyMatches(m[2]!, row?.callback_key_hash ?? NO_SUCH_KEY_HASH);
  if (!row || !matches) throw new HeraldError('unauthorized', 'invalid callback credentials');
  return row.id;
}

interface Credentials {
  id: string;
  callback_key_hash: string;
}

/**
 * Credentials are read again at most this long after they were read. This process forgets them at once when
 * an endpoint changes ('endpoint-changed', which a key rotation emits); another process sharing the database
 * may accept a rotated-out key or a deleted endpoint for at most this long.
 */
const CREDENTIALS_TTL_MS = 2000;
const CREDENTIALS_MAX = 10_000;

interface CredentialCache {
  rows: Map<string, { row: Credentials; until: number }>;
  /** Counts changes, so a read that was under way while an endpoint changed is not kept. */
  generation: number;
}

const credentialCaches = new WeakMap<ServiceContext, CredentialCache>();

const selectCredentials = prepared((db, user: string) =>
  db.selectFrom('endpoints').select(['id', 'callback_key_hash']).where('callback_user', '=', user),
);

// Only users that exist are kept, so strangers guessing names cannot grow the cache.
async function callbackCredentials(ctx: ServiceContext, user: string): Promise<Credentials | undefined> {
  let cache = credentialCaches.get(ctx);
  if (!cache) {
    const created: CredentialCache = { rows: new Map(), generation: 0 };
    ctx.events.on('endpoint-changed', () => {
      created.rows.clear();
      created.generation++;
    });
    credentialCaches.set(ctx, created);
    cache = created;
  }
  const now = Date.now();
  const hit = cache.rows.get(user);
  if (hit && hit.until > now) return hit.row;
  const generation = cache.generation;
  const [row] = await selectCredentials(ctx.store.db, user);
  if (!row) {
    cache.rows.delete(user);
    return undefined;
  }
  if (generation === cache.generation) {
    if (cache.rows.size >= CREDENTIALS_MAX) cache.rows.clear();
    cache.rows.set(user, { row, until: now + CREDENTIALS_TTL_MS });
  }
  return row;
}

/**
 * The entity ids of `sourceMessageId` when that message was delivered to the endpoint. "Delivered" counts a
 * delivery that succeeded, has had at least one attempt, or is leased (its request is in flight): a backend may
 * call back before it has answered Herald, so before Herald records the attempt. A delivery never sent cannot
 * have reached the backend. Anything else is the same 404 whether or not the message exists, so one tenant's
 * backend learns nothing of another's messages.
 */
// One statement for the two questions every callback asks: a callback costs one read fewer.
const deliveredAndSeen = prepared(
  (_db, endpointId: string, sourceMessageId: string, digest: string) =>
    sql<{ entity_ids: string; seen: string | null }>`select m.entity_ids,
      (select i.id from incoming i
        where i.source_message_id = ${sourceMessageId} and i.endpoint_id = ${endpointId} and i.digest = ${digest} and i.outcome = 'applied'
        limit 1) as seen
    from deliveries d inner join messages m on m.id = d.message_id
    where d.message_id = ${sourceMessageId} and d.endpoint_id = ${endpointId}
      and (d.status = 'succeeded' or d.attempts > 0 or d.lease_owner is not null)
    limit 1`,
);

/** The message's entity ids (null: not delivered to this endpoint), and whether this very body was applied. */
async function correlate(
  trx: Transaction<Database>,
  endpointId: string,
  sourceMessageId: string,
  digest: string,
): Promise<{ entityIds: string[]; seen: boolean } | null> {
  const [row] = await deliveredAndSeen(trx, endpointId, sourceMessageId, digest);
  return row ? { entityIds: JSON.parse(row.entity_ids) as string[], seen: row.seen !== null } : null;
}

const appliedBefore = prepared((db, sourceMessageId: string, endpointId: string, digest: string) =>
  db
    .selectFrom('incoming')
    .select('id')
    .where('source_message_id', '=', sourceMessageId)
    .where('endpoint_id', '=', endpointId)
    .where('digest', '=', digest)
    .where('outcome', '=', 'applied')
    .limit(1),
);

// Only answers that reach this point are logged here, so their status is always 200 and their error null.
const logAnswered = prepared(
  (db, id: string, endpointId: string, sourceMessageId: string, action: string, digest: string, body: string, outcome: string, createdAt: number) =>
    db.insertInto('incoming').values({
      id,
      endpoint_id: endpointId,
      source_message_id: sourceMessageId,
      action,
      digest,
      body,
      status_code: 200,
      outcome,
      error: null,
      created_at: createdAt,
    }),
);

// The id is not echoed: the answer must be the same bytes whether or not the message exists.
const notDelivered = () =>
  new HeraldError('not_found', 'the source message was not delivered to this endpoint', [
    { path: '/source_message_id', message: 'names no message delivered to the endpoint these credentials belong to' },
  ]);

/** Equal for two bodies that say the same thing, whatever their key order, spacing or alias spelling. */
function digestOf(msg: IncomingMessage): string {
  return createHash('sha256').update(canonicalStringify(msg)).digest('hex');
}

type Applied =
  | { ok: true; outcome: 'applied' | 'unchanged'; entityIds: string[]; changes: EntityEvent[] }
  | { ok: false; error: HeraldError };

// Deadlocks and serialisation failures (PostgreSQL) leave nothing behind and succeed when simply run again.
const RETRYABLE = new Set(['40P01', '40001']);

async function withRetry<T>(run: () => Promise<T>, tries = 3): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await run();
    } catch (e) {
      if (i >= tries || !RETRYABLE.has((e as { code?: string })?.code ?? '')) throw e;
    }
  }
}

/**
 * Validates, correlates and applies one incoming message. Answers what happened, or throws the HeraldError the
 * client is to see (422, 404), having changed nothing: the caller logs the refusal in a write of its own.
 * A body equal to one already applied for this endpoint and source message is acknowledged and not applied
 * again: applying it again would be harmless alone, but after a later report it would roll that report back.
 * `text`, the body as received, is read again losslessly once it is valid: configs keep their numbers as the
 * backend wrote them, in the entity state and in the log.
 */
export async function receiveIncoming(ctx: ServiceContext, endpointId: string, body: unknown, text?: string): Promise<IncomingAnswer> {
  const validated = validateIncoming(body);
  if (!validated.ok) throw invalid(validated.problems, problemsMessage(validated.problems));
  const exact = text === undefined ? body : parseLossless(text);
  const msg = text === undefined ? validated.value : withExactConfigs(validated.value, exact);
  const digest = digestOf(msg);
  const id = newId('in', ctx.now());
  const logBody = stringifyExact(exact);

  // Correlation runs inside the transaction too: a request then costs one shared commit and no read of its own
  // outside it, which is what lets concurrent callbacks share one fsync.
  const result = await withRetry(() =>
    ctx.commit(async (trx): Promise<Applied> => {
      const found = await correlate(trx, endpointId, msg.source_message_id, digest);
      if (found === null) return { ok: false, error: notDelivered() };
      const { entityIds } = found;
      if (entityIds.length === 0) {
        return {
          ok: false,
          error: invalid([{ path: '/source_message_id', message: 'names a message without entity ids: there is no state to apply this to' }]),
        };
      }
      const nowMs = ctx.now();
      await lockEntities(trx, ctx.store.caps, entityIds);
      const log = (outcome: 'applied' | 'unchanged') =>
        logAnswered(trx, id, endpointId, msg.source_message_id, msg.action, digest, logBody, outcome, nowMs);
      // Where entity locks exist (PostgreSQL), another transaction may have applied this very body while this
      // one waited for them; on SQLite transactions run one at a time and the answer read above still holds.
      const seen = ctx.store.caps.advisoryLocks ? (await appliedBefore(trx, msg.source_message_id, endpointId, digest)).length > 0 : found.seen;
      if (seen) {
        await log('unchanged');
        return { ok: true, outcome: 'unchanged', entityIds, changes: [] };
      }
      // Every entity is computed before anything is written: a refusal for one leaves all of them untouched,
      // and leaves the shared transaction of a group commit with nothing to roll back.
      const nowIso = new Date(nowMs).toISOString();
      const next: { entityId: string; before: EntityState; state: EntityState }[] = [];
      const problems: Problem[] = [];
      for (const entityId of entityIds) {
        const before = await loadEntityState(trx, entityId);
        const applied = applyIncoming(before, msg, nowIso);
        if (!applied.ok) problems.push(...applied.problems.map((p) => ({ ...p, message: `${p.message} (entity ${entityId})` })));
        else if (applied.changed) next.push({ entityId, before, state: applied.state });
      }
      if (problems.length > 0) return { ok: false, error: invalid(problems, problemsMessage(problems)) };
      const changes: EntityEvent[] = [];
      for (const { entityId, before, state } of next) {
        const payload = stringifyExact(entityView(entityId, state, nowMs));
        const seq = await writeEntityState(trx, { entityId, incomingId: id, before, state, payload, nowMs });
        await noteEntityTenant(trx, entityId, endpointId);
        changes.push({ entity_id: entityId, seq });
      }
      await log(changes.length > 0 ? 'applied' : 'unchanged');
      return { ok: true, outcome: changes.length > 0 ? 'applied' : 'unchanged', entityIds, changes };
    }),
  );
  if (!result.ok) throw result.error;
  for (const change of result.changes) ctx.events.emit('entity', change);
  ctx.events.emit('incoming', { outcome: result.outcome });
  return { id, outcome: result.outcome, entities: result.entityIds };
}

function problemsMessage(problems: Problem[]): string {
  const first = problems[0];
  if (problems.length === 1 && first) return `${first.path || 'body'}: ${first.message}`;
  return `${problems.length} problems in the incoming message`;
}

export interface RefusedRequest {
  endpointId: string | null;
  /** The parsed body, when the request got that far. */
  body: unknown;
  /** The body as received, when it was read: logged with its numbers as written. */
  text?: string;
  statusCode: number;
  error: unknown;
}

/**
 * Log rows for refusals of callers that did not authenticate: at most this many at once, refilled at this many
 * a minute. Beyond it strangers are only counted (the metrics), so they cannot grow the log at will.
 */
const STRANGER_ROWS_PER_MINUTE = 60;
const strangerBudgets = new WeakMap<ServiceContext, { tokens: number; at: number }>();

function strangerRowAllowed(ctx: ServiceContext): boolean {
  const now = ctx.now();
  const b = strangerBudgets.get(ctx) ?? { tokens: STRANGER_ROWS_PER_MINUTE, at: now };
  b.tokens = Math.min(STRANGER_ROWS_PER_MINUTE, b.tokens + ((now - b.at) * STRANGER_ROWS_PER_MINUTE) / 60_000);
  b.at = now;
  strangerBudgets.set(ctx, b);
  if (b.tokens < 1) return false;
  b.tokens--;
  return true;
}

/**
 * Counts a refused request and logs it, in a relaxed write: a refusal waits for no fsync of its own, and a
 * durable commit after it makes it durable too. A request that failed authentication is logged without its body
 * (the log is for what backends sent) and within the strangers' budget; one refused for too many failed
 * authentications (429) is only counted.
 */
export async function logRefused(ctx: ServiceContext, r: RefusedRequest): Promise<void> {
  const logged = r.statusCode !== 429 && (r.endpointId !== null || strangerRowAllowed(ctx));
  ctx.events.emit('incoming', { outcome: 'refused', status: r.statusCode, logged });
  if (!logged) return;
  const body = r.endpointId === null || r.body === undefined ? '' : r.text !== undefined ? stringifyExact(parseLossless(r.text)) : JSON.stringify(r.body);
  const fields = typeof r.body === 'object' && r.body !== null ? (r.body as Record<string, unknown>) : {};
  const text = (v: unknown) => (typeof v === 'string' && v.length > 0 && v.length <= 200 ? v : null);
  await relaxedTransaction(ctx.store, (trx) =>
    trx
      .insertInto('incoming')
      .values({
        id: newId('in', ctx.now()),
        endpoint_id: r.endpointId,
        source_message_id: r.endpointId === null ? null : text(fields.source_message_id),
        action: r.endpointId === null ? null : text(fields.action) ?? text(fields.status),
        digest: null,
        body,
        status_code: r.statusCode,
        outcome: 'refused',
        error: JSON.stringify(r.error),
        created_at: ctx.now(),
      })
      .execute(),
  );
}

export interface IncomingFilter {
  source_message_id?: string;
  endpoint_id?: string;
  cursor?: string;
  limit: number;
}

function incomingJson(row: Selectable<IncomingTable>) {
  let error: unknown = row.error;
  try {
    error = row.error === null ? null : JSON.parse(row.error);
  } catch {
    // A log row written by hand or by an older Herald keeps its text as it is.
  }
  return {
    id: row.id,
    endpoint_id: row.endpoint_id,
    source_message_id: row.source_message_id,
    action: row.action,
    outcome: row.outcome,
    status_code: row.status_code,
    error,
    digest: row.digest,
    body: row.body,
    created_at: new Date(row.created_at).toISOString(),
  };
}

/** The incoming log, newest first. Ids sort by creation time, so the last id of a page is the next cursor. */
export async function listIncoming(ctx: ServiceContext, f: IncomingFilter, principal: Principal = ADMIN) {
  let q = ctx.store.db.selectFrom('incoming').selectAll().orderBy('id', 'desc').limit(f.limit + 1);
  const own = tenantOf(principal);
  if (own !== null) q = q.where('endpoint_id', 'in', (eb) => eb.selectFrom('endpoints').select('id').where('tenant', '=', own));
  if (f.source_message_id) q = q.where('source_message_id', '=', f.source_message_id);
  if (f.endpoint_id) q = q.where('endpoint_id', '=', f.endpoint_id);
  if (f.cursor) q = q.where('id', '<', f.cursor);
  const rows = await q.execute();
  const page = rows.slice(0, f.limit);
  return { data: page.map(incomingJson), next_cursor: rows.length > f.limit ? page[page.length - 1]!.id : null };
}

/** The stored trace context of a message (for a callback's span to link to); null when it has none or is gone. */
export async function messageTraceparent(ctx: ServiceContext, messageId: string): Promise<string | null> {
  const row = await ctx.store.db.selectFrom('messages').select('traceparent').where('id', '=', messageId).executeTakeFirst();
  return row?.traceparent ?? null;
}
