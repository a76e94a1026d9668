import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sql } from 'kysely';
import pg from 'pg';
import { openStore, type Store } from '../src/store/database.js';
import { claimDueDeliveries, type ClaimedDelivery } from '../src/store/queries/claim-due-deliveries.js';
import { recordOutcomes, type AttemptOutcome } from '../src/store/queries/record-outcomes.js';
import { DIALECTS, freshDatabase, PG_SKIP_REASON, PG_URL, skipFor, type TestDatabase } from './helpers/databases.js';
import { endpointRow } from './helpers/delivery-rows.js';

const OWNER = 'wkr_streaks';
let seq = 0;

/** `count` pending deliveries of a fresh message to `endpointId`, claimed by OWNER. */
async function claimed(store: Store, endpointId: string, count: number, eventKey = 'CLASS/CREATED'): Promise<ClaimedDelivery[]> {
  const existing = await store.db.selectFrom('endpoints').select('id').where('id', '=', endpointId).executeTakeFirst();
  if (!existing) await store.db.insertInto('endpoints').values(endpointRow(endpointId)).execute();
  const messageId = `msg_${++seq}`;
  const [type, action] = eventKey.split('/') as [string, string];
  await store.db
    .insertInto('messages')
    .values({ id: messageId, tenant: 'default', type, action, result: 'succeeded', event_key: eventKey, entity_ids: '["c1"]', data: '{}', scope_domain_id: null, scope_project_id: null, idempotency_key: null, coalesce_key: null, coalesce_until: null, created_at: 1 })
    .execute();
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const id = `dlv_${String(++seq).padStart(6, '0')}`;
    ids.push(id);
    await store.db
      .insertInto('deliveries')
      .values({ id, message_id: messageId, endpoint_id: endpointId, subscription_id: null, topic_id: null, tenant: 'default', event_key: eventKey, status: 'pending', attempts: 0, next_attempt_at: 1, lease_owner: null, lease_expires_at: null, last_status_code: null, last_error: null, created_at: 1, updated_at: 1 })
      .execute();
  }
  const got = await claimDueDeliveries(store, { owner: OWNER, nowMs: Date.now(), leaseMs: 60_000, limit: 1000, excludeEndpoints: [], fromMs: 0 });
  return got.filter((d) => ids.includes(d.id));
}

function outcome(d: ClaimedDelivery, status: AttemptOutcome['status'], code: number): AttemptOutcome {
  return {
    attempt: { id: `att_${d.id}_${d.attempts + 1}`, delivery_id: d.id, attempt: d.attempts + 1, at: Date.now(), status_code: code, error: code >= 400 ? `HTTP ${code}` : null, error_class: code >= 400 ? 'http' : null, duration_ms: 1, request: '{}', response_body: '' },
    deliveryId: d.id,
    endpointId: d.endpoint_id,
    status,
    nextAttemptAt: status === 'pending' ? Date.now() + 60_000 : null,
    lastStatusCode: code,
    lastError: code >= 400 ? `HTTP ${code}` : null,
    disableReason: null,
  };
}

const successes = (ds: ClaimedDelivery[]) => ds.map((d) => outcome(d, 'succeeded', 200));
const failures = (ds: ClaimedDelivery[]) => ds.map((d) => outcome(d, 'pending', 500));

async function endpointState(store: Store, id: string) {
  return store.db.selectFrom('endpoints').select(['consecutive_failures', 'failing_since', 'failing_announced_at']).where('id', '=', id).executeTakeFirstOrThrow();
}

/** How many times the endpoint row was written since `since` was taken (SQLite: an update trigger; PostgreSQL: the row's xmin). */
async function rowWrites(store: Store, id: string): Promise<{ since(): Promise<number> }> {
  if (store.caps.dialect === 'sqlite') {
    await sql`create table if not exists endpoint_writes (id text)`.execute(store.db);
    await sql`create trigger if not exists endpoint_written after update on endpoints begin insert into endpoint_writes values (new.id); end`.execute(store.db);
    const count = async () => Number((await sql<{ n: number }>`select count(*) as n from endpoint_writes where id = ${id}`.execute(store.db)).rows[0]!.n);
    const before = await count();
    return { since: async () => (await count()) - before };
  }
  const xmin = async () => (await sql<{ x: string }>`select xmin::text as x from endpoints where id = ${id}`.execute(store.db)).rows[0]!.x;
  const before = await xmin();
  return { since: async () => ((await xmin()) === before ? 0 : 1) };
}

async function withStore(dialect: 'sqlite' | 'postgres', fn: (store: Store, db: TestDatabase) => Promise<void>): Promise<void> {
  const db = await freshDatabase(dialect);
  const store = await openStore({ dataDir: db.dataDir, databaseUrl: db.databaseUrl });
  try {
    await fn(store, db);
  } finally {
    await store.close();
    await db.drop();
  }
}

for (const dialect of DIALECTS) {
  describe(`endpoint writes of an outcome batch (${dialect})`, { skip: skipFor(dialect) }, () => {
    it('a batch of successes for a healthy endpoint leaves its row alone', async () => {
      await withStore(dialect, async (store) => {
        const ds = await claimed(store, 'ep_a', 5);
        const writes = await rowWrites(store, 'ep_a');
        const res = await recordOutcomes(store, OWNER, Date.now(), successes(ds));
        assert.equal(res.recorded.length, 5);
        assert.equal(await writes.since(), 0, 'nothing about the endpoint changed, so its row is not written');
        assert.deepEqual(await endpointState(store, 'ep_a'), { consecutive_failures: 0, failing_since: null, failing_announced_at: null });
      });
    });

    it('a success still ends a streak, clears failing_since and says RECOVERED; failures still start one', async () => {
      await withStore(dialect, async (store) => {
        const first = await claimed(store, 'ep_b', 3);
        let writes = await rowWrites(store, 'ep_b');
        const failed = await recordOutcomes(store, OWNER, 1000, failures(first), { failingAfter: 3 });
        assert.ok((await writes.since()) >= 1, 'the count moved');
        assert.equal(failed.operational.failing.length, 1, 'three failures in a row reach the threshold');
        assert.deepEqual(await endpointState(store, 'ep_b'), { consecutive_failures: 3, failing_since: 1000, failing_announced_at: 1000 });

        // More failures keep failing_since where the streak began and announce nothing more.
        const more = await claimed(store, 'ep_b', 1);
        const again = await recordOutcomes(store, OWNER, 2000, failures(more), { failingAfter: 3 });
        assert.equal(again.operational.failing.length, 0);
        assert.deepEqual(await endpointState(store, 'ep_b'), { consecutive_failures: 4, failing_since: 1000, failing_announced_at: 1000 });

        const ok = await claimed(store, 'ep_b', 1);
        writes = await rowWrites(store, 'ep_b');
        const recovered = await recordOutcomes(store, OWNER, 3000, successes(ok), { failingAfter: 3 });
        assert.ok((await writes.since()) >= 1);
        assert.deepEqual(recovered.operational.recovered.map((r) => r.deliveryId), [ok[0]!.id]);
        assert.deepEqual(await endpointState(store, 'ep_b'), { consecutive_failures: 0, failing_since: null, failing_announced_at: null });
      });
    });

    it('a success clears failing_since left without a count (an operational delivery failed), and only then writes the row', async () => {
      await withStore(dialect, async (store) => {
        // Operational events are kept out of streaks but still mark the endpoint failing.
        const op = await claimed(store, 'ep_c', 1, 'ENDPOINT/FAILING');
        await recordOutcomes(store, OWNER, 500, failures(op));
        assert.deepEqual(await endpointState(store, 'ep_c'), { consecutive_failures: 0, failing_since: 500, failing_announced_at: null });
        const ok = await claimed(store, 'ep_c', 2);
        const writes = await rowWrites(store, 'ep_c');
        await recordOutcomes(store, OWNER, 600, successes(ok.slice(0, 1)));
        assert.equal(await writes.since(), 1);
        assert.deepEqual(await endpointState(store, 'ep_c'), { consecutive_failures: 0, failing_since: null, failing_announced_at: null });
        const quiet = await rowWrites(store, 'ep_c');
        await recordOutcomes(store, OWNER, 700, successes(ok.slice(1)));
        assert.equal(await quiet.since(), 0);
      });
    });

    it('a 410 disables the endpoint in the same write as its streak', async () => {
      await withStore(dialect, async (store) => {
        const ds = await claimed(store, 'ep_d', 2);
        const gone = { ...outcome(ds[1]!, 'failed', 410), disableReason: 'HTTP 410 Gone' };
        const res = await recordOutcomes(store, OWNER, 900, [outcome(ds[0]!, 'succeeded', 200), gone]);
        assert.equal(res.operational.exhausted.length, 1);
        assert.equal(res.operational.exhausted[0]!.eventKey, 'CLASS/CREATED');
        const row = await store.db.selectFrom('endpoints').select(['enabled', 'disabled_reason', 'updated_at', 'consecutive_failures', 'failing_since']).where('id', '=', 'ep_d').executeTakeFirstOrThrow();
        // The success came first, the failure after it: the streak is 1, and the batch had a success.
        assert.deepEqual(row, { enabled: 0, disabled_reason: 'HTTP 410 Gone', updated_at: 900, consecutive_failures: 1, failing_since: null });
      });
    });
  });
}

describe('endpoint writes with two workers (postgres)', { skip: PG_URL ? false : PG_SKIP_REASON }, () => {
  /** Holds the endpoint row as a concurrent batch of `k` failures would: updated, not yet committed. */
  async function holdRow(url: string, id: string, k: number) {
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    await c.query('begin');
    await c.query('update endpoints set consecutive_failures = consecutive_failures + $1, failing_since = coalesce(failing_since, 1) where id = $2', [k, id]);
    return {
      async commit() {
        await c.query('commit');
        await c.end();
      },
    };
  }

  it('successes for a healthy endpoint do not wait for a failing batch that holds its row, and its count stands', async () => {
    await withStore('postgres', async (store, db) => {
      const ds = await claimed(store, 'ep_e', 3);
      const other = await holdRow(db.databaseUrl!, 'ep_e', 3);
      let done = false;
      const writing = recordOutcomes(store, OWNER, Date.now(), successes(ds)).then((r) => {
        done = true;
        return r;
      });
      const res = await Promise.race([writing, new Promise<null>((r) => setTimeout(() => r(null), 3000))]);
      assert.ok(res && done, 'the successes were written while the other batch still held the endpoint row');
      await other.commit();
      assert.deepEqual(res.operational, { failing: [], recovered: [], exhausted: [] });
      assert.deepEqual(await endpointState(store, 'ep_e'), { consecutive_failures: 3, failing_since: 1, failing_announced_at: null });
    });
  });

  it('successes for an endpoint with a streak wait for the batch holding its row, then end the streak after it', async () => {
    await withStore('postgres', async (store, db) => {
      const fail = await claimed(store, 'ep_f', 2);
      await recordOutcomes(store, OWNER, 100, failures(fail), { failingAfter: 5 });
      const ok = await claimed(store, 'ep_f', 1);
      const other = await holdRow(db.databaseUrl!, 'ep_f', 3);
      let done = false;
      const writing = recordOutcomes(store, OWNER, 200, successes(ok), { failingAfter: 5 }).then((r) => {
        done = true;
        return r;
      });
      await new Promise((r) => setTimeout(r, 300));
      assert.equal(done, false, 'the row has a count to reset: the write waits for the row');
      await other.commit();
      await writing;
      assert.deepEqual(await endpointState(store, 'ep_f'), { consecutive_failures: 0, failing_since: null, failing_announced_at: null });
    });
  });

  it('two workers failing one endpoint at once count every failure and announce FAILING exactly once', async () => {
    await withStore('postgres', async (store, db) => {
      const second = await openStore({ dataDir: db.dataDir, databaseUrl: db.databaseUrl });
      try {
        for (let round = 0; round < 5; round++) {
          const id = `ep_g${round}`;
          const a = await claimed(store, id, 3);
          const b = await claimed(store, id, 3);
          const results = await Promise.all([recordOutcomes(store, OWNER, 1000 + round, failures(a), { failingAfter: 5 }), recordOutcomes(second, OWNER, 1000 + round, failures(b), { failingAfter: 5 })]);
          assert.equal(results.flatMap((r) => r.operational.failing).length, 1, `round ${round}: one FAILING`);
          const state = await endpointState(store, id);
          assert.equal(state.consecutive_failures, 6);
          assert.equal(state.failing_announced_at, 1000 + round);
        }
      } finally {
        await second.close();
      }
    });
  });
});
