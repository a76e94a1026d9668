import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import pino from 'pino';
import { makeLeaseKeeper } from '../../src/delivery/lease-keeper.js';
import type { Store } from '../../src/store/database.js';
import { claimDueDeliveries } from '../../src/store/queries/claim-due-deliveries.js';
import { deliveryRows, seedDeliveries, tempStore } from '../helpers/delivery-rows.js';

const log = pino({ level: 'silent' });

describe('the lease keeper (renewal, orphans, releases) on a real SQLite store', () => {
  let db: Awaited<ReturnType<typeof tempStore>>;
  let store: Store;
  before(async () => {
    db = await tempStore();
    store = db.store;
  });
  after(() => db.close());

  const claim = (owner: string, nowMs: number) => claimDueDeliveries(store, { owner, nowMs, leaseMs: 1000, limit: 100, excludeEndpoints: [], fromMs: 0 });

  it('renews the leases it holds, and only those, under its own owner', async () => {
    await seedDeliveries(store, 'renew', 3);
    let clock = 10_000;
    const keeper = makeLeaseKeeper({ store, owner: 'wkr_a', now: () => clock, leaseMs: 60_000, log });
    const claimed = await claim('wkr_a', clock);
    assert.equal(claimed.length, 3);
    keeper.hold(claimed[0]!);
    keeper.hold(claimed[1]!);
    clock = 20_000;
    await keeper.renew();
    const rows = await deliveryRows(store);
    assert.deepEqual(
      rows.map((r) => [r.id, r.lease_owner, r.lease_expires_at]),
      [
        [claimed[0]!.id, 'wkr_a', 80_000],
        [claimed[1]!.id, 'wkr_a', 80_000],
        [claimed[2]!.id, 'wkr_a', 11_000],
      ],
    );
    assert.equal(keeper.holds(claimed[0]!.id), true);
    assert.equal(keeper.size, 2);
  });

  it('releases what was not held after a failed claim, and what it gives back, but nobody else\u2019s lease', async () => {
    const keeper = makeLeaseKeeper({ store, owner: 'wkr_a', now: () => 30_000, leaseMs: 60_000, log });
    const rows = (await deliveryRows(store)).filter((r) => r.endpoint_id === 'renew');
    keeper.hold({ id: rows[0]!.id, attempts: 0 });
    // Another worker's lease on the third row: the keeper's releases do not touch it.
    await store.db.updateTable('deliveries').set({ lease_owner: 'wkr_b' }).where('id', '=', rows[2]!.id).execute();
    assert.equal(await keeper.releaseUnknown(), 1, 'the second row: leased to wkr_a, not held');
    await keeper.release(keeper.takeAll());
    assert.equal(keeper.size, 0);
    const after = (await deliveryRows(store)).filter((r) => r.endpoint_id === 'renew');
    assert.deepEqual(after.map((r) => r.lease_owner), [null, null, 'wkr_b']);
  });

  it('a release holds only for the attempt count it was claimed with', async () => {
    const [id] = await seedDeliveries(store, 'requeued', 1);
    const keeper = makeLeaseKeeper({ store, owner: 'wkr_c', now: () => 40_000, leaseMs: 60_000, log });
    await claim('wkr_c', 40_000);
    // Meanwhile recorded and claimed again by the same owner: a later lease.
    await store.db.updateTable('deliveries').set({ attempts: 1 }).where('id', '=', id!).execute();
    await keeper.release([{ id: id!, attempts: 0 }]);
    const row = (await deliveryRows(store)).find((r) => r.id === id);
    assert.equal(row?.lease_owner, 'wkr_c');
  });

  it('cancels orphans it holds, saying why', async () => {
    const ids = await seedDeliveries(store, 'orphaned', 2);
    const keeper = makeLeaseKeeper({ store, owner: 'wkr_d', now: () => 50_000, leaseMs: 60_000, log });
    await claim('wkr_d', 50_000);
    await store.db.updateTable('deliveries').set({ lease_owner: 'wkr_other' }).where('id', '=', ids[1]!).execute();
    await keeper.cancelOrphans(ids);
    const rows = (await deliveryRows(store)).filter((r) => r.endpoint_id === 'orphaned');
    assert.deepEqual(
      rows.map((r) => [r.status, r.lease_owner, r.last_error]),
      [
        ['cancelled', null, 'endpoint or message no longer exists'],
        ['pending', 'wkr_other', null],
      ],
    );
  });

  it('renews on its own every third of a lease while it holds something', async () => {
    const [id] = await seedDeliveries(store, 'beat', 1);
    let clock = 60_000;
    const keeper = makeLeaseKeeper({ store, owner: 'wkr_e', now: () => clock, leaseMs: 300, log });
    await claim('wkr_e', clock);
    keeper.hold({ id: id!, attempts: 0 });
    clock = 1_000_000;
    keeper.startRenewing();
    try {
      const end = Date.now() + 10_000;
      for (;;) {
        const row = (await deliveryRows(store)).find((r) => r.id === id);
        if (row?.lease_expires_at === 1_000_300) break;
        assert.ok(Date.now() < end, `lease still expires at ${row?.lease_expires_at}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    } finally {
      keeper.stopRenewing();
    }
  });
});
