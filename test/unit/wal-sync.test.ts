import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { makeWalSync } from '../../src/store/wal-sync.js';

/**
 * Runs `test` against a WAL file on disk and a flush the test completes by hand, to see which callers each flush
 * answers; the file and its descriptor are let go afterwards, whatever happened.
 */
async function withWal(test: (sync: () => Promise<void>, flushes: ((err: Error | null) => void)[]) => Promise<void>) {
  const dir = mkdtempSync(join(tmpdir(), 'herald-wal-sync-'));
  const wal = join(dir, 'herald.db-wal');
  writeFileSync(wal, 'frames');
  const flushes: ((err: Error | null) => void)[] = [];
  const walSync = makeWalSync(wal, (_fd, done) => flushes.push(done));
  try {
    await test(walSync.sync, flushes);
  } finally {
    walSync.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

const settled = async (p: Promise<void>) => {
  let state = 'pending';
  p.then(() => (state = 'resolved'), () => (state = 'rejected'));
  await new Promise((r) => setImmediate(r));
  return state;
};

describe('WAL sync (durability of commits made at synchronous = NORMAL)', () => {
  it('answers a caller only with a flush that started after it asked, and shares that flush between callers', () =>
    withWal(async (sync, flushes) => {
      const first = sync();
      assert.equal(flushes.length, 1);
      // Committed while the first flush runs: that flush may predate their frames.
      const second = sync();
      const third = sync();
      assert.equal(flushes.length, 1, 'no second flush starts while one is running');
      flushes[0]!(null);
      assert.equal(await settled(first), 'resolved');
      assert.equal(await settled(second), 'pending', 'the first flush does not answer a later commit');
      assert.equal(flushes.length, 2, 'the waiting callers get one flush between them');
      flushes[1]!(null);
      assert.equal(await settled(second), 'resolved');
      assert.equal(await settled(third), 'resolved');
      // Idle again: the next caller starts its own flush at once.
      const fourth = sync();
      assert.equal(flushes.length, 3);
      flushes[2]!(null);
      assert.equal(await settled(fourth), 'resolved');
    }));

  it('a failed flush is final: its callers, the callers queued behind it and every later caller are refused, and the owner is told once', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'herald-wal-sync-'));
    const wal = join(dir, 'herald.db-wal');
    writeFileSync(wal, 'frames');
    const flushes: ((err: Error | null) => void)[] = [];
    const told: Error[] = [];
    const walSync = makeWalSync(wal, (_fd, done) => flushes.push(done), (e) => told.push(e));
    try {
      const first = walSync.sync();
      const queued = walSync.sync();
      flushes[0]!(Object.assign(new Error('EIO: i/o error, fdatasync'), { code: 'EIO' }));
      await assert.rejects(first, /EIO/);
      await assert.rejects(queued, /EIO/);
      // The kernel may have dropped the pages and cleared the error: a new flush could succeed and prove nothing.
      await assert.rejects(walSync.sync(), /EIO/);
      assert.equal(flushes.length, 1, 'no flush is tried after a failed one');
      assert.deepEqual(told.map((e) => e.message), ['EIO: i/o error, fdatasync']);
    } finally {
      walSync.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('fails clearly when there is no WAL file to flush', async () => {
    const { sync } = makeWalSync(join(tmpdir(), 'herald-no-such-dir', 'herald.db-wal'));
    await assert.rejects(sync(), /ENOENT/);
  });
});
