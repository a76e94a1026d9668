import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import pino from 'pino';
import { makeClaimLoop, type ClaimedJob } from '../../src/delivery/claim-loop.js';
import type { Store } from '../../src/store/database.js';
import { releaseLeases, releaseUnknownLeases, type ClaimedDelivery } from '../../src/store/queries/claim-due-deliveries.js';
import { deliveryRows, seedDeliveries, tempStore } from '../helpers/delivery-rows.js';

const log = pino({ level: 'silent' });

async function until(check: () => boolean | Promise<boolean>, what: string, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) assert.fail(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('the claim loop on a real SQLite store', () => {
  let db: Awaited<ReturnType<typeof tempStore>>;
  let store: Store;
  before(async () => {
    db = await tempStore();
    store = db.store;
  });
  after(() => db.close());

  /** A loop whose admitted jobs stay held until the test lets them go. */
  function loop(owner: string, o: { maxInFlight?: number; maxHeldBytes?: number; bytes?: number; admit?: (job: ClaimedJob) => boolean; paused?: () => boolean } = {}) {
    const held = new Map<string, ClaimedJob>();
    const admitted: string[] = [];
    const claims = makeClaimLoop<ClaimedJob>({
      store,
      owner,
      now: Date.now,
      leaseMs: 60_000,
      log,
      maxInFlight: o.maxInFlight ?? 100,
      claimBatch: 100,
      maxHeldBytes: o.maxHeldBytes ?? 1_000_000,
      load: () => ({ inFlight: 0, queued: held.size, heldBytes: [...held.values()].reduce((n, j) => n + j.messageBytes, 0) }),
      paused: o.paused ?? (() => false),
      busyEndpoints: () => [],
      holds: (id) => held.has(id),
      prepare: async (claimed: ClaimedDelivery[]) => claimed.map((delivery) => ({ delivery, messageBytes: o.bytes ?? 100 })),
      admit(job) {
        if (o.admit && !o.admit(job)) return false;
        held.set(job.delivery.id, job);
        admitted.push(job.delivery.id);
        return true;
      },
      release: (ds) => releaseLeases(store, owner, ds),
      releaseUnknown: () => releaseUnknownLeases(store, owner, [...held.keys()]),
    });
    const finish = (n: number) => {
      for (const id of [...held.keys()].slice(0, n)) held.delete(id);
      claims.wake();
    };
    return { claims, held, admitted, finish };
  }

  const leasedTo = async (owner: string, endpointId: string) => (await deliveryRows(store)).filter((r) => r.endpoint_id === endpointId && r.lease_owner === owner).length;

  it('holds at most twice maxInFlight, claims more as room comes free, and claims each delivery once', async () => {
    const ids = await seedDeliveries(store, 'room', 10);
    const { claims, held, admitted, finish } = loop('wkr_room', { maxInFlight: 2 });
    claims.start();
    try {
      await until(() => admitted.length === 4, 'the first four');
      assert.equal(await leasedTo('wkr_room', 'room'), 4);
      await new Promise((r) => setTimeout(r, 100));
      assert.equal(admitted.length, 4, 'no room: nothing more is claimed');
      while (admitted.length < 10) {
        finish(held.size);
        await until(() => held.size > 0 || admitted.length === 10, 'another claim');
      }
      assert.deepEqual([...admitted].sort(), ids);
    } finally {
      await claims.stop();
    }
  });

  it('sizes claims by the message bytes left in the budget', async () => {
    await seedDeliveries(store, 'bytes', 6);
    const { claims, admitted, finish } = loop('wkr_bytes', { maxHeldBytes: 3000, bytes: 1000 });
    claims.start();
    try {
      // The first claim guesses large jobs and takes one; after that, jobs of 1000 bytes fill the 3000 left.
      await until(() => admitted.length === 3, 'the budget filled');
      await new Promise((r) => setTimeout(r, 100));
      assert.equal(admitted.length, 3);
      finish(3);
      await until(() => admitted.length === 6, 'the rest once the bytes are freed');
    } finally {
      await claims.stop();
    }
  });

  it('claims nothing while paused (outcomes cannot be written), and goes on when woken after', async () => {
    await seedDeliveries(store, 'paused', 2);
    let paused = true;
    const { claims, admitted } = loop('wkr_paused', { paused: () => paused });
    claims.start();
    try {
      await new Promise((r) => setTimeout(r, 150));
      assert.equal(admitted.length, 0);
      assert.equal(await leasedTo('wkr_paused', 'paused'), 0);
      paused = false;
      claims.wake();
      await until(() => admitted.length === 2, 'claims after the pause');
    } finally {
      await claims.stop();
    }
  });

  it('gives back the lease of a job it could not hand on, so it is claimed again at once', async () => {
    const ids = await seedDeliveries(store, 'surplus', 3);
    const refused = new Set<string>();
    // Refuses each delivery the first time it is offered; its lease (60 s) must then be released for the loop
    // to claim it again.
    const { claims, admitted } = loop('wkr_surplus', {
      admit: (job) => {
        if (job.delivery.id === ids[0] || refused.has(job.delivery.id)) return true;
        refused.add(job.delivery.id);
        return false;
      },
    });
    claims.start();
    try {
      await until(() => admitted.length === 3, 'all three kept in the end');
    } finally {
      await claims.stop();
    }
    assert.deepEqual([...refused].sort(), ids.slice(1));
    assert.deepEqual([...admitted].sort(), ids);
    assert.equal(await leasedTo('wkr_surplus', 'surplus'), 3);
  });
});
