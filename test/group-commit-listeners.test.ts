import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sql } from 'kysely';
import { makeGroupCommitter } from '../src/store/group-commit.js';
import { tempStore } from './helpers/delivery-rows.js';

describe('what runs after a group commit', () => {
  it('a listener that throws is reported, and neither its job nor the jobs sharing its transaction fail', async () => {
    const { store, close } = await tempStore();
    try {
      const reported: unknown[] = [];
      const commit = makeGroupCommitter(store, { onListenerError: (e) => reported.push(e) });
      const heard: number[] = [];
      const jobs = [1, 2, 3].map((n) =>
        commit(async (trx) => (await sql<{ n: number }>`select ${n} as n`.execute(trx)).rows[0]!.n, {
          onCommit: (r) => {
            if (n === 2) throw new Error('listener two failed');
            heard.push(r as number);
          },
        }),
      );
      assert.deepEqual(await Promise.all(jobs), [1, 2, 3]);
      assert.deepEqual(heard.sort(), [1, 3]);
      assert.equal(reported.length, 1);
      assert.match(String((reported[0] as Error).message), /listener two failed/);
    } finally {
      await close();
    }
  });
});
