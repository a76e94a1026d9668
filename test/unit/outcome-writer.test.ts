import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import pino from 'pino';
import { makeOutcomeWriter } from '../../src/delivery/outcome-writer.js';
import type { Store } from '../../src/store/database.js';
import { claimDueDeliveries, type ClaimedDelivery } from '../../src/store/queries/claim-due-deliveries.js';
import type { AttemptOutcome } from '../../src/store/queries/record-outcomes.js';
import { deliveryRows, seedDeliveries, tempStore } from '../helpers/delivery-rows.js';

const log = pino({ level: 'silent' });
const OWNER = 'wkr_writer';

function success(d: ClaimedDelivery, at: number): AttemptOutcome {
  return {
    attempt: { id: `att_${d.id}`, delivery_id: d.id, attempt: d.attempts + 1, at, status_code: 200, error: null, error_class: null, duration_ms: 1, request: '{}', response_body: 'ok' },
    deliveryId: d.id,
    endpointId: d.endpoint_id,
    status: 'succeeded',
    nextAttemptAt: null,
    lastStatusCode: 200,
    lastError: null,
    disableReason: null,
  };
}

async function until(check: () => boolean | Promise<boolean>, what: string, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) assert.fail(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('the outcome writer (batches, back-pressure) on a real SQLite store', () => {
  let db: Awaited<ReturnType<typeof tempStore>>;
  let store: Store;
  before(async () => {
    db = await tempStore();
    store = db.store;
  });
  after(() => db.close());

  function writer(flushEvery: number) {
    const events = new EventEmitter();
    const written: string[][] = [];
    const recorded: string[] = [];
    const pressure: { paused: boolean; unwritten: number }[] = [];
    let resumed = 0;
    events.on('delivery-outcome', (o: AttemptOutcome) => recorded.push(o.deliveryId));
    events.on('outcome-backpressure', (p: { paused: boolean; unwritten: number }) => pressure.push(p));
    const w = makeOutcomeWriter({
      store,
      owner: OWNER,
      now: Date.now,
      log,
      events,
      flushEvery,
      failingAfter: 5,
      onWritten: (batch) => written.push(batch.map((o) => o.deliveryId)),
      onResumed: () => resumed++,
    });
    w.open();
    return { w, written, recorded, pressure, resumed: () => resumed };
  }

  const claim = async (endpointId: string, n: number) => {
    await seedDeliveries(store, endpointId, n);
    const now = Date.now();
    return (await claimDueDeliveries(store, { owner: OWNER, nowMs: now, leaseMs: 60_000, limit: 100, excludeEndpoints: [endpointId === 'a' ? 'b' : 'a'], fromMs: 0 })).filter((d) => d.endpoint_id === endpointId);
  };

  it('writes a full batch at once and a partial one shortly after, in order, and records them', async () => {
    const claimed = await claim('a', 5);
    const { w, written, recorded } = writer(3);
    for (const d of claimed) w.keep(success(d, Date.now()));
    assert.equal(w.unwritten, 5);
    await until(() => written.length === 2, 'two batches');
    assert.deepEqual(written, [claimed.slice(0, 3).map((d) => d.id), claimed.slice(3).map((d) => d.id)]);
    assert.deepEqual(recorded, claimed.map((d) => d.id));
    assert.equal(w.unwritten, 0);
    const rows = (await deliveryRows(store)).filter((r) => r.endpoint_id === 'a');
    assert.deepEqual(rows.map((r) => [r.status, r.attempts, r.lease_owner]), claimed.map(() => ['succeeded', 1, null]));
  });

  it('keeps outcomes the store cannot take, says claiming must pause, and writes them once it can', async () => {
    const claimed = await claim('b', 2);
    const { w, written, pressure, resumed } = writer(1);
    // The store's own connection stops taking writes, as a full disk or a read-only remount would.
    await sql`PRAGMA query_only = ON`.execute(store.db);
    try {
      w.keep(success(claimed[0]!, Date.now()));
      await until(() => w.paused, 'the writer to report that it is blocked');
      w.keep(success(claimed[1]!, Date.now()));
      assert.equal(w.unwritten, 2);
      assert.deepEqual(written, []);
      assert.deepEqual(pressure[0], { paused: true, unwritten: 1 });
    } finally {
      await sql`PRAGMA query_only = OFF`.execute(store.db);
    }
    await w.flush();
    assert.equal(w.paused, false);
    assert.equal(resumed(), 1);
    assert.deepEqual(written.flat(), claimed.map((d) => d.id));
    assert.equal(w.unwritten, 0);
    // Resumed as the first batch went in, with the second still to write.
    assert.deepEqual(pressure.at(-1), { paused: false, unwritten: 1 });
    const rows = (await deliveryRows(store)).filter((r) => r.endpoint_id === 'b');
    assert.deepEqual(rows.map((r) => r.status), ['succeeded', 'succeeded']);
  });

  it('a stopping writer gives up a batch the store still refuses once its deadline has passed', async () => {
    const claimed = await claim('c', 1);
    const { w, written } = writer(100);
    await sql`PRAGMA query_only = ON`.execute(store.db);
    try {
      w.keep(success(claimed[0]!, Date.now()));
      w.stopping(Date.now());
      await w.flush();
    } finally {
      await sql`PRAGMA query_only = OFF`.execute(store.db);
    }
    assert.deepEqual(written, [], 'given up, not written');
    assert.equal(w.unwritten, 0);
    const row = (await deliveryRows(store)).find((r) => r.id === claimed[0]!.id);
    assert.deepEqual([row?.status, row?.lease_owner], ['pending', OWNER], 'still pending: its lease expires and it is sent again');
  });

  it('once closed, drops what arrives (there is no lease left to record it on)', async () => {
    const claimed = await claim('d', 1);
    const { w, written } = writer(1);
    w.close();
    w.keep(success(claimed[0]!, Date.now()));
    await w.flush();
    assert.deepEqual([written, w.unwritten], [[], 0]);
  });
});
