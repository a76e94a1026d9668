import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { freshDatabase, skipFor } from './helpers/databases.js';
import { until } from './helpers/herald.js';
import { startReceiver } from './helpers/receiver.js';
import { api, spawnHerald } from './helpers/spawn-herald.js';
import { succeededByThisWorker } from './helpers/metrics.js';

describe('two Herald processes on one PostgreSQL database', { skip: skipFor('postgres') }, () => {
  it('deliver 1,000 events with none lost and none twice', async () => {
    const db = await freshDatabase('postgres');
    const r = await startReceiver(() => ({ status: 200, delayMs: 10 }));
    const env = { HERALD_DATA_DIR: db.dataDir, HERALD_DATABASE_URL: db.databaseUrl! };
    const a = await spawnHerald(env);
    const b = await spawnHerald(env);
    try {
      // A few requests at a time per worker, each taking a while: one worker alone cannot drain the queue before the
      // other claims (on a loaded machine one of them could otherwise take everything, and the test would say nothing).
      const ep = await api(a.url, 'POST', '/v1/endpoints', { name: 'lab', url: r.url, format: 'strigo', max_in_flight: 4 });
      await api(a.url, 'POST', '/v1/subscriptions', { endpoint_id: ep.json.id, events: ['*'] });
      const accepted: string[] = [];
      // Publish through both processes, so both API halves and both workers are busy.
      for (let batch = 0; batch < 10; batch++) {
        const events = Array.from({ length: 100 }, (_, i) => ({ type: 'ONDEMAND_ENROLLMENT', action: 'STARTED', entity_ids: [`enr_${batch}_${i}`] }));
        const res = await api(batch % 2 ? b.url : a.url, 'POST', '/v1/events', { events });
        assert.equal(res.status, 202);
        accepted.push(...res.json.data.map((d: any) => d.id));
      }
      await r.waitFor(1000, 60_000);
      await new Promise((res) => setTimeout(res, 500));
      const ids = r.received.map((x) => JSON.parse(x.body).message_id as string);
      assert.equal(ids.length, 1000, 'none twice');
      assert.deepEqual([...new Set(ids)].sort(), [...accepted].sort(), 'none lost');
      // Both workers took part (SKIP LOCKED lets them claim side by side): each process counts the outcomes its
      // own worker recorded, and the two shares add up to the whole.
      const shares = await until(async () => {
        const counts = await Promise.all([a, b].map((p) => succeededByThisWorker(p.url)));
        return counts[0]! + counts[1]! === 1000 ? counts : null;
      }, 10_000, 'both processes to count every recorded outcome');
      assert.ok(shares[0]! > 0, `the first worker delivered a share: ${shares.join(' + ')}`);
      assert.ok(shares[1]! > 0, `the second worker delivered a share: ${shares.join(' + ')}`);
    } finally {
      a.child.kill('SIGTERM');
      b.child.kill('SIGTERM');
      await Promise.all([a.exited, b.exited]);
      await r.close();
      await db.drop();
    }
  });
});
