import type { Transaction } from 'kysely';
import { isOperationalEventKey } from '../../catalog/catalog.js';
import type { Database } from '../schema.js';
import type { AttemptOutcome } from './record-outcomes.js';

/** What a batch of outcomes changed that operators are told about (see delivery/operational-events.ts). */
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
 * in the order they were decided), in that same transaction. Every change is an update relative to the row
 * (`+ k`, `= 0`) or conditional on it, never a value read earlier, so workers recording outcomes of one endpoint
 * at once (on PostgreSQL the row lock orders them) count every attempt once, and exactly one of them finds
 * `failing_announced_at` null with the count at the threshold: "once per streak" holds across processes.
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
  if (ordinary.length === 0) return changes;

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

  const healthy = [...perEndpoint].filter(([, e]) => e.firstSuccess !== null).map(([id]) => id).sort();
  if (healthy.length > 0) {
    const ended = await trx
      .updateTable('endpoints')
      .set({ consecutive_failures: 0, failing_announced_at: null })
      .where('id', 'in', healthy)
      .where('failing_announced_at', 'is not', null)
      .returning('id')
      .execute();
    for (const { id } of ended) {
      const first = perEndpoint.get(id)!.firstSuccess!;
      changes.recovered.push({ endpointId: id, deliveryId: first.deliveryId, attempt: first.attempt.attempt });
    }
    // Only rows that need it are written: the common case (all is well) changes nothing.
    await trx.updateTable('endpoints').set({ consecutive_failures: 0 }).where('id', 'in', healthy).where('consecutive_failures', '<>', 0).execute();
  }

  const byCount = new Map<number, string[]>();
  for (const [id, e] of perEndpoint) if (e.trailing > 0) byCount.set(e.trailing, [...(byCount.get(e.trailing) ?? []), id]);
  for (const [k, ids] of byCount) {
    await trx
      .updateTable('endpoints')
      .set((eb) => ({ consecutive_failures: eb('consecutive_failures', '+', k) }))
      .where('id', 'in', ids.sort())
      .execute();
  }
  const failing = [...byCount.values()].flat().sort();
  if (failing.length > 0) {
    const claimed = await trx
      .updateTable('endpoints')
      .set({ failing_announced_at: nowMs })
      .where('id', 'in', failing)
      .where('failing_announced_at', 'is', null)
      .where('consecutive_failures', '>=', failingAfter)
      .returning(['id', 'consecutive_failures'])
      .execute();
    for (const { id, consecutive_failures } of claimed) {
      const last = perEndpoint.get(id)!.lastFailure!;
      changes.failing.push({
        endpointId: id,
        failures: Number(consecutive_failures),
        announcedAt: nowMs,
        deliveryId: last.deliveryId,
        lastStatusCode: last.lastStatusCode,
        lastError: last.lastError,
      });
    }
  }
  return changes;
}
