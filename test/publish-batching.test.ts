import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DIALECTS, skipFor } from './helpers/databases.js';
import { startTestHerald } from './helpers/herald.js';
import { startReceiver } from './helpers/receiver.js';

/**
 * Publishes that arrive together share one transaction and are stored as one batch. Each must still get exactly
 * its own answer: its own message, its own trace context, and an idempotency key repeated across requests of
 * the same batch resolves to one message.
 */
for (const dialect of DIALECTS) {
  describe(`publishes stored together (${dialect})`, { skip: skipFor(dialect) }, () => {
    it('answer each request with its own events, keep each trace context, and honour keys repeated across them', async () => {
      // Traces on, so each message keeps the trace context of the request that published it.
      const collector = await startReceiver();
      const h = await startTestHerald(dialect, { OTEL_EXPORTER_OTLP_ENDPOINT: collector.url.replace(/\/hook$/, ''), OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json', OTEL_BSP_SCHEDULE_DELAY: '50' });
      const rx = await startReceiver();
      try {
        const ep = await h.api('POST', '/v1/endpoints', { name: 'one', url: rx.url, format: 'strigo' });
        assert.equal(ep.status, 201, ep.text);
        await h.api('POST', '/v1/subscriptions', { endpoint_id: ep.json.id, events: ['CLASS/*'] });
        const trace = (i: number) => `00-${String(i + 1).padStart(32, '0')}-${'1'.repeat(16)}-01`;
        const requests = Array.from({ length: 40 }, (_, i) => {
          const keyed = i % 2 === 1;
          const body = keyed
            ? { type: 'CLASS', action: 'DELETED', entity_ids: [`k${i}`], idempotency_key: 'same-order' }
            : { events: [{ type: 'CLASS', action: 'CREATED', entity_ids: [`a${i}`] }, { type: 'CLASS', action: 'CREATED', entity_ids: [`b${i}`] }] };
          return h.api('POST', '/v1/events', body, { traceparent: trace(i) });
        });
        const answers = await Promise.all(requests);
        for (const a of answers) assert.equal(a.status, 202, a.text);

        const keyedIds = new Set(answers.filter((_, i) => i % 2 === 1).map((a) => a.json.id as string));
        assert.equal(keyedIds.size, 1, 'every request with the key got the one message');
        const batches = answers.filter((_, i) => i % 2 === 0).map((a) => a.json.data as { id: string }[]);
        for (const b of batches) assert.equal(b.length, 2, 'a batch request is answered with its own two events');
        const plainIds = batches.flat().map((e) => e.id);
        assert.equal(new Set(plainIds).size, 40, 'no two requests share a message');

        const db = h.herald.ctx.store.db;
        for (let i = 0; i < 40; i += 2) {
          const rows = await db.selectFrom('messages').select(['id', 'traceparent', 'entity_ids']).where('id', 'in', batches[i / 2]!.map((e) => e.id)).orderBy('id').execute();
          assert.deepEqual(rows.map((r) => JSON.parse(r.entity_ids)[0]).sort(), [`a${i}`, `b${i}`]);
          // The publish's own span is a child of the request's: same trace id.
          for (const r of rows) assert.equal(r.traceparent?.split('-')[1], trace(i).split('-')[1], `request ${i}'s messages keep its trace`);
        }
        const [keyedMessage] = await db.selectFrom('messages').select(['entity_ids']).where('id', '=', [...keyedIds][0]!).execute();
        assert.equal(JSON.parse(keyedMessage!.entity_ids).length, 1, 'the keyed message is the first request\'s, not a merge');

        await rx.waitFor(41, 15_000);
        await new Promise((r) => setTimeout(r, 300));
        assert.equal(rx.received.length, 41, 'forty plain events and one keyed message, each sent once');
      } finally {
        await h.stop();
        await rx.close();
        await collector.close();
      }
    });
  });
}
