import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { makeJobReader } from '../../src/delivery/claimed-jobs.js';
import { makeMessageCache, messageView } from '../../src/delivery/message-cache.js';
import type { Store } from '../../src/store/database.js';
import { claimDueDeliveries } from '../../src/store/queries/claim-due-deliveries.js';
import { seedDeliveries, tempStore } from '../helpers/delivery-rows.js';

describe('claimed rows into jobs (messages, endpoints, topics) on a real SQLite store', () => {
  let db: Awaited<ReturnType<typeof tempStore>>;
  let store: Store;
  before(async () => {
    db = await tempStore();
    store = db.store;
  });
  after(() => db.close());

  const claim = async (...endpointIds: string[]) =>
    (await claimDueDeliveries(store, { owner: 'wkr_r', nowMs: Date.now(), leaseMs: 60_000, limit: 100, excludeEndpoints: [], fromMs: 0 })).filter((d) => endpointIds.includes(d.endpoint_id));

  it('reads the message and endpoint of each delivery, and weighs the message by its stored JSON', async () => {
    await seedDeliveries(store, 'plain', 2, 1, '{"course":"k8s"}');
    const reader = makeJobReader({ store, now: Date.now });
    const { jobs, orphans, unreadable } = await reader.read(await claim('plain'));
    assert.deepEqual([jobs.length, orphans.length, unreadable.length], [2, 0, 0]);
    assert.equal(jobs[0]!.message.dataJson, '{"course":"k8s"}');
    assert.deepEqual(jobs[0]!.message.entityIds, ['c1']);
    assert.equal(jobs[0]!.endpoint.id, 'plain');
    assert.equal(jobs[0]!.messageBytes, '{"course":"k8s"}'.length + '["c1"]'.length + 256);
    assert.equal(jobs[0]!.templates, null);
    assert.deepEqual([...reader.knownEndpoints()].map((r) => r.id), ['plain']);
  });

  it('takes a just-published message from the hand-over cache instead of the store', async () => {
    const [id] = await seedDeliveries(store, 'cached', 1, 1, '{"from":"store"}');
    const cache = makeMessageCache();
    const row = await store.db.selectFrom('messages').selectAll().where('id', '=', 'msg_cached_0').executeTakeFirstOrThrow();
    cache.put(messageView({ ...row, data: '{"from":"cache"}' }, ['c1']), 42);
    const { jobs } = await makeJobReader({ store, now: Date.now, recentMessages: cache }).read(await claim('cached'));
    assert.equal(jobs[0]!.delivery.id, id);
    assert.deepEqual([jobs[0]!.message.dataJson, jobs[0]!.messageBytes], ['{"from":"cache"}', 42]);
  });

  it('sorts out deliveries whose endpoint is gone (orphans) and whose message cannot be parsed (unreadable)', async () => {
    const [gone] = await seedDeliveries(store, 'gone', 1);
    const [broken] = await seedDeliveries(store, 'broken', 1);
    const claimed = await claim('gone', 'broken');
    await store.db.updateTable('messages').set({ entity_ids: '[not json' }).where('id', '=', 'msg_broken_0').execute();
    const reader = makeJobReader({ store, now: Date.now });
    // An endpoint deleted between the claim and the read: its row is not there to be found.
    const { jobs, orphans, unreadable } = await reader.read(claimed.map((d) => (d.id === gone ? { ...d, endpoint_id: 'no_such_endpoint' } : d)));
    assert.deepEqual(jobs, []);
    assert.deepEqual(orphans.map((d) => d.id), [gone]);
    assert.deepEqual(unreadable.map((u) => [u.delivery.id, u.url]), [[broken, 'http://127.0.0.1:9/broken']]);
    assert.match(unreadable[0]!.error.message, /^message msg_broken_0 cannot be read: /);
  });

  it('reuses an endpoint row for a second unless told it changed', async () => {
    await seedDeliveries(store, 'changing', 3);
    let clock = 1_000_000;
    const reader = makeJobReader({ store, now: () => clock });
    const [a, b, c] = await claim('changing');
    assert.equal((await reader.read([a!])).jobs[0]!.endpoint.url, 'http://127.0.0.1:9/changing');
    await store.db.updateTable('endpoints').set({ url: 'http://127.0.0.1:9/moved' }).where('id', '=', 'changing').execute();
    clock += 500;
    assert.equal((await reader.read([b!])).jobs[0]!.endpoint.url, 'http://127.0.0.1:9/changing', 'cached for a second');
    reader.forget('changing');
    assert.equal((await reader.read([c!])).jobs[0]!.endpoint.url, 'http://127.0.0.1:9/moved');
  });
});
