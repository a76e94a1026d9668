import assert from 'node:assert/strict';
import { fdatasync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
import { freshDatabase, skipFor } from './helpers/databases.js';
import { startTestHerald, TEST_TOKEN } from './helpers/herald.js';
import { startPgProxy } from './helpers/pg-proxy.js';
import { api, spawnHerald } from './helpers/spawn-herald.js';
import type { Flush } from '../src/store/wal-sync.js';

/** How long the covering sync (SQLite) or COMMIT answer (PostgreSQL) is held: an answer sent early has arrived by then. */
const HOLD_MS = 400;

const EVENT = { type: 'ONDEMAND_ENROLLMENT', action: 'STARTED', entity_ids: ['enr_durable'] };

/** Publishes without waiting, writing `202` (or the status) into `order` when the answer arrives. */
function publishInto(url: string, order: string[]) {
  return fetch(`${url}/v1/events`, {
    method: 'POST',
    headers: { authorization: `Bearer ${TEST_TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify(EVENT),
  }).then(async (res) => {
    order.push(String(res.status));
    return res.json() as Promise<{ id: string }>;
  });
}

describe('a 202 from POST /v1/events leaves only once its event is on disk', () => {
  it('sqlite: the answer waits for the WAL flush that started after its commit', async () => {
    const order: string[] = [];
    let hold: ((fd: number, done: (err: Error | null) => void) => void) | null = null;
    // Every flush goes to disk as usual; while `hold` is set, the next one is handed to the test instead.
    const walFlush: Flush = (fd, done) => {
      const h = hold;
      hold = null;
      if (h) h(fd, done);
      else fdatasync(fd, done);
    };
    const h = await startTestHerald('sqlite', { HERALD_ROLE: 'api' }, undefined, { walFlush });
    const reader = new BetterSqlite3(join(h.db.dataDir, 'herald.db'), { readonly: true });
    try {
      let storedWhenFlushed = -1;
      const flushStarted = new Promise<() => void>((resolve) => {
        hold = (fd, done) => {
          // The commit is in the WAL before its flush starts: this flush is the one that covers it.
          storedWhenFlushed = (reader.prepare('select count(*) as n from messages').get() as { n: number }).n;
          order.push('flush started');
          resolve(() => {
            order.push('flush released');
            fdatasync(fd, done);
          });
        };
      });
      const answered = publishInto(h.url, order);
      const release = await flushStarted;
      await new Promise((r) => setTimeout(r, HOLD_MS));
      release();
      const published = await answered;
      assert.equal(storedWhenFlushed, 1, 'the flush started after the event was committed');
      assert.deepEqual(order, ['flush started', 'flush released', '202'], 'the 202 came only after the flush');
      assert.equal((await h.api('GET', `/v1/messages/${published.id}`)).status, 200);
    } finally {
      reader.close();
      await h.stop();
    }
  });

  it('postgres: the answer waits for the server to answer the COMMIT', { skip: skipFor('postgres') }, async () => {
    const db = await freshDatabase('postgres');
    const proxy = await startPgProxy(db.databaseUrl!);
    const h = await startTestHerald('postgres', { HERALD_ROLE: 'api', HERALD_DATABASE_URL: proxy.url }, db);
    const direct = new pg.Client({ connectionString: db.databaseUrl! });
    await direct.connect();
    try {
      const order: string[] = [];
      const commit = proxy.holdNextCommit();
      const answered = publishInto(h.url, order);
      await commit.forwarded;
      order.push('commit sent');
      await new Promise((r) => setTimeout(r, HOLD_MS));
      // The server has committed (another connection sees the message), but Herald has not heard so yet.
      assert.equal((await direct.query('select count(*)::int as n from messages')).rows[0].n, 1);
      order.push('commit answered');
      commit.release();
      await answered;
      assert.deepEqual(order, ['commit sent', 'commit answered', '202'], 'the 202 came only after the COMMIT was answered');
    } finally {
      await direct.end();
      await h.stop();
      await proxy.close();
      await db.drop();
    }
  });
});

describe('a failed fsync of the SQLite WAL', () => {
  it('stops the process with exit 74 and a clear line, refuses the publish waiting for it, and a restart recovers', async () => {
    const db = await freshDatabase('sqlite');
    const env = { HERALD_DATA_DIR: db.dataDir, HERALD_ROLE: 'api' };
    try {
      const failing = await spawnHerald(env, undefined, ['--import', 'tsx', 'test/fixtures/failing-wal-herald.ts']);
      const deadline = Date.now() + 10_000;
      while (!failing.output().includes('wal flush failing') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
      assert.match(failing.output(), /wal flush failing/);
      const publish = fetch(`${failing.url}/v1/events`, {
        method: 'POST',
        headers: { authorization: `Bearer ${TEST_TOKEN}`, 'content-type': 'application/json' },
        body: JSON.stringify(EVENT),
      });
      // No answer at all: the process is gone before it could say "stored" (or anything else).
      await assert.rejects(publish);
      assert.equal(await failing.exited, 74);
      assert.match(failing.output(), /herald: fatal: the SQLite WAL could not be synced to disk \(EIO: i\/o error, fdatasync\): exiting/);

      const restarted = await spawnHerald(env);
      try {
        const res = await api(restarted.url, 'POST', '/v1/events', EVENT);
        assert.equal(res.status, 202);
      } finally {
        restarted.child.kill('SIGTERM');
        await restarted.exited;
      }
    } finally {
      await db.drop();
    }
  });
});
