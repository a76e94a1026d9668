import { sql, type Kysely } from 'kysely';
import type { Store } from '../database.js';
import type { Capabilities } from '../capabilities.js';
import { idListParam, inIdList, inIds } from '../id-list.js';
import { preparedPerStore } from '../prepared.js';
import { relaxedStatement, relaxedTransaction } from '../relaxed-transaction.js';
import type { Database } from '../schema.js';

export interface ClaimedDelivery {
  id: string;
  message_id: string;
  endpoint_id: string;
  topic_id: string | null;
  event_key: string;
  attempts: number;
  next_attempt_at: number;
  ordering_key: string | null;
}

export interface ClaimOptions {
  owner: string;
  nowMs: number;
  leaseMs: number;
  limit: number;
  /**
   * Only deliveries due at or after this time (0: all). A worker that knows every earlier due row is done or
   * held skips them instead of walking past them; on PostgreSQL that walk also crosses the dead index entries
   * every finished delivery leaves until vacuum, and grows with everything delivered since.
   */
  fromMs: number;
  /** Endpoints this worker cannot take more work for right now (in-flight cap or rate limit). */
  excludeEndpoints: string[];
}

/**
 * Claims due deliveries by leasing them to `owner`. One statement on both databases; on PostgreSQL the inner
 * select skips rows other workers hold, so any number of workers claim side by side without waiting.
 * A lease that expires (its worker died and stopped renewing it) makes the delivery claimable again.
 * (Moving `next_attempt_at` to the lease's end would keep leased rows out of the scan, but rewriting that index
 * entry for every claimed row costs more than skipping the few hundred rows a worker holds.)
 */
export async function claimDueDeliveries(store: Store, o: ClaimOptions): Promise<ClaimedDelivery[]> {
  return relaxedStatement(store, (db) => claimIn(db, store, o));
}

/**
 * The claim statement, built once per database (it runs for every batch). The endpoints to skip travel as one
 * list parameter, so the text does not change with their number.
 */
const claimStatement = preparedPerStore((caps: Capabilities) =>
  (db: Kysely<Database>, owner: string, leaseUntil: number, now: number, limit: number, exclude: unknown, from: number) => {
    let due = db
      .selectFrom('deliveries as d')
      .select('d.id')
      .where('d.status', '=', 'pending')
      .where('d.next_attempt_at', '<=', now)
      .where('d.next_attempt_at', '>=', from)
      .where((eb) => eb.or([eb('d.lease_expires_at', 'is', null), eb('d.lease_expires_at', '<', now)]))
      .where((eb) => eb.exists(eb.selectFrom('endpoints as e').select('e.id').whereRef('e.id', '=', 'd.endpoint_id').where('e.enabled', '=', 1)))
      .where((eb) => eb.not(inIdList(caps.idListParam, 'd.endpoint_id', exclude)))
      .where(inTurn(caps, now))
      .orderBy('d.next_attempt_at')
      .limit(limit);
    if (caps.skipLocked) due = due.forUpdate().skipLocked();
    return db
      .updateTable('deliveries')
      .set({ lease_owner: owner, lease_expires_at: leaseUntil })
      .where('id', 'in', due)
      .returning(['id', 'message_id', 'endpoint_id', 'topic_id', 'event_key', 'attempts', 'next_attempt_at', 'ordering_key']);
  },
);

/**
 * Ordered delivery: a delivery with an ordering key is due only when it is its key's turn, that is when no
 * delivery of the same endpoint and key stored before it is still pending (whatever its next attempt or lease:
 * a failing one holds its successors until it succeeds or is exhausted), and none of the key is out under a
 * live lease (a delivery re-queued behind one already sent waits for it). Everything lives in the rows, so it
 * holds for any number of workers and across their deaths: a dead worker's lease expires and the same head is
 * claimed again, while its successors still see it pending. Two workers cannot take a head and its successor
 * together: the successor's check sees the head pending in any snapshot, and in one claim the same holds
 * between rows, so a batch takes at most one delivery per key. Unordered deliveries (null key) skip the check,
 * so endpoints without ordering claim as before. 'pending' is written as a literal so both databases match
 * the partial index that holds only pending ordered rows.
 * Held rows stay due, ahead of later work: a claim walks past them at one index probe each. Claims that start
 * from the loop's floor skip them (a successor is made due again when its head settles, see record-outcomes);
 * the full scan, once a second, pays for every held row, which a deep backlog on an ordered endpoint makes slow.
 */
function inTurn(caps: Capabilities, now: number) {
  const seq = sql.raw(caps.insertOrder);
  return sql<boolean>`(d.ordering_key is null or not exists (
    select 1 from deliveries o
    where o.endpoint_id = d.endpoint_id and o.ordering_key = d.ordering_key
      and o.status = 'pending' and o.ordering_key is not null and o.id <> d.id
      and (o.${seq} < d.${seq} or o.lease_expires_at >= ${now})
  ))`;
}

async function claimIn(db: Kysely<Database>, store: Store, o: ClaimOptions): Promise<ClaimedDelivery[]> {
  return claimStatement(store.caps)(db, o.owner, o.nowMs + o.leaseMs, o.nowMs, o.limit, idListParam(store.caps, o.excludeEndpoints), o.fromMs) as Promise<ClaimedDelivery[]>;
}

/** When the next delivery falls due, so an idle worker knows how long it may sleep. */
export async function nextDueAt(store: Store): Promise<number | null> {
  const row = await store.db
    .selectFrom('deliveries')
    .select((eb) => eb.fn.min('next_attempt_at').as('at'))
    .where('status', '=', 'pending')
    .where('lease_owner', 'is', null)
    .executeTakeFirst();
  return row?.at == null ? null : Number(row.at);
}

/** A lease as its holder knows it: the delivery and the attempt count it was claimed with. */
export interface HeldLease {
  id: string;
  attempts: number;
}

/**
 * Gives back leases this worker holds but will not finish (shutdown, surplus), so others can take them at once.
 * Like an outcome, a release holds only for the lease it names: owner and attempt count. A delivery re-queued by
 * hand and claimed again since is another lease, and stays with whoever holds it.
 */
export async function releaseLeases(store: Store, owner: string, leases: readonly HeldLease[]): Promise<void> {
  if (leases.length === 0) return;
  const byAttempts = new Map<number, string[]>();
  for (const l of leases) {
    const ids = byAttempts.get(l.attempts);
    if (ids) ids.push(l.id);
    else byAttempts.set(l.attempts, [l.id]);
  }
  const release = (db: Kysely<Database>, attempts: number, ids: string[]) =>
    db
      .updateTable('deliveries')
      .set({ lease_owner: null, lease_expires_at: null })
      .where('lease_owner', '=', owner)
      .where('status', '=', 'pending')
      .where('attempts', '=', attempts)
      .where(inIds(store.caps, 'id', ids))
      .execute();
  const groups = [...byAttempts];
  if (groups.length === 1) {
    const [attempts, ids] = groups[0]!;
    await relaxedStatement(store, (db) => release(db, attempts, ids));
    return;
  }
  await relaxedTransaction(store, async (trx) => {
    for (const [attempts, ids] of groups) await release(trx, attempts, ids);
  });
}

/**
 * Gives back every lease `owner` holds on a delivery it does not know it holds. After a claim whose answer was
 * lost (the connection dropped as the claim committed), those deliveries would otherwise wait out their lease.
 * Runs only after such a failure; it reads pending rows, not the whole log.
 */
export async function releaseUnknownLeases(store: Store, owner: string, held: readonly string[]): Promise<number> {
  const res = await relaxedStatement(store, (db) =>
    db
      .updateTable('deliveries')
      .set({ lease_owner: null, lease_expires_at: null })
      .where('status', '=', 'pending')
      .where('lease_owner', '=', owner)
      .where((eb) => eb.not(inIds(store.caps, 'id', held)))
      .executeTakeFirst(),
  );
  return Number(res.numUpdatedRows);
}

