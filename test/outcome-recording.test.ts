import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
import { Kysely, Migrator, PostgresDialect, SqliteDialect } from 'kysely';
import { openStore, type Store } from '../src/store/database.js';
import { postgresCapabilities, sqliteCapabilities } from '../src/store/capabilities.js';
import { initial } from '../src/store/migrations/001-initial.js';
import { incomingDigestIndex } from '../src/store/migrations/002-incoming.js';
import { claimDueDeliveries, releaseLeases } from '../src/store/queries/claim-due-deliveries.js';
import { recordOutcomes, type AttemptOutcome } from '../src/store/queries/record-outcomes.js';
import { DIALECTS, freshDatabase, PG_SKIP_REASON, PG_URL, skipFor, type Dialect, type TestDatabase } from './helpers/databases.js';
import { startTestHerald, until, type TestHerald } from './helpers/herald.js';
import { startReceiver } from './helpers/receiver.js';
import { api, spawnHerald } from './helpers/spawn-herald.js';

/** Runs `sql` on the test's database from a connection of its own, as an operator would. */
async function asOperator(dialect: Dialect, db: TestDatabase, statements: string[]): Promise<void> {
  if (dialect === 'sqlite') {
    const file = new BetterSqlite3(join(db.dataDir, 'herald.db'));
    try {
      for (const s of statements) file.exec(s);
    } finally {
      file.close();
    }
    return;
  }
  const c = new pg.Client({ connectionString: db.databaseUrl! });
  await c.connect();
  try {
    for (const s of statements) await c.query(s);
  } finally {
    await c.end();
  }
}

async function endpoint(h: TestHerald, name: string, url: string): Promise<string> {
  const ep = await h.api('POST', '/v1/endpoints', { name, url, format: 'strigo' });
  assert.equal(ep.status, 201, ep.text);
  assert.equal((await h.api('POST', '/v1/subscriptions', { endpoint_id: ep.json.id, events: ['CLASS/*'] })).status, 201);
  return ep.json.id as string;
}

async function attemptsOf(h: TestHerald, endpointId: string) {
  const list = await h.api('GET', `/v1/deliveries?endpoint_id=${endpointId}&limit=100`);
  return Promise.all(list.json.data.map(async (d: { id: string }) => (await h.api('GET', `/v1/deliveries/${d.id}`)).json));
}

async function metric(h: TestHerald, name: string): Promise<number> {
  const text = (await h.api('GET', '/metrics')).text;
  const line = text.split('\n').find((l) => l.startsWith(`${name} `));
  assert.ok(line, `${name} in /metrics`);
  return Number(line.split(' ')[1]);
}

for (const dialect of DIALECTS) {
  describe(`outcome recording (${dialect})`, { skip: skipFor(dialect) }, () => {
    it('a row the store refuses is written in ASCII form with the reason, and the rows beside it are written as they are', async () => {
      const h = await startTestHerald(dialect);
      const odd = await startReceiver(() => ({ status: 200, body: 'naïve ☃ reply', headers: { 'x-odd': 'naïve' } }));
      const plain = await startReceiver(() => ({ status: 200, body: 'ok' }));
      try {
        // The store keeps ASCII response excerpts only (think of a database whose encoding lacks these
        // characters): every attempt of the odd receiver is refused as Herald first writes it.
        await asOperator(
          dialect,
          h.db,
          dialect === 'sqlite'
            ? [`create trigger ascii_only before insert on attempts when new.response_body glob '*[^ -~]*' begin select raise(abort, 'ASCII only'); end`]
            : [`alter table attempts add constraint ascii_only check (response_body !~ '[^ -~]')`],
        );
        const oddId = await endpoint(h, 'odd', odd.url);
        const plainIds = [await endpoint(h, 'plain-1', plain.url), await endpoint(h, 'plain-2', plain.url)];
        const res = await h.api('POST', '/v1/events', { events: Array.from({ length: 5 }, (_, i) => ({ type: 'CLASS', action: 'CREATED', entity_ids: [`c${i}`] })) });
        assert.equal(res.status, 202, res.text);

        for (const id of [oddId, ...plainIds]) {
          await until(async () => (await attemptsOf(h, id)).filter((d) => d.status === 'succeeded').length === 5, 10_000, `5 deliveries of ${id} recorded`);
        }
        for (const id of plainIds) {
          for (const d of await attemptsOf(h, id)) {
            assert.equal(d.attempts.length, 1);
            assert.deepEqual([d.attempts[0].status_code, d.attempts[0].error, d.attempts[0].response_body], [200, null, 'ok']);
          }
        }
        const reason = dialect === 'sqlite' ? 'SQLITE_CONSTRAINT_TRIGGER: ASCII only' : '23514: new row for relation "attempts" violates check constraint "ascii_only"';
        for (const d of await attemptsOf(h, oddId)) {
          assert.equal(d.attempts.length, 1);
          const a = d.attempts[0];
          assert.equal(a.status_code, 200);
          assert.equal(a.response_body, 'na\\u00efve \\u2603 reply');
          // The headers are escaped too, and still JSON: Node wrote the ï as one latin1 byte, no UTF-8.
          assert.equal(a.response_headers['x-odd'], 'na\uFFFDve');
          assert.equal(a.error, `the store refused this attempt's record (${reason}); its texts are kept as ASCII with \\u escapes`);
          assert.equal(d.last_error, null, 'the delivery itself succeeded');
        }
      } finally {
        await odd.close();
        await plain.close();
        await h.stop();
      }
    });

    it('an outcome is written only under the lease it was sent with; attempt numbers stay unique', async () => {
      const db = await freshDatabase(dialect);
      const h = await startTestHerald(dialect, { HERALD_ROLE: 'api' }, db);
      let store: Store | null = null;
      try {
        const r = await startReceiver();
        await endpoint(h, 'target', r.url);
        await r.close();
        const published = await h.api('POST', '/v1/events', { type: 'CLASS', action: 'CREATED', entity_ids: ['c1'] });
        assert.equal(published.status, 202);
        store = await openStore({ dataDir: db.dataDir, databaseUrl: db.databaseUrl });
        const claim = (owner: string, nowMs: number) => claimDueDeliveries(store!, { owner, nowMs, leaseMs: 1000, limit: 10, excludeEndpoints: [], fromMs: 0 });
        const now = Date.now() + 1000;
        const [first] = await claim('wkr_a', now);
        assert.ok(first);
        const outcome = (attemptNo: number, id: string): AttemptOutcome => ({
          attempt: { id, delivery_id: first.id, attempt: attemptNo, at: now, status_code: 500, error: 'HTTP 500', error_class: 'http', duration_ms: 1, request: '{}', response_body: '' },
          deliveryId: first.id,
          endpointId: first.endpoint_id,
          status: 'pending',
          nextAttemptAt: now,
          lastStatusCode: 500,
          lastError: 'HTTP 500',
          disableReason: null,
        });
        // A's lease lapses, B claims: A's late outcome and release change nothing.
        const [again] = await claim('wkr_b', now + 5000);
        assert.equal(again?.id, first.id);
        const late = await recordOutcomes(store, 'wkr_a', now + 5000, [outcome(1, 'att_late')]);
        assert.deepEqual([late.recorded.length, late.stale.length], [0, 1]);
        await releaseLeases(store, 'wkr_a', [first]);
        let row = await store.db.selectFrom('deliveries').selectAll().where('id', '=', first.id).executeTakeFirstOrThrow();
        assert.deepEqual([row.lease_owner, row.attempts], ['wkr_b', 0]);
        // B records attempt 1; B's lease then ends, A claims again (attempt count 1) and records attempt 2.
        assert.equal((await recordOutcomes(store, 'wkr_b', now + 5000, [outcome(1, 'att_b1')])).recorded.length, 1);
        const [third] = await claim('wkr_a', now + 6000);
        assert.equal(third?.attempts, 1);
        // An outcome of A's first lease (claimed at attempt count 0) arriving now is not A's current lease.
        assert.equal((await recordOutcomes(store, 'wkr_a', now + 6000, [outcome(1, 'att_stale')])).stale.length, 1);
        // A clashing attempt number (a row already there) does not fail the batch around it.
        await store.db.insertInto('attempts').values({ ...outcome(2, 'att_ghost').attempt }).execute();
        const written = await recordOutcomes(store, 'wkr_a', now + 6000, [outcome(2, 'att_a2')]);
        assert.equal(written.recorded.length, 1);
        row = await store.db.selectFrom('deliveries').selectAll().where('id', '=', first.id).executeTakeFirstOrThrow();
        assert.deepEqual([row.lease_owner, row.attempts], [null, 2]);
        const attempts = await store.db.selectFrom('attempts').select(['id', 'attempt']).where('delivery_id', '=', first.id).orderBy('attempt').execute();
        assert.deepEqual(attempts, [
          { id: 'att_b1', attempt: 1 },
          { id: 'att_ghost', attempt: 2 },
        ]);
        await assert.rejects(store.db.insertInto('attempts').values({ ...outcome(1, 'att_dup').attempt }).execute(), 'the index refuses a second attempt 1');
      } finally {
        await store?.close();
        await h.stop();
        await db.drop();
      }
    });

    it('migration 003 keeps the first of two attempts with one number, then makes attempt numbers unique', async () => {
      const db = await freshDatabase(dialect);
      // The schema as it was before 003, with the twins an unconditioned outcome could leave.
      const old =
        dialect === 'sqlite'
          ? new Kysely<any>({ dialect: new SqliteDialect({ database: new BetterSqlite3(join(db.dataDir, 'herald.db')) }) })
          : new Kysely<any>({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: db.databaseUrl! }) }) });
      let store: Store | null = null;
      try {
        const caps = dialect === 'sqlite' ? sqliteCapabilities : postgresCapabilities;
        const migrations = { '001-initial': initial(caps), '002-incoming': incomingDigestIndex() };
        const migrator = new Migrator({ db: old, provider: { getMigrations: async () => migrations }, migrationTableName: 'herald_migrations', migrationLockTableName: 'herald_migrations_lock' });
        assert.equal((await migrator.migrateToLatest()).error, undefined);
        const row = (id: string, attempt: number) => ({ id, delivery_id: 'dlv_1', attempt, at: 1, status_code: 200, error: null, error_class: null, duration_ms: 1, request: '{}', response_body: id });
        await old.insertInto('attempts').values([row('att_1', 1), row('att_2', 2), row('att_3', 2), row('att_4', 3)]).execute();
        await old.destroy();
        store = await openStore({ dataDir: db.dataDir, databaseUrl: db.databaseUrl });
        const kept = await store.db.selectFrom('attempts').select(['id', 'attempt']).orderBy('id').execute();
        assert.deepEqual(kept, [
          { id: 'att_1', attempt: 1 },
          { id: 'att_2', attempt: 2 },
          { id: 'att_4', attempt: 3 },
        ]);
        await assert.rejects(store.db.insertInto('attempts').values(row('att_5', 3)).execute());
      } finally {
        await store?.close();
        await db.drop();
      }
    });

    it('a manual retry never takes a delivery from the worker sending it', async () => {
      const h = await startTestHerald(dialect);
      let release: () => void = () => {};
      const held = new Promise<void>((r) => (release = r));
      const slow = await startReceiver(async () => {
        await held;
        return { status: 200 };
      });
      try {
        const id = await endpoint(h, 'slow', slow.url);
        assert.equal((await h.api('POST', '/v1/events', { type: 'CLASS', action: 'CREATED', entity_ids: ['c1'] })).status, 202);
        await slow.waitFor(1);
        const [d] = (await h.api('GET', `/v1/deliveries?endpoint_id=${id}`)).json.data;
        const retry = await h.api('POST', `/v1/deliveries/${d.id}/retry`);
        assert.equal(retry.status, 409, retry.text);
        release();
        await until(async () => (await h.api('GET', `/v1/deliveries/${d.id}`)).json.status === 'succeeded', 10_000, 'the delivery recorded');
        const after = (await h.api('GET', `/v1/deliveries/${d.id}`)).json;
        assert.deepEqual(after.attempts.map((a: { attempt: number }) => a.attempt), [1]);
        assert.equal(slow.received.length, 1);
      } finally {
        release();
        await slow.close();
        await h.stop();
      }
    });
  });
}

describe('back-pressure (postgres): outcomes that cannot be written stop the claims', { skip: PG_URL ? false : PG_SKIP_REASON }, () => {
  it('with INSERT on attempts revoked, the worker claims nothing new, keeps its outcome, and writes it when the grant returns', async () => {
    const db = await freshDatabase('postgres');
    const role = `herald_bp_${randomBytes(4).toString('hex')}`;
    const dbName = new URL(db.databaseUrl!).pathname.slice(1);
    const admin = new pg.Client({ connectionString: db.databaseUrl! });
    await admin.connect();
    let h: TestHerald | null = null;
    const r = await startReceiver();
    try {
      await admin.query(`create role ${role} login`);
      await admin.query(`alter database ${dbName} owner to ${role}`);
      await admin.query(`grant all on schema public to ${role}`);
      const asRole = new URL(db.databaseUrl!);
      asRole.username = role;
      h = await startTestHerald('postgres', {}, { ...db, databaseUrl: asRole.toString() });
      await endpoint(h, 'target', r.url);
      assert.equal(await metric(h, 'herald_worker_claims_paused'), 0);

      await admin.query(`revoke insert on attempts from ${role}`);
      const first = await h.api('POST', '/v1/events', { type: 'CLASS', action: 'CREATED', entity_ids: ['c1'] });
      assert.equal(first.status, 202);
      await r.waitFor(1);
      await until(async () => (await metric(h!, 'herald_worker_claims_paused')) === 1, 10_000, 'claims paused');
      assert.equal(await metric(h, 'herald_worker_unwritten_outcomes'), 1);
      const second = await h.api('POST', '/v1/events', { type: 'CLASS', action: 'CREATED', entity_ids: ['c2'] });
      assert.equal(second.status, 202);
      // Paused for a while: the second delivery stays unclaimed, the first keeps its lease and no attempt.
      await new Promise((res) => setTimeout(res, 1500));
      const rows = await admin.query('select message_id, lease_owner, attempts, status from deliveries order by id');
      assert.deepEqual(
        rows.rows.map((x) => [x.message_id, x.lease_owner === null ? 'unleased' : 'leased', x.attempts, x.status]),
        [
          [first.json.id, 'leased', 0, 'pending'],
          [second.json.id, 'unleased', 0, 'pending'],
        ],
      );
      assert.equal(r.received.length, 1, 'nothing new was sent while outcomes could not be written');

      await admin.query(`grant insert on attempts to ${role}`);
      await until(async () => (await metric(h!, 'herald_worker_claims_paused')) === 0, 15_000, 'claims resumed');
      await r.waitFor(2);
      await until(
        async () => (await admin.query(`select count(*)::int as n from deliveries where status = 'succeeded' and attempts = 1`)).rows[0].n === 2,
        10_000,
        'both deliveries recorded',
      );
      const attempts = await admin.query('select d.message_id, a.attempt, a.status_code from attempts a join deliveries d on d.id = a.delivery_id order by a.id');
      assert.deepEqual(
        attempts.rows.map((x) => [x.message_id, x.attempt, x.status_code]),
        [
          [first.json.id, 1, 200],
          [second.json.id, 1, 200],
        ],
      );
      assert.equal(r.received.length, 2, 'the first delivery was not sent again');
    } finally {
      // A failed assertion may leave the grant revoked: the worker's shutdown would wait for its outcomes.
      await admin.query(`grant insert on attempts to ${role}`).catch(() => {});
      await r.close();
      await h?.stop();
      await admin.end();
      await db.drop();
      const c = new pg.Client({ connectionString: PG_URL! });
      await c.connect();
      await c.query(`drop role if exists ${role}`);
      await c.end();
    }
  });
});

describe('back-pressure (sqlite): outcomes that cannot be written are kept until the store takes them', () => {
  it('with the write lock held by another connection, claims pause (metric, log line), and the outcome is written once it is released', async () => {
    const db = await freshDatabase('sqlite');
    // Its own process: SQLite's busy wait holds that process's event loop, and the test's must stay free.
    const herald = await spawnHerald({ HERALD_DATA_DIR: db.dataDir, HERALD_RETRY_SCHEDULE: '200ms,200ms,200ms' });
    const r = await startReceiver(() => ({ status: 200, delayMs: 300 }));
    const lock = new BetterSqlite3(join(db.dataDir, 'herald.db'));
    const gauge = async (name: string) => {
      const line = (await (await fetch(`${herald.url}/metrics`)).text()).split('\n').find((l) => l.startsWith(`${name} `));
      assert.ok(line, `${name} in /metrics`);
      return Number(line.split(' ')[1]);
    };
    try {
      const ep = await api(herald.url, 'POST', '/v1/endpoints', { name: 'target', url: r.url, format: 'strigo' });
      assert.equal(ep.status, 201, ep.text);
      assert.equal((await api(herald.url, 'POST', '/v1/subscriptions', { endpoint_id: ep.json.id, events: ['CLASS/*'] })).status, 201);
      const published = await api(herald.url, 'POST', '/v1/events', { type: 'CLASS', action: 'CREATED', entity_ids: ['c1'] });
      assert.equal(published.status, 202);
      await r.waitFor(1);
      // The answer is 300 ms away: by then another connection holds SQLite's one write lock.
      lock.exec('begin immediate');
      await until(async () => (await gauge('herald_worker_claims_paused')) === 1, 30_000, 'claims paused');
      assert.equal(await gauge('herald_worker_unwritten_outcomes'), 1);
      // The log line and the gauge come from the same moment, but the line reaches the pipe when it is flushed.
      await until(async () => /delivery outcomes cannot be written; claiming paused until they can/.test(herald.output()), 5_000, 'the pause logged');
      const during = await api(herald.url, 'GET', `/v1/messages/${published.json.id}`);
      assert.equal(during.json.deliveries[0].attempt_count, 0, 'nothing recorded while the lock is held');

      lock.exec('commit');
      await until(async () => (await gauge('herald_worker_claims_paused')) === 0, 30_000, 'claims resumed');
      const after = await until(async () => {
        const m = await api(herald.url, 'GET', `/v1/messages/${published.json.id}`);
        return m.json.deliveries[0].status === 'succeeded' ? m.json.deliveries[0] : null;
      }, 10_000, 'the kept outcome written');
      assert.equal(after.attempt_count, 1);
      await until(async () => /delivery outcomes written again; claiming resumed/.test(herald.output()), 5_000, 'the resumption logged');
      assert.equal(r.received.length, 1, 'the delivery was not sent again');
    } finally {
      if (lock.inTransaction) lock.exec('commit');
      lock.close();
      herald.child.kill('SIGTERM');
      await herald.exited;
      await r.close();
      await db.drop();
    }
  });
});
