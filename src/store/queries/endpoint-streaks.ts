import { sql, type Transaction } from 'kysely';
import { isOperationalEventKey } from '../../catalog/catalog.js';
import type { Database } from '../schema.js';
import type { AttemptOutcome } from './record-outcomes.js';

/** What a batch of outcomes changed that operators are told about (see services/operational-events.ts). */
export interface OperationalChanges {
  /** Endpoints whose streak reached the threshold in this batch; this transaction won the right to say so. */
  failing: { endpointId: string; failures: number; announcedAt: number; deliveryId: string; lastStatusCode: number | null; lastError: string | null }[];
  /** Endpoints whose announced streak this batch ended with a success. */
  recovered: { endpointId: string; deliveryId: string; attempt: number }[];
  /** Deliveries of ordinary events that failed for good in this batch. */
  exhausted: { deliveryId: string; messageId: string; eventKey: string; endpointId: string; attempts: number; lastStatusCode: number | null; lastError: string | null }[];
}

export const NO_CHANGES: OperationalChanges = Object.freeze({ failing: [], recovered: [], exhausted: [] }) as OperationalChanges;

/** What the delivery rows say of a recorded outcome's delivery, as its UPDATE returned them. */
export interface DeliveryFacts {
  message_id: string;
  event_key: string;
}

/**
 * Writes what the outcomes the enclosing transaction has just recorded (`recorded`: in the order they were
 * decided; `facts`: their deliveries) change on their endpoints, in that same transaction and as its only
 * endpoint writes: the failure streak, `failing_since` (cleared by a success, set by a batch of failures only) and
 * a disabling answer (410), in ONE statement per endpoint, and a second only when the streak is announced or
 * ended. The count moves by an update relative to the row (`+ k`), never by a value read earlier, and that update
 * locks the row until commit, so workers recording outcomes of one endpoint at once count every attempt once, and
 * exactly one of them sees `failing_announced_at` null with the count at the threshold and sets it: "once per
 * streak" holds across processes. (SQLite has a single writer: the same holds trivially.)
 *
 * Attempts at delivering operational events are left out of streaks and never reported as exhausted: an
 * operational event is then only ever caused by the delivery of an ordinary event (or by an operator), never by
 * another operational event, so their number is bounded by ordinary traffic. Without this, FAILING about A sent to
 * a failing B would make an EXHAUSTED about B, sent to a failing A, and so on for ever.
 */
export async function recordStreaks(
  trx: Transaction<Database>,
  recorded: AttemptOutcome[],
  facts: ReadonlyMap<string, DeliveryFacts>,
  nowMs: number,
  failingAfter: number,
): Promise<OperationalChanges> {
  if (recorded.length === 0) return NO_CHANGES;
  const ordinary = recorded.filter((o) => {
    const row = facts.get(o.deliveryId);
    return row !== undefined && !isOperationalEventKey(row.event_key);
  });
  const changes: OperationalChanges = { failing: [], recovered: [], exhausted: [] };

  // Per endpoint: whether the batch holds a success, the first success (it ends the streak), the failures after
  // the last success (the streak now), and the last failure (what FAILING reports).
  const perEndpoint = new Map<string, { firstSuccess: AttemptOutcome | null; trailing: number; lastFailure: AttemptOutcome | null }>();
  for (const o of ordinary) {
    const e = perEndpoint.get(o.endpointId) ?? { firstSuccess: null, trailing: 0, lastFailure: null };
    if (o.status === 'succeeded') {
      e.firstSuccess ??= o;
      e.trailing = 0;
    } else {
      e.trailing++;
      e.lastFailure = o;
    }
    perEndpoint.set(o.endpointId, e);
    if (o.status === 'failed') {
      const row = facts.get(o.deliveryId)!;
      changes.exhausted.push({
        deliveryId: o.deliveryId,
        messageId: row.message_id,
        eventKey: row.event_key,
        endpointId: o.endpointId,
        attempts: o.attempt.attempt,
        lastStatusCode: o.lastStatusCode,
        lastError: o.lastError,
      });
    }
  }
  // Of every outcome, operational ones too: any success clears `failing_since`; the last 410 disables.
  const healthy = new Set<string>();
  const disabled = new Map<string, string>();
  for (const o of recorded) {
    if (o.status === 'succeeded') healthy.add(o.endpointId);
    if (o.disableReason) disabled.set(o.endpointId, o.disableReason);
  }

  // One endpoint at a time, in id order, and every endpoint of the batch (those with only operational outcomes
  // too): the statement here is the transaction's only write to the row (the announcement's update follows it
  // on the row it already holds), and on PostgreSQL it locks the row, so two workers' transactions always take
  // their endpoint locks in the same order and cannot deadlock.
  //
  // A batch that moves no count (k = 0: its ordinary outcomes end in a success, or it has none) and disables
  // nothing writes the row only if that changes it: a count to reset, an announced streak to end, a
  // `failing_since` to clear or set. No announcement can follow from such a batch unless one of those holds,
  // and the row a worker leaves alone it does not lock. Concurrency (PostgreSQL, READ COMMITTED): an UPDATE
  // tests its WHERE against the row as its snapshot sees it; if that version has nothing to change, the row is
  // skipped without waiting for a transaction that holds it; if it has, the UPDATE waits for that transaction
  // and tests the row again as committed. So when worker A's successes skip the row while worker B's failures
  // hold it uncommitted (count 0 -> k), A's batch takes effect before B's, as if committed first: the count
  // ends at k, B's announcement (if k reaches the threshold) was decided on the very row it committed, and A
  // had nothing to report. Without the skip A would have waited and reset the count after B: the other order of
  // two batches decided at the same time, equally valid. A row that B already committed is in A's snapshot, so
  // A then writes as before, and exactly one worker still sees the count at the threshold unannounced.
  const all = [...new Set(recorded.map((o) => o.endpointId))].sort();
  for (const id of all) {
    const e = perEndpoint.get(id);
    const reset = e !== undefined && e.firstSuccess !== null;
    const k = e?.trailing ?? 0;
    const isHealthy = healthy.has(id);
    const disableReason = disabled.get(id);
    let update = trx
      .updateTable('endpoints')
      .set((eb) => ({
        // A success ends the streak: the count becomes the failures after the batch's last success.
        consecutive_failures: reset ? k : eb('consecutive_failures', '+', k),
        failing_since: isHealthy ? null : sql<number>`coalesce(failing_since, ${nowMs})`,
        ...(disableReason === undefined ? {} : { enabled: 0, disabled_reason: disableReason, updated_at: nowMs }),
      }))
      .where('id', '=', id);
    if (k === 0 && disableReason === undefined) {
      update = update.where((eb) => {
        const since = isHealthy ? eb('failing_since', 'is not', null) : eb('failing_since', 'is', null);
        return reset ? eb.or([eb('consecutive_failures', '<>', 0), eb('failing_announced_at', 'is not', null), since]) : since;
      });
    }
    const row = await update.returning(['consecutive_failures', 'failing_announced_at']).executeTakeFirst();
    if (!row || e === undefined) continue;
    // The row is locked by this transaction from here on: what it says now is what every other worker will see.
    const announced = row.failing_announced_at === null ? null : Number(row.failing_announced_at);
    let next = announced;
    if (reset && announced !== null) {
      changes.recovered.push({ endpointId: id, deliveryId: e.firstSuccess!.deliveryId, attempt: e.firstSuccess!.attempt.attempt });
      next = null;
    }
    const failures = Number(row.consecutive_failures);
    if (k > 0 && next === null && failures >= failingAfter) {
      const last = e.lastFailure!;
      changes.failing.push({ endpointId: id, failures, announcedAt: nowMs, deliveryId: last.deliveryId, lastStatusCode: last.lastStatusCode, lastError: last.lastError });
      next = nowMs;
    }
    if (next !== announced) await trx.updateTable('endpoints').set({ failing_announced_at: next }).where('id', '=', id).execute();
  }
  return changes;
}
