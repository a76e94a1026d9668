import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { makeRetention, PRUNED_REQUEST } from '../src/delivery/retention.js';
import { DIALECTS, skipFor } from './helpers/databases.js';
import { startTestHerald, until, type TestHerald } from './helpers/herald.js';
import { startReceiver } from './helpers/receiver.js';

const NOTHING = { attemptsPruned: 0, messagesDeleted: 0, incomingDeleted: 0, entityChangesDeleted: 0, idempotencyDeleted: 0 };

async function rowCount(h: TestHerald, table: 'incoming' | 'entity_changes' | 'idempotency'): Promise<number> {
  const db = h.herald.ctx.store.db;
  return Number((await db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
}

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
        assert.deepEqual(pendingMsg.deliveries.map((d: any) => d.status).sort(), ['retrying', 'succeeded']);

        await until(async () => (await counts(h)).messages === 1, 15_000, 'finished messages to be deleted');
        for (const id of finished) assert.equal((await h.api('GET', `/v1/messages/${id}`)).status, 404);

        const kept = await h.api('GET', `/v1/messages/${pending}`);
        assert.equal(kept.status, 200, 'a message with a pending delivery is kept');
        assert.equal(kept.json.deliveries.length, 2, 'with all its deliveries');
        const pruned = await until(async () => {
          const d = await h.api('GET', `/v1/deliveries/${kept.json.deliveries.find((x: any) => x.status === 'retrying').id}`);
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
        const batches: string[] = [];
        const retention = makeRetention({ ctx, batch: 2, pauseMs: 1, onBatch: (table, n) => batches.push(`${table}:${n}`) });
        const result = await retention.run();
        assert.deepEqual(result, { ...NOTHING, attemptsPruned: 7, messagesDeleted: 7 });
        assert.deepEqual(batches, ['attempts:2', 'attempts:2', 'attempts:2', 'attempts:1', 'messages:2', 'messages:2', 'messages:2', 'messages:1']);
        assert.deepEqual(await counts(h), { messages: 0, deliveries: 0, attempts: 0 });
        assert.deepEqual(await retention.run(), NOTHING, 'a second pass finds nothing');
      } finally {
        await r.close();
        await h.stop();
      }
    });

    it('deletes old incoming rows, entity changes but the latest of each entity, and expired idempotency keys, in batches', async () => {
      const h = await startTestHerald(dialect);
      const r = await startReceiver();
      try {
        const ep = await h.api('POST', '/v1/endpoints', { name: 'backend', url: r.url, format: 'strigo' });
        await h.api('POST', '/v1/subscriptions', { endpoint_id: ep.json.id, events: ['ONDEMAND_ENROLLMENT/*'] });
        const events = Array.from({ length: 5 }, (_, i) => ({ type: 'ONDEMAND_ENROLLMENT', action: 'STARTED', entity_ids: ['enr-1', 'enr-2'], idempotency_key: `key-${i}` }));
        const published = await h.api('POST', '/v1/events', { events });
        assert.equal(published.status, 202, published.text);
        const source: string = published.json.data[0].id;
        await r.waitFor(5);
        await until(async () => (await h.api('GET', `/v1/deliveries?endpoint_id=${ep.json.id}&status=succeeded`)).json.data.length === 5);

        const callback = (status: string, auth = `Bearer ${ep.json.callback.user}:${ep.json.callback.key}`) =>
          fetch(`${h.url}/v1/incoming`, {
            method: 'POST',
            headers: { authorization: auth, 'content-type': 'application/json' },
            body: JSON.stringify({ source_message_id: source, type: 'RESOURCE', action: 'CREATED', data: { resources: [{ id: 'vm1', type: 'VM', status }] } }),
          });
        for (const status of ['STARTING', 'PREPARING', 'READY']) assert.equal((await callback(status)).status, 200);
        for (let i = 0; i < 3; i++) assert.equal((await callback('READY', 'Bearer cb_stranger:nope')).status, 401);
        assert.equal((await callback('NOT_A_STATUS')).status, 422);
        assert.equal(await rowCount(h, 'incoming'), 7);
        assert.equal(await rowCount(h, 'entity_changes'), 6, 'three changes of each of two entities');
        assert.equal(await rowCount(h, 'idempotency'), 5);
        const before = (await h.api('GET', '/v1/entities/enr-1')).json;

        // A day and more later, with a retention of nothing: everything is old, every idempotency window over.
        const later = Date.now() + 25 * 3600_000;
        const ctx = { ...h.herald.ctx, config: { ...h.herald.ctx.config, retentionMs: 0 }, now: () => later };
        const batches: string[] = [];
        const retention = makeRetention({ ctx, batch: 2, pauseMs: 1, onBatch: (table, n) => batches.push(`${table}:${n}`) });
        assert.deepEqual(await retention.run(), { attemptsPruned: 5, messagesDeleted: 5, incomingDeleted: 7, entityChangesDeleted: 4, idempotencyDeleted: 5 });
        assert.deepEqual(batches, [
          'attempts:2', 'attempts:2', 'attempts:1',
          'messages:2', 'messages:2', 'messages:1',
          'incoming:2', 'incoming:2', 'incoming:2', 'incoming:1',
          'entity_changes:2', 'entity_changes:2',
          'idempotency:2', 'idempotency:2', 'idempotency:1',
        ]);
        assert.equal(await rowCount(h, 'incoming'), 0);
        assert.equal(await rowCount(h, 'idempotency'), 0);
        assert.equal(await rowCount(h, 'entity_changes'), 2, 'the latest change of each entity stays');
        assert.deepEqual((await h.api('GET', '/v1/entities/enr-1')).json, before, 'the entity reads as before');
        assert.deepEqual(await retention.run(), NOTHING, 'a second pass finds nothing');
      } finally {
        await r.close();
        await h.stop();
      }
    });
  });
}
