import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readlinkSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { sql } from 'kysely';
import { openStore } from '../src/store/database.js';

const size = (path: string) => statSync(path).size;

/** Where this process's open files can be listed (Linux); elsewhere the test that needs it is skipped, saying so. */
const PROC_FD = existsSync('/proc/self/fd') ? false : 'needs /proc/self/fd (Linux) to list the files this process holds open';

/** Files under `dir` this process still holds open. */
function openFilesUnder(dir: string): string[] {
  const held: string[] = [];
  for (const fd of readdirSync('/proc/self/fd')) {
    try {
      const target = readlinkSync(`/proc/self/fd/${fd}`);
      if (target.startsWith(dir)) held.push(target);
    } catch {
      // closed while listing
    }
  }
  return held;
}

describe('SQLite checkpoints (run on their own thread, not by the connection that commits)', () => {
  it('copies committed WAL frames into the database file while the writer only commits', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'herald-checkpoint-'));
    const file = join(dir, 'herald.db');
    const failures: string[] = [];
    const store = await openStore({ dataDir: dir, databaseUrl: null, onCheckpointFailure: (e) => failures.push(e) });
    try {
      // Let the thread catch up with the migrations, then measure from there.
      await new Promise((r) => setTimeout(r, 500));
      const before = size(file);
      // About 2 MB of settings rows: far below the writing connection's own checkpoint threshold (64 MB of WAL).
      const value = 'x'.repeat(2000);
      await store.db.transaction().execute(async (trx) => {
        for (let i = 0; i < 1000; i++) await trx.insertInto('settings').values({ key: `k${i}`, value }).execute();
      });
      const deadline = Date.now() + 5000;
      while (size(file) < before + 1_500_000 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      assert.ok(size(file) >= before + 1_500_000, `database file grew from ${before} to only ${size(file)} bytes: nothing was checkpointed`);
      // Everything committed is readable through the writing connection as before.
      const row = await sql<{ n: number }>`select count(*) as n from settings where key like 'k%'`.execute(store.db);
      assert.equal(row.rows[0]!.n, 1000);
      assert.deepEqual(failures, []);
    } finally {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('closing the store stops the thread, lets go of its files, and leaves a database that reopens with everything in it', { skip: PROC_FD }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'herald-checkpoint-'));
    try {
      const first = await openStore({ dataDir: dir, databaseUrl: null });
      await first.db.insertInto('settings').values({ key: 'kept', value: 'yes' }).execute();
      await first.durable();
      await first.close();
      assert.deepEqual(openFilesUnder(dir), [], 'no file of the closed store is still open');
      const second = await openStore({ dataDir: dir, databaseUrl: null });
      const row = await second.db.selectFrom('settings').select('value').where('key', '=', 'kept').executeTakeFirst();
      await second.close();
      assert.equal(row?.value, 'yes');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
