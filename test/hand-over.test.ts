import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DIALECTS, freshDatabase, skipFor } from './helpers/databases.js';
import { startTestHerald, until, type TestHerald } from './helpers/herald.js';
import { startReceiver } from './helpers/receiver.js';
import { fdatasync } from 'node:fs';
import type { ClaimedDelivery } from '../src/store/queries/claim-due-deliveries.js';
import type { Flush } from '../src/store/wal-sync.js';

/** The deliveries the publisher handed straight to this process's worker, as the worker adopted them. */
function watchHandOvers(h: TestHerald): string[] {
  const adopted: string[] = [];
  const handOver = h.herald.ctx.handOver;
  assert.ok(handOver, 'an all-in-one process hands over what it publishes');
  const adopt = handOver.adopt.bind(handOver);
  handOver.adopt = (rows: ClaimedDelivery[]) => {
    adopted.push(...rows.map((r) => r.id));
    adopt(rows);
  };
  return adopted;
}

async function endpoint(h: TestHerald, name: string, url: string, extra: Record<string, unknown> = {}): Promise<string> {
  const ep = await h.api('POST', '/v1/endpoints', { name, url, format: 'strigo', ...extra });
  assert.equal(ep.status, 201, ep.text);
  const sub = await h.api('POST', '/v1/subscriptions', { endpoint_id: ep.json.id, events: ['CLASS/*'] });
  assert.equal(sub.status, 201, sub.text);
  return ep.json.id as string;
}

async function publish(h: TestHerald, entity: string, extra: Record<string, unknown> = {}): Promise<string> {
  const res = await h.api('POST', '/v1/events', { type: 'CLASS', action: 'CREATED', entity_ids: [entity], ...extra });
  assert.equal(res.status, 202, res.text);
  return res.json.id as string;
}

async function deliveriesOf(h: TestHerald, messageId: string): Promise<{ id: string; status: string; lease_owner: string | null; attempts: number }[]> {
  return h.herald.ctx.store.db.selectFrom('deliveries').select(['id', 'status', 'lease_owner', 'attempts']).where('message_id', '=', messageId).execute();
}

for (const dialect of DIALECTS) {
  describe(`publishing and delivering in one process (${dialect})`, { skip: skipFor(dialect) }, () => {
    it('stores a delivery already leased to its own worker, which sends it once, without a claim', async () => {
      const h = await startTestHerald(dialect);
      let release: () => void = () => {};
      const held = new Promise<void>((r) => (release = r));
      let hold = false;
      const rx = await startReceiver(async () => {
        if (hold) await held;
        return { status: 200 };
      });
      try {
        const adopted = watchHandOvers(h);
        await endpoint(h, 'one', rx.url);
        // The worker learns the endpoint from its first claim; from then on its deliveries are handed over.
        await publish(h, 'c0');
        await rx.waitFor(1, 10_000);
        hold = true;
        const id = await publish(h, 'c1');
        await rx.waitFor(2, 10_000);
        const [row] = await deliveriesOf(h, id);
        assert.ok(row);
        assert.ok(adopted.includes(row.id), 'the second delivery was handed over');
        assert.equal(row.lease_owner, h.herald.dispatcher!.owner, 'while it is out, the lease is the worker\'s');
        assert.equal(row.status, 'pending');
        release();
        await until(async () => (await deliveriesOf(h, id))[0]?.status === 'succeeded', 10_000, 'the handed-over delivery recorded');
        const [done] = await deliveriesOf(h, id);
        assert.equal(done!.attempts, 1);
        assert.equal(done!.lease_owner, null);
        await new Promise((r) => setTimeout(r, 300));
        assert.equal(rx.received.length, 2, 'each event arrived once');
        // The first went through a claim (the worker did not know the endpoint yet), the second did not.
        const metrics = await h.api('GET', '/metrics');
        assert.match(metrics.text, /^herald_deliveries_handed_over_total 1$/m);
      } finally {
        release();
        await h.stop();
        await rx.close();
      }
    });

    it('hands over only what starts soon: a full endpoint queue, a rate limit and ordering go through claims, and all arrive once', async () => {
      const h = await startTestHerald(dialect);
      let release: () => void = () => {};
      const held = new Promise<void>((r) => (release = r));
      const slow = await startReceiver(async () => {
        await held;
        return { status: 200 };
      });
      const limited = await startReceiver();
      const ordered = await startReceiver();
      try {
        const adopted = watchHandOvers(h);
        const slowId = await endpoint(h, 'slow', slow.url, { max_in_flight: 1 });
        await publish(h, 'warm');
        await slow.waitFor(1, 10_000);
        // One in flight (held) and a slate (max_in_flight = 1) queued: the rest is left for claims.
        const messages: string[] = [];
        for (let i = 0; i < 5; i++) messages.push(await publish(h, `s${i}`));
        const rows = (await Promise.all(messages.map((m) => deliveriesOf(h, m)))).flat();
        const handed = rows.filter((r) => adopted.includes(r.id));
        assert.ok(handed.length <= 1, `at most one queued behind the held send was handed over, got ${handed.length}`);
        assert.ok(rows.filter((r) => r.lease_owner === null).length >= 3, 'what was not handed over waits unleased for a claim');
        release();
        await slow.waitFor(6, 20_000);

        // Rate-limited and ordered endpoints: never handed over, still delivered.
        const disable = await h.api('PATCH', `/v1/endpoints/${slowId}`, { enabled: false });
        assert.equal(disable.status, 200, disable.text);
        await endpoint(h, 'limited', limited.url, { rate_limit: 50 });
        await endpoint(h, 'ordered', ordered.url, { ordering: 'entity' });
        const before = adopted.length;
        await publish(h, 'warm2');
        await limited.waitFor(1, 10_000);
        await ordered.waitFor(1, 10_000);
        for (let i = 0; i < 5; i++) await publish(h, `k${i}`);
        await limited.waitFor(6, 10_000);
        await ordered.waitFor(6, 10_000);
        assert.equal(adopted.length, before, 'nothing for a rate-limited or ordered endpoint was handed over');
        await new Promise((r) => setTimeout(r, 300));
        assert.equal(slow.received.length, 6);
        assert.equal(limited.received.length, 6);
        assert.equal(ordered.received.length, 6);
        const orderedEntities = ordered.received.map((r) => JSON.parse(r.body).entity_ids[0] as string);
        assert.deepEqual(orderedEntities.slice(1), ['k0', 'k1', 'k2', 'k3', 'k4']);
      } finally {
        release();
        await h.stop();
        await Promise.all([slow.close(), limited.close(), ordered.close()]);
      }
    });

    it('a worker that stops gives back what is handed to it afterwards, and a restarted process sends it', async () => {
      const db = await freshDatabase(dialect);
      const h = await startTestHerald(dialect, {}, db);
      const rx = await startReceiver();
      try {
        await endpoint(h, 'one', rx.url);
        await publish(h, 'c0');
        await rx.waitFor(1, 10_000);
        const handOver = h.herald.ctx.handOver!;
        const dispatcher = h.herald.dispatcher!;
        // A lease taken for a publish under way, then the worker stops before the publish adopts it.
        const [row] = await h.herald.ctx.store.db.selectFrom('endpoints').select('id').execute();
        const lease = handOver.lease(row!.id, 'dlv_probe', 1000);
        assert.ok(lease, 'a running worker with room gives a lease');
        assert.equal(handOver.lease(row!.id, 'dlv_huge', 64 * 1024 * 1024), null, 'a message over the worker\'s byte budget is left to claims');
        await dispatcher.stop();
        assert.equal(handOver.lease(row!.id, 'dlv_probe2', 1000), null, 'a stopped worker gives none');
        // A delivery stored under that lease, as the publish would have.
        const id = await publish(h, 'c1');
        const [d] = await deliveriesOf(h, id);
        await h.herald.ctx.store.db.updateTable('deliveries').set({ lease_owner: lease.owner, lease_expires_at: lease.expiresAt }).where('id', '=', d!.id).execute();
        handOver.adopt([{ id: d!.id, message_id: id, endpoint_id: row!.id, topic_id: null, event_key: 'CLASS/CREATED', attempts: 0, next_attempt_at: Date.now(), ordering_key: null }]);
        await until(async () => (await deliveriesOf(h, id))[0]?.lease_owner === null, 10_000, 'the lease given back');
        await h.stop();
        const again = await startTestHerald(dialect, {}, db);
        try {
          await rx.waitFor(2, 10_000);
          assert.equal(JSON.parse(rx.received[1]!.body).entity_ids[0], 'c1');
        } finally {
          await again.stop();
        }
      } finally {
        await rx.close();
        await db.drop();
      }
    });
  });
}

describe('a handed-over delivery and the WAL sync (sqlite)', () => {
  it('is sent once its publish has committed, while the 202 still waits for the sync', async () => {
    let hold: ((fd: number, done: (err: Error | null) => void) => void) | null = null;
    const walFlush: Flush = (fd, done) => {
      const held = hold;
      hold = null;
      if (held) held(fd, done);
      else fdatasync(fd, done);
    };
    const h = await startTestHerald('sqlite', {}, undefined, { walFlush });
    const rx = await startReceiver();
    try {
      const adopted = watchHandOvers(h);
      await endpoint(h, 'one', rx.url);
      await publish(h, 'c0');
      await rx.waitFor(1, 10_000);
      let release: () => void = () => {};
      const flushHeld = new Promise<void>((resolve) => {
        hold = (fd, done) => {
          release = () => fdatasync(fd, done);
          resolve();
        };
      });
      let answered = false;
      const answer = publish(h, 'c1').then((id) => {
        answered = true;
        return id;
      });
      await flushHeld;
      await rx.waitFor(2, 10_000);
      assert.equal(answered, false, 'the publisher is not answered before the sync');
      assert.equal(adopted.length, 1, 'the second delivery was handed over');
      release();
      await answer;
      assert.equal(rx.received.length, 2);
    } finally {
      await h.stop();
      await rx.close();
    }
  });
});
