import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { makeRetention, PRUNED_REQUEST } from '../src/delivery/retention.js';
import { DIALECTS, skipFor } from './helpers/databases.js';
import { startTestHerald, until, type TestHerald } from './helpers/herald.js';
import { startReceiver } from './helpers/receiver.js';

async function counts(h: TestHerald) {
  const db = h.herald.ctx.store.db;
  const n = async (table: 'messages' | 'deliveries' | 'attempts') =>
    Number((await db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
  return { messages: await n('messages'), deliveries: await n('deliveries'), attempts: await n('attempts') };
}

for (const dialect of DIALECTS) {
  describe(`retention (${dialect})`, { skip: skipFor(dialect) }, () => {
    it('the worker prunes old attempt bodies and deletes finished messages; pending and recent ones stay', async () => {
      const h = await startTestHerald(dialect, { HERALD_RETENTION: '2s', HERALD_RETRY_SCHEDULE: '1h' });
      const ok = await startReceiver(() => ({ status: 200, body: 'thanks' }));
      const broken = await startReceiver(() => ({ status: 500, body: 'broken' }));
      try {
        const a = await h.api('POST', '/v1/endpoints', { name: 'ok', url: ok.url, format: 'strigo' });
        const b = await h.api('POST', '/v1/endpoints', { name: 'broken', url: broken.url, format: 'strigo' });
        await h.api('POST', '/v1/subscriptions', { endpoint_id: a.json.id, events: ['CLASS/*'] });
        await h.api('POST', '/v1/subscriptions', { endpoint_id: b.json.id, events: ['CLASS/UPDATED'] });
        const finished = [];
        for (let i = 0; i < 3; i++) finished.push((await h.api('POST', '/v1/events', { type: 'CLASS', action: 'CREATED' })).json.id);
        const pending = (await h.api('POST', '/v1/events', { type: 'CLASS', action: 'UPDATED' })).json.id;
        await ok.waitFor(4);
        await broken.waitFor(1);
        const pendingMsg = await until(async () => {
          const m = await h.api('GET', `/v1/messages/${pending}`);
          return m.json.deliveries.every((d: any) => d.attempt_count === 1) ? m.json : null;
        });
        assert.deepEqual(pendingMsg.deliveries.map((d: any) => d.status).sort(), ['pending', 'succeeded']);

        await until(async () => (await counts(h)).messages === 1, 15_000, 'finished messages to be deleted');
        for (const id of finished) assert.equal((await h.api('GET', `/v1/messages/${id}`)).status, 404);

        const kept = await h.api('GET', `/v1/messages/${pending}`);
        assert.equal(kept.status, 200, 'a message with a pending delivery is kept');
        assert.equal(kept.json.deliveries.length, 2, 'with all its deliveries');
        const pruned = await until(async () => {
          const d = await h.api('GET', `/v1/deliveries/${kept.json.deliveries.find((x: any) => x.status === 'pending').id}`);
          return d.json.attempts[0].response_body === null ? d.json : null;
        });
        assert.deepEqual(pruned.attempts[0].request, JSON.parse(PRUNED_REQUEST));
        assert.equal(pruned.attempts[0].status_code, 500, 'the outcome of the attempt stays');
        assert.deepEqual(await counts(h), { messages: 1, deliveries: 2, attempts: 2 });

        const fresh = (await h.api('POST', '/v1/events', { type: 'CLASS', action: 'CREATED' })).json.id;
        await ok.waitFor(5);
        const recent = await until(async () => {
          const m = await h.api('GET', `/v1/messages/${fresh}`);
          return m.json.deliveries[0]?.status === 'succeeded' ? m.json : null;
        });
        const full = await h.api('GET', `/v1/deliveries/${recent.deliveries[0].id}`);
        assert.equal(full.json.attempts[0].response_body, 'thanks', 'recent attempts keep their bodies');
      } finally {
        await ok.close();
        await broken.close();
        await h.stop();
      }
    });

    it('works through a backlog in small batches', async () => {
      const h = await startTestHerald(dialect);
      const r = await startReceiver();
      try {
        const ep = await h.api('POST', '/v1/endpoints', { name: 'ok', url: r.url, format: 'strigo' });
        await h.api('POST', '/v1/subscriptions', { endpoint_id: ep.json.id, events: ['CLASS/*'] });
        await h.api('POST', '/v1/events', { events: Array.from({ length: 7 }, () => ({ type: 'CLASS', action: 'CREATED' })) });
        await r.waitFor(7);
        await until(async () => {
          const list = await h.api('GET', `/v1/deliveries?endpoint_id=${ep.json.id}&status=succeeded`);
          return list.json.data.length === 7;
        });
        // This instance sees everything as old; the worker's own job keeps the default 30 days.
        const ctx = { ...h.herald.ctx, config: { ...h.herald.ctx.config, retentionMs: 0 }, now: () => Date.now() + 1000 };
        const retention = makeRetention({ ctx, batch: 2, pauseMs: 1 });
        const result = await retention.run();
        assert.deepEqual(result, { attemptsPruned: 7, messagesDeleted: 7 });
        assert.deepEqual(await counts(h), { messages: 0, deliveries: 0, attempts: 0 });
        assert.deepEqual(await retention.run(), { attemptsPruned: 0, messagesDeleted: 0 }, 'a second pass finds nothing');
      } finally {
        await r.close();
        await h.stop();
      }
    });
  });
}
