import type { Transaction } from 'kysely';
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

function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/**
 * Moves the endpoints' failure streaks on by the outcomes the enclosing transaction has just recorded (`recorded`:
 * in the order they were decided), in that same transaction, before anything else there writes an endpoint row.
 * The count moves by an update relative to the row (`+ k`), never by a value read earlier, and that update locks
 * the row until commit, so workers recording outcomes of one endpoint at once count every attempt once, and
 * exactly one of them sees `failing_announced_at` null with the count at the threshold and sets it: "once per
 * streak" holds across processes. (SQLite has a single writer: the same holds trivially.)
 *
 * Attempts at delivering operational events are left out of streaks and never reported as exhausted: an
 * operational event is then only ever caused by the delivery of an ordinary event (or by an operator), never by
 * another operational event, so their number is bounded by ordinary traffic. Without this, FAILING about A sent to
 * a failing B would make an EXHAUSTED about B, sent to a failing A, and so on for ever.
 */
export async function recordStreaks(trx: Transaction<Database>, recorded: AttemptOutcome[], nowMs: number, failingAfter: number): Promise<OperationalChanges> {
  if (recorded.length === 0) return NO_CHANGES;
  const rows: { id: string; message_id: string; event_key: string }[] = [];
  for (const part of chunks(recorded.map((o) => o.deliveryId), 1000)) {
    rows.push(...(await trx.selectFrom('deliveries').select(['id', 'message_id', 'event_key']).where('id', 'in', part).execute()));
  }
  const byId = new Map(rows.map((r) => [r.id, r]));
  const ordinary = recorded.filter((o) => {
    const row = byId.get(o.deliveryId);
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
      const row = byId.get(o.deliveryId)!;
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

  // One endpoint at a time, in id order, and every endpoint of the batch (those with only operational outcomes
  // too): the first statement on a row locks it (on PostgreSQL), so two workers' transactions always take their
  // endpoint locks in the same order and cannot deadlock, here or in the endpoint updates after this.
  const all = [...new Set(recorded.map((o) => o.endpointId))].sort();
  for (const id of all) {
    const e = perEndpoint.get(id);
    const reset = e !== undefined && e.firstSuccess !== null;
    const k = e?.trailing ?? 0;
    // A success ends the streak: the count becomes the failures after the batch's last success.
    const row = await trx
      .updateTable('endpoints')
      .set((eb) => ({ consecutive_failures: reset ? k : eb('consecutive_failures', '+', k) }))
      .where('id', '=', id)
      .returning(['consecutive_failures', 'failing_announced_at'])
      .executeTakeFirst();
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
