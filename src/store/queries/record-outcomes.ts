import { CompiledQuery, sql, type Insertable, type Transaction } from 'kysely';
import type { Store } from '../database.js';
import type { Capabilities } from '../capabilities.js';
import { isDataError } from '../data-error.js';
import { idListParam, inIdList } from '../id-list.js';
import { preparedPerStore } from '../prepared.js';
import { relaxedTransaction } from '../relaxed-transaction.js';
import type { AttemptsTable, Database } from '../schema.js';
import { asciiText, storableText } from '../../util/storable-text.js';
import { NO_CHANGES, recordStreaks, type DeliveryFacts, type OperationalChanges } from './endpoint-streaks.js';

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
  /** The span id the request's `traceparent` header named, when it carried one (not stored: for tracing). */
  sentSpanId?: string;
}

/** What became of a batch of outcomes once it is written. */
export interface RecordResult {
  /** Recorded as they were. */
  recorded: AttemptOutcome[];
  /** Recorded, but with their texts reduced to ASCII (or without their attempt row) after the store refused them. */
  reduced: { outcome: AttemptOutcome; reason: string }[];
  /** Not recorded: the lease they were sent under is no longer theirs (re-queued by hand, or taken over). */
  stale: AttemptOutcome[];
  /** Not recorded in any form the store accepts; their leases expire and they are sent again. */
  refused: { outcome: AttemptOutcome; reason: string }[];
  /** Streak changes and exhausted deliveries the batch caused, for operational events. */
  operational: OperationalChanges;
}

export interface RecordOptions {
  /** HERALD_FAILING_AFTER: failed attempts in a row that make an endpoint FAILING. */
  failingAfter: number;
}

/** Successes of one status code and one attempt number, moved with one prepared statement whatever their number. */
const markSucceeded = preparedPerStore((caps) => (db, code: number | null, nowMs: number, owner: string, attemptsBefore: number, ids: unknown) =>
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
    .where('attempts', '=', attemptsBefore)
    .where(inIdList(caps.idListParam, 'id', ids))
    .returning(['id', 'endpoint_id', 'ordering_key', 'message_id', 'event_key']),
);

/**
 * The next pending delivery of a key whose head just settled is made due now, if it was due earlier: it waited
 * behind the head, and a claim that looks only at rows due after where it last stopped would not see it until
 * its next full scan. The claim's own check still decides whether it is its turn.
 */
const promoteSuccessor = preparedPerStore((caps) => (db, nowMs: number, endpointId: string, key: string) =>
  db
    .updateTable('deliveries')
    .set({ next_attempt_at: nowMs })
    .where('id', '=', (eb) =>
      eb
        .selectFrom('deliveries as n')
        .select('n.id')
        .where('n.endpoint_id', '=', endpointId)
        .where('n.ordering_key', '=', key)
        .where(sql<boolean>`n.status = 'pending' and n.ordering_key is not null`)
        .orderBy(sql.raw(`n.${caps.insertOrder}`))
        .limit(1),
    )
    .where('next_attempt_at', '<', nowMs)
    .where('lease_owner', 'is', null),
);

const ATTEMPT_COLUMNS = ['id', 'delivery_id', 'attempt', 'at', 'status_code', 'error', 'error_class', 'duration_ms', 'request', 'response_body', 'response_headers'] as const;
const TEXT_COLUMNS = ['error', 'error_class', 'request', 'response_body', 'response_headers'] as const;

/** Rows per INSERT on SQLite: few distinct statement texts (each prepared once), few statements per batch. */
const SQLITE_ROWS_PER_INSERT = 64;

/**
 * A batch of attempts. SQLite takes plain multi-row VALUES (measured faster there than unpacking JSON, which it
 * parses again for every column); PostgreSQL takes the batch as one JSON parameter and unpacks it itself, in one
 * statement whatever the batch's size. An attempt number a delivery already has is skipped, not an error: the
 * batch around it is still written.
 */
async function insertAttempts(trx: Transaction<Database>, caps: Capabilities, rows: Insertable<AttemptsTable>[]): Promise<void> {
  if (rows.length === 0) return;
  const columns = ATTEMPT_COLUMNS.map((c) => `"${c}"`).join(', ');
  const onClash = 'on conflict (delivery_id, attempt) do nothing';
  if (caps.dialect === 'sqlite') {
    const tuple = `(${ATTEMPT_COLUMNS.map(() => '?').join(', ')})`;
    for (let i = 0; i < rows.length; i += SQLITE_ROWS_PER_INSERT) {
      const part = rows.slice(i, i + SQLITE_ROWS_PER_INSERT);
      const params: unknown[] = [];
      for (const r of part) for (const c of ATTEMPT_COLUMNS) params.push(r[c] ?? null);
      await trx.executeQuery(CompiledQuery.raw(`insert into attempts (${columns}) values ${part.map(() => tuple).join(', ')} ${onClash}`, params));
    }
    return;
  }
  const json = JSON.stringify(rows.map((r) => ATTEMPT_COLUMNS.map((c) => r[c] ?? null)));
  const picks = ATTEMPT_COLUMNS.map((c, i) => {
    const type = c === 'at' ? 'bigint' : c === 'attempt' || c === 'status_code' || c === 'duration_ms' ? 'integer' : 'text';
    return `(r ->> ${i})::${type}`;
  }).join(', ');
  await trx.executeQuery(CompiledQuery.raw(`insert into attempts (${columns}) select ${picks} from json_array_elements($1::json) as r ${onClash}`, [json]));
}

function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** How an outcome is written: as it is, or (after a refusal) in a form any store accepts. */
type Form = { kind: 'as-is' } | { kind: 'ascii'; reason: string } | { kind: 'no-attempt'; reason: string };

/** Every text storable (see storable-text.ts): a receiver's bytes reach `response_body`, `response_headers`, `error` and `last_error`. */
function storable(o: AttemptOutcome): AttemptOutcome {
  const attempt = { ...o.attempt };
  for (const c of TEXT_COLUMNS) {
    const v = attempt[c];
    if (typeof v === 'string') attempt[c] = storableText(v);
  }
  return { ...o, attempt, lastError: o.lastError === null ? null : storableText(o.lastError) };
}

const REASON_BYTES = 300;

function reducedForm(o: AttemptOutcome, reason: string): AttemptOutcome {
  const note = `the store refused this attempt's record (${asciiText(reason, REASON_BYTES)}); its texts are kept as ASCII with \\u escapes`;
  const a = o.attempt;
  const attempt: Insertable<AttemptsTable> = {
    ...a,
    error: a.error ? `${asciiText(a.error, 1024)}; ${note}` : note,
    error_class: a.error_class == null ? null : asciiText(a.error_class, 64),
    // Not cut: the request is JSON (read back with JSON.parse), already bounded, and escaping keeps it JSON.
    request: asciiText(a.request),
    response_body: a.response_body == null ? null : asciiText(a.response_body, 4096),
    // JSON too, and bounded like the request: escaped, never cut.
    response_headers: a.response_headers == null ? null : asciiText(a.response_headers),
  };
  return { ...o, attempt, lastError: o.lastError === null ? null : asciiText(o.lastError, 1024) };
}

/**
 * Writes a batch in one transaction: the deliveries move first, each only if this worker still holds the lease it
 * was sent under (owner AND the attempt count it was claimed with: a delivery re-queued by hand and claimed again,
 * by anyone, is another lease), then the attempts of those that moved. So a worker whose lease was lost can
 * neither overwrite the outcome of the one that took over nor add an attempt under its number.
 * Returns the ids that moved.
 */
async function writeBatch(
  store: Store,
  owner: string,
  nowMs: number,
  outcomes: AttemptOutcome[],
  form: Form['kind'],
  options: RecordOptions,
): Promise<{ moved: Set<string>; operational: OperationalChanges }> {
  const caps = store.caps;
  return relaxedTransaction(store, async (trx) => {
    const moved = new Set<string>();
    // What the streaks need of each moved delivery, as its UPDATE returned it (no second read of the rows).
    const facts = new Map<string, DeliveryFacts>();
    // Ordered keys whose delivery settled (succeeded or failed for good) in this batch, by endpoint and key.
    const settled = new Map<string, { endpointId: string; key: string }>();
    const settle = (r: { endpoint_id: string; ordering_key: string | null }) => {
      if (r.ordering_key !== null) settled.set(JSON.stringify([r.endpoint_id, r.ordering_key]), { endpointId: r.endpoint_id, key: r.ordering_key });
    };
    const succeeded = outcomes.filter((o) => o.status === 'succeeded');
    // Successes are moved with one UPDATE per status code and attempt number (usually just 200, first attempt).
    const groups = new Map<string, { code: number | null; before: number; ids: string[] }>();
    for (const o of succeeded) {
      const before = o.attempt.attempt - 1;
      const key = `${o.lastStatusCode}:${before}`;
      const g = groups.get(key);
      if (g) g.ids.push(o.deliveryId);
      else groups.set(key, { code: o.lastStatusCode, before, ids: [o.deliveryId] });
    }
    for (const { code, before, ids } of groups.values()) {
      for (const part of chunks(ids, 5000)) {
        const rows = await markSucceeded(caps)(trx, code, nowMs, owner, before, idListParam(caps, part));
        for (const r of rows as { id: string; endpoint_id: string; ordering_key: string | null; message_id: string; event_key: string }[]) {
          moved.add(r.id);
          facts.set(r.id, r);
          settle(r);
        }
      }
    }
    for (const o of outcomes) {
      if (o.status === 'succeeded') continue;
      const res = await trx
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
        .where('attempts', '=', o.attempt.attempt - 1)
        .where('id', '=', o.deliveryId)
        .returning(['endpoint_id', 'ordering_key', 'message_id', 'event_key'])
        .executeTakeFirst();
      if (res) {
        moved.add(o.deliveryId);
        facts.set(o.deliveryId, res);
        if (o.status === 'failed') settle(res);
      }
    }
    for (const { endpointId, key } of settled.values()) await promoteSuccessor(caps)(trx, nowMs, endpointId, key);
    const mine = outcomes.filter((o) => moved.has(o.deliveryId));
    if (form !== 'no-attempt') await insertAttempts(trx, caps, mine.map((o) => o.attempt));
    // Every endpoint write of the batch, in a fixed order of their row locks (see endpoint-streaks.ts).
    const operational = await recordStreaks(trx, mine, facts, nowMs, options.failingAfter);
    return { moved, operational };
  });
}

function reasonOf(e: unknown): string {
  const err = e as { code?: string; message?: string };
  return err.code ? `${err.code}: ${err.message ?? ''}` : (err.message ?? String(e));
}

/**
 * Records a batch of attempts and moves their deliveries on. One transaction when the store takes the batch;
 * when it refuses it for what a row holds (a data error: see isDataError), the batch is split in halves until
 * the refused rows stand alone, so one row can never hold back the rest. A row refused on its own is written
 * again with its texts reduced to ASCII and the reason in its `error`; refused even so, its delivery still moves
 * on without an attempt row. Any other failure (the store is away or refuses every write) is thrown: nothing of
 * the batch was written, and the caller keeps it to try again.
 */
export async function recordOutcomes(
  store: Store,
  owner: string,
  nowMs: number,
  outcomes: AttemptOutcome[],
  options: RecordOptions = { failingAfter: 5 },
): Promise<RecordResult> {
  const result: RecordResult = { recorded: [], reduced: [], stale: [], refused: [], operational: { failing: [], recovered: [], exhausted: [] } };
  if (outcomes.length > 0) await record(store, owner, nowMs, outcomes.map(storable), result, options);
  return result;
}

function addChanges(into: OperationalChanges, more: OperationalChanges): void {
  if (more === NO_CHANGES) return;
  into.failing.push(...more.failing);
  into.recovered.push(...more.recovered);
  into.exhausted.push(...more.exhausted);
}

async function record(store: Store, owner: string, nowMs: number, outcomes: AttemptOutcome[], result: RecordResult, options: RecordOptions): Promise<void> {
  try {
    const { moved, operational } = await writeBatch(store, owner, nowMs, outcomes, 'as-is', options);
    addChanges(result.operational, operational);
    for (const o of outcomes) (moved.has(o.deliveryId) ? result.recorded : result.stale).push(o);
    return;
  } catch (e) {
    if (!isDataError(e)) throw e;
    if (outcomes.length > 1) {
      const half = Math.ceil(outcomes.length / 2);
      await record(store, owner, nowMs, outcomes.slice(0, half), result, options);
      await record(store, owner, nowMs, outcomes.slice(half), result, options);
      return;
    }
    await recordRefused(store, owner, nowMs, outcomes[0]!, reasonOf(e), result, options);
  }
}

async function recordRefused(
  store: Store,
  owner: string,
  nowMs: number,
  original: AttemptOutcome,
  reason: string,
  result: RecordResult,
  options: RecordOptions,
): Promise<void> {
  const reduced = reducedForm(original, reason);
  for (const form of ['ascii', 'no-attempt'] as const) {
    try {
      const { moved, operational } = await writeBatch(store, owner, nowMs, [reduced], form, options);
      addChanges(result.operational, operational);
      if (moved.has(reduced.deliveryId)) result.reduced.push({ outcome: reduced, reason });
      else result.stale.push(reduced);
      return;
    } catch (e) {
      if (!isDataError(e)) throw e;
      reason = `${reason}; then ${reasonOf(e)}`;
    }
  }
  result.refused.push({ outcome: original, reason });
}
