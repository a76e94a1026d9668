import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DIALECTS, skipFor } from './helpers/databases.js';
import { startTestHerald } from './helpers/herald.js';
import { startReceiver } from './helpers/receiver.js';

for (const dialect of DIALECTS) {
  describe(`coalescing and idempotency (${dialect})`, { skip: skipFor(dialect) }, () => {
    it('three EXPIRED events inside the window arrive as one message with three entity ids', async () => {
      const h = await startTestHerald(dialect);
      const r = await startReceiver();
      try {
        const ep = await h.api('POST', '/v1/endpoints', { name: 'lab', url: r.url, format: 'strigo' });
        await h.api('POST', '/v1/subscriptions', { endpoint_id: ep.json.id, events: ['ONDEMAND_ENROLLMENT/*'] });
        const ids: string[] = [];
        for (const e of ['enr_a', 'enr_b', 'enr_c']) {
          const p = await h.api('POST', '/v1/events', { type: 'ONDEMAND_ENROLLMENT', action: 'EXPIRED', entity_ids: [e], coalesce_ms: 800 });
          assert.equal(p.status, 202);
          ids.push(p.json.id);
        }
        assert.equal(new Set(ids).size, 1, 'all three joined one message');
        // A different action does not join the window.
        const other = await h.api('POST', '/v1/events', { type: 'ONDEMAND_ENROLLMENT', action: 'FINISHED', entity_ids: ['enr_d'], coalesce_ms: 800 });
        assert.notEqual(other.json.id, ids[0]);
        await r.waitFor(2);
        await new Promise((res) => setTimeout(res, 300));
        assert.equal(r.received.length, 2);
        const expired = r.received.map((x) => JSON.parse(x.body)).find((b) => b.status === 'EXPIRED');
        assert.deepEqual(expired.entity_ids, ['enr_a', 'enr_b', 'enr_c']);
        assert.equal(expired.message_id, ids[0]);
      } finally {
        await r.close();
        await h.stop();
      }
    });

    it('the same idempotency key returns the same message and sends once', async () => {
      const h = await startTestHerald(dialect);
      const r = await startReceiver();
      try {
        const ep = await h.api('POST', '/v1/endpoints', { name: 'lab', url: r.url, format: 'strigo' });
        await h.api('POST', '/v1/subscriptions', { endpoint_id: ep.json.id, events: ['*'] });
        const ev = { type: 'CLASS', action: 'CREATED', entity_ids: ['cls_1'], idempotency_key: 'order-42' };
        const a = await h.api('POST', '/v1/events', ev);
        const b = await h.api('POST', '/v1/events', ev);
        const batch = await h.api('POST', '/v1/events', { events: [ev, { ...ev, idempotency_key: 'order-43' }] });
        assert.equal(a.json.id, b.json.id);
        assert.equal(batch.status, 202);
        assert.equal(batch.json.data[0].id, a.json.id);
        assert.notEqual(batch.json.data[1].id, a.json.id);
        await r.waitFor(2);
        await new Promise((res) => setTimeout(res, 300));
        assert.equal(r.received.length, 2);
      } finally {
        await r.close();
        await h.stop();
      }
    });
  });
}
