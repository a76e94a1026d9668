import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sql, type Kysely } from 'kysely';
import pg from 'pg';
import { openStore, storeReachable, withStartupOption, type Store } from '../src/store/database.js';
import type { Database } from '../src/store/schema.js';
import { claimDueDeliveries, releaseLeases } from '../src/store/queries/claim-due-deliveries.js';
import { relaxedStatement, relaxedTransaction } from '../src/store/relaxed-transaction.js';
import { makeLeaseKeeper } from '../src/delivery/lease-keeper.js';
import { freshDatabase, PG_SKIP_REASON, PG_URL } from './helpers/databases.js';
import { seedDeliveries } from './helpers/delivery-rows.js';
import pino from 'pino';

async function setting(db: Kysely<Database>, name: string): Promise<string> {
  return (await sql<{ v: string }>`select current_setting(${name}) as v`.execute(db)).rows[0]!.v;
}

/** Counts what reaches the server: every pg client query is one round trip. */
function countTrips() {
  const original = pg.Client.prototype.query;
  const seen: string[] = [];
  (pg.Client.prototype as unknown as { query: (...a: unknown[]) => unknown }).query = function (this: pg.Client, ...args: unknown[]) {
    const q = args[0];
    seen.push(typeof q === 'string' ? q : String((q as { text?: string }).text));
    return (original as unknown as (...a: unknown[]) => unknown).apply(this, args);
  };
  return {
    seen,
    stop: () => {
      pg.Client.prototype.query = original;
    },
  };
}

describe('startup options of the relaxed pool', () => {
  it('join the options a URL already carries, and stand beside a URL without any', () => {
    assert.deepEqual(withStartupOption('postgres://u@h:5432/db', '-c synchronous_commit=off'), { connectionString: 'postgres://u@h:5432/db', options: '-c synchronous_commit=off' });
    const joined = withStartupOption('postgres://u@h:5432/db?options=-c%20statement_timeout%3D5000&sslmode=disable', '-c synchronous_commit=off');
    assert.equal(joined.options, undefined);
    const url = new URL(joined.connectionString!);
    assert.equal(url.searchParams.get('options'), '-c statement_timeout=5000 -c synchronous_commit=off');
    assert.equal(url.searchParams.get('sslmode'), 'disable');
  });
});

describe('the relaxed pool (postgres)', { skip: PG_URL ? false : PG_SKIP_REASON }, () => {
  async function withStore(url: (base: string) => string, fn: (store: Store) => Promise<void>) {
    const db = await freshDatabase('postgres');
    const store = await openStore({ dataDir: db.dataDir, databaseUrl: url(db.databaseUrl!) });
    try {
      await fn(store);
    } finally {
      await store.close();
      await db.drop();
    }
  }

  it('commits without waiting for the disk, while the durable pool waits as the server says', async () => {
    await withStore((u) => u, async (store) => {
      assert.equal(await setting(store.relaxedDb, 'synchronous_commit'), 'off');
      assert.equal(await setting(store.db, 'synchronous_commit'), 'on');
      await relaxedTransaction(store, async (trx) => assert.equal(await setting(trx, 'synchronous_commit'), 'off'));
      assert.ok(await storeReachable(store));
    });
  });

  it("keeps the operator's own startup options on both pools", async () => {
    await withStore((u) => `${u}?options=${encodeURIComponent('-c statement_timeout=4321')}`, async (store) => {
      assert.equal(await setting(store.db, 'statement_timeout'), '4321ms');
      assert.equal(await setting(store.relaxedDb, 'statement_timeout'), '4321ms');
      assert.equal(await setting(store.relaxedDb, 'synchronous_commit'), 'off');
      assert.equal(await setting(store.db, 'synchronous_commit'), 'on');
    });
  });

  it('a claim, a lease renewal and a release are one round trip each', async () => {
    await withStore((u) => u, async (store) => {
      await seedDeliveries(store, 'ep_trips', 3);
      const trips = countTrips();
      try {
        const claimed = await claimDueDeliveries(store, { owner: 'wkr_t', nowMs: Date.now(), leaseMs: 60_000, limit: 10, excludeEndpoints: [], fromMs: 0 });
        assert.equal(claimed.length, 3);
        assert.equal(trips.seen.length, 1, trips.seen.join('\n'));
        const keeper = makeLeaseKeeper({ store, owner: 'wkr_t', now: Date.now, leaseMs: 60_000, log: pino({ level: 'silent' }) });
        for (const d of claimed) keeper.hold(d);
        await keeper.renew();
        assert.equal(trips.seen.length, 2, trips.seen.join('\n'));
        await releaseLeases(store, 'wkr_t', claimed);
        assert.equal(trips.seen.length, 3, trips.seen.join('\n'));
        assert.ok(!trips.seen.some((q) => /^(begin|commit|set)/i.test(q.trim())), trips.seen.join('\n'));
      } finally {
        trips.stop();
      }
      const rows = await store.db.selectFrom('deliveries').select(['lease_owner']).where('endpoint_id', '=', 'ep_trips').execute();
      assert.deepEqual(rows.map((r) => r.lease_owner), [null, null, null]);
    });
  });

  it('a relaxed statement runs on the relaxed pool, and close() ends both pools', async () => {
    const db = await freshDatabase('postgres');
    const store = await openStore({ dataDir: db.dataDir, databaseUrl: db.databaseUrl });
    let open = true;
    const pids = async (k: Kysely<Database>) => Number((await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(k)).rows[0]!.pid);
    try {
      const relaxedPid = await relaxedStatement(store, (k) => pids(k));
      const durablePid = await pids(store.db);
      assert.notEqual(relaxedPid, durablePid);
      await store.close();
      open = false;
      const admin = new pg.Client({ connectionString: db.databaseUrl! });
      await admin.connect();
      try {
        // A backend leaves pg_stat_activity a moment after its client hangs up.
        let left = -1;
        for (let i = 0; i < 50 && left !== 0; i++) {
          if (i > 0) await new Promise((r) => setTimeout(r, 50));
          left = (await admin.query('select pid from pg_stat_activity where pid = any($1::int[])', [[relaxedPid, durablePid]])).rowCount ?? -1;
        }
        assert.equal(left, 0, 'no connection of the store is left open');
      } finally {
        await admin.end();
      }
    } finally {
      if (open) await store.close();
      await db.drop();
    }
  });
});
