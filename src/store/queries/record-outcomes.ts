import { CompiledQuery, type Insertable, type Transaction } from 'kysely';
import type { Store } from '../database.js';
import { bulkInsert } from '../bulk-insert.js';
import type { Capabilities } from '../capabilities.js';
import { idListParam, inIdList } from '../id-list.js';
import { preparedPerStore } from '../prepared.js';
import { relaxedTransaction } from '../relaxed-transaction.js';
import type { AttemptsTable, Database } from '../schema.js';

export interface AttemptOutcome {
  attempt: Insertable<AttemptsTable>;
  deliveryId: string;
  endpointId: string;
  status: 'succeeded' | 'pending' | 'failed';
  nextAttemptAt: number | null;
  lastStatusCode: number | null;
  lastError: string | null;
  /** Set when the answer means the endpoint must stop receiving (410 Gone). */
  disableReason: string | null;
}

/** Successes of one status code, moved with one prepared statement whatever their number. */
const markSucceeded = preparedPerStore((caps) => (db, code: number | null, nowMs: number, owner: string, ids: unknown) =>
  db
    .updateTable('deliveries')
    .set((eb) => ({
      status: 'succeeded',
      attempts: eb('attempts', '+', 1),
      next_attempt_at: null,
      lease_owner: null,
      lease_expires_at: null,
      last_status_code: code,
      last_error: null,
      updated_at: nowMs,
    }))
    .where('lease_owner', '=', owner)
    .where(inIdList(caps.idListParam, 'id', ids)),
);

const ATTEMPT_COLUMNS = ['id', 'delivery_id', 'attempt', 'at', 'status_code', 'error', 'error_class', 'duration_ms', 'request', 'response_body'] as const;

/**
 * A batch of attempts. SQLite takes plain multi-row VALUES (measured faster there than unpacking JSON, which it
 * parses again for every column); PostgreSQL takes the batch as one JSON parameter and unpacks it itself, in one
 * statement whatever the batch's size.
 */
async function insertAttempts(trx: Transaction<Database>, caps: Capabilities, rows: Insertable<AttemptsTable>[]): Promise<void> {
  if (caps.dialect === 'sqlite') return bulkInsert(trx, caps, 'attempts', rows);
  const columns = ATTEMPT_COLUMNS.map((c) => `"${c}"`).join(', ');
  const json = JSON.stringify(rows.map((r) => ATTEMPT_COLUMNS.map((c) => r[c] ?? null)));
  const picks = ATTEMPT_COLUMNS.map((c, i) => {
    const type = c === 'at' ? 'bigint' : c === 'attempt' || c === 'status_code' || c === 'duration_ms' ? 'integer' : 'text';
    return `(r ->> ${i})::${type}`;
  }).join(', ');
  await trx.executeQuery(CompiledQuery.raw(`insert into attempts (${columns}) select ${picks} from json_array_elements($1::json) as r`, [json]));
}

function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/**
 * Records a batch of attempts and moves their deliveries on, in one transaction. Successes share one UPDATE;
 * only rows this worker still leases are moved, so a worker whose lease expired cannot overwrite the outcome
 * of the worker that took over.
 */
export async function recordOutcomes(store: Store, owner: string, nowMs: number, outcomes: AttemptOutcome[]): Promise<void> {
  if (outcomes.length === 0) return;
  await relaxedTransaction(store, async (trx) => {
    await insertAttempts(trx, store.caps, outcomes.map((o) => o.attempt));
    const succeeded = outcomes.filter((o) => o.status === 'succeeded');
    // Successes are moved with one UPDATE per distinct status code (usually just 200).
    const byCode = new Map<number | null, string[]>();
    for (const o of succeeded) {
      const ids = byCode.get(o.lastStatusCode);
      if (ids) ids.push(o.deliveryId);
      else byCode.set(o.lastStatusCode, [o.deliveryId]);
    }
    for (const [code, ids] of byCode) {
      for (const part of chunks(ids, 5000)) await markSucceeded(store.caps)(trx, code, nowMs, owner, idListParam(store.caps, part));
    }
    for (const o of outcomes) {
      if (o.status === 'succeeded') continue;
      await trx
        .updateTable('deliveries')
        .set((eb) => ({
          status: o.status,
          attempts: eb('attempts', '+', 1),
          next_attempt_at: o.nextAttemptAt,
          lease_owner: null,
          lease_expires_at: null,
          last_status_code: o.lastStatusCode,
          last_error: o.lastError,
          updated_at: nowMs,
        }))
        .where('lease_owner', '=', owner)
        .where('id', '=', o.deliveryId)
        .execute();
    }
    const healthy = [...new Set(succeeded.map((o) => o.endpointId))];
    if (healthy.length > 0) {
      await trx.updateTable('endpoints').set({ failing_since: null }).where('id', 'in', healthy).where('failing_since', 'is not', null).execute();
    }
    const failing = [...new Set(outcomes.filter((o) => o.status !== 'succeeded').map((o) => o.endpointId))].filter((id) => !healthy.includes(id));
    if (failing.length > 0) {
      await trx.updateTable('endpoints').set({ failing_since: nowMs }).where('id', 'in', failing).where('failing_since', 'is', null).execute();
    }
    for (const o of outcomes) {
      if (!o.disableReason) continue;
      await trx
        .updateTable('endpoints')
        .set({ enabled: 0, disabled_reason: o.disableReason, updated_at: nowMs })
        .where('id', '=', o.endpointId)
        .execute();
    }
  });
}
