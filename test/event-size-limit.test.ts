import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadConfig } from '../src/config.js';
import { DIALECTS, skipFor } from './helpers/databases.js';
import { startTestHerald } from './helpers/herald.js';
import { startReceiver } from './helpers/receiver.js';

/** `data` whose JSON text is exactly `bytes` bytes long. */
function dataOf(bytes: number, char = 'x'): Record<string, string> {
  const overhead = JSON.stringify({ blob: '' }).length;
  return { blob: char.repeat(bytes - overhead) };
}

describe('HERALD_MAX_EVENT_BYTES', () => {
  it('defaults to 256 KiB, takes bytes, KiB or MiB, and names itself when wrong', () => {
    assert.equal(loadConfig({}).maxEventBytes, 256 * 1024);
    assert.equal(loadConfig({ HERALD_MAX_EVENT_BYTES: '1000' }).maxEventBytes, 1000);
    assert.equal(loadConfig({ HERALD_MAX_EVENT_BYTES: '64KiB' }).maxEventBytes, 64 * 1024);
    assert.equal(loadConfig({ HERALD_MAX_EVENT_BYTES: '2MiB' }).maxEventBytes, 2 * 1024 * 1024);
    for (const bad of ['lots', '-1', '1.5KiB', '64KB', '32MiB']) {
      assert.throws(() => loadConfig({ HERALD_MAX_EVENT_BYTES: bad }), /^ConfigError: HERALD_MAX_EVENT_BYTES: must be a size/, bad);
    }
  });
});

for (const dialect of DIALECTS) {
  describe(`the per-event data limit (${dialect})`, { skip: skipFor(dialect) }, () => {
    it('refuses an event whose data is over the default 256 KiB with a 413 naming the limit and the variable; at the limit it is delivered', async () => {
      const h = await startTestHerald(dialect);
      const r = await startReceiver();
      try {
        const ep = await h.api('POST', '/v1/endpoints', { name: 'lab', url: r.url, format: 'strigo' });
        await h.api('POST', '/v1/subscriptions', { endpoint_id: ep.json.id, events: ['*'] });
        const limit = 256 * 1024;
        const over = await h.api('POST', '/v1/events', { type: 'CLASS', action: 'CREATED', entity_ids: ['cls_big'], data: dataOf(limit + 1) });
        assert.equal(over.status, 413);
        assert.equal(over.json.error.code, 'payload_too_large');
        assert.equal(over.json.error.message, `/data: is ${limit + 1} bytes of JSON, over the limit of ${limit} bytes (HERALD_MAX_EVENT_BYTES)`);
        assert.deepEqual(over.json.error.details.map((d: any) => d.path), ['/data']);

        const at = await h.api('POST', '/v1/events', { type: 'CLASS', action: 'CREATED', entity_ids: ['cls_ok'], data: dataOf(limit) });
        assert.equal(at.status, 202);
        await r.waitFor(1);
        await new Promise((res) => setTimeout(res, 300));
        assert.equal(r.received.length, 1, 'only the event within the limit was stored and sent');
        const body = JSON.parse(r.received[0]!.body);
        assert.deepEqual(body.entity_ids, ['cls_ok']);
        assert.equal(body.context.blob.length, dataOf(limit).blob!.length);
      } finally {
        await r.close();
        await h.stop();
      }
    });

    it('counts bytes, not characters, and in a batch names every event over it and stores none of the batch', async () => {
      const h = await startTestHerald(dialect, { HERALD_MAX_EVENT_BYTES: '1KiB' });
      const r = await startReceiver();
      try {
        const ep = await h.api('POST', '/v1/endpoints', { name: 'lab', url: r.url, format: 'strigo' });
        await h.api('POST', '/v1/subscriptions', { endpoint_id: ep.json.id, events: ['*'] });
        // 400 characters of 3 bytes each: 1,200 bytes in UTF-8.
        const wide = { text: '\u20ac'.repeat(400) };
        const res = await h.api('POST', '/v1/events', {
          events: [
            { type: 'CLASS', action: 'CREATED', entity_ids: ['cls_0'] },
            { type: 'CLASS', action: 'CREATED', entity_ids: ['cls_1'], data: wide },
            { type: 'CLASS', action: 'CREATED', entity_ids: ['cls_2'], data: dataOf(1024) },
            { type: 'CLASS', action: 'CREATED', entity_ids: ['cls_3'], data: dataOf(2000) },
          ],
        });
        assert.equal(res.status, 413);
        assert.equal(res.json.error.message, '2 events have data over the limit of 1024 bytes (HERALD_MAX_EVENT_BYTES)');
        assert.deepEqual(res.json.error.details, [
          { path: '/events/1/data', message: `is ${Buffer.byteLength(JSON.stringify(wide))} bytes of JSON, over the limit of 1024 bytes (HERALD_MAX_EVENT_BYTES)` },
          { path: '/events/3/data', message: 'is 2000 bytes of JSON, over the limit of 1024 bytes (HERALD_MAX_EVENT_BYTES)' },
        ]);
        const log = await h.api('GET', '/v1/deliveries');
        assert.deepEqual(log.json.data, [], 'nothing of the refused batch was stored');

        const ok = await h.api('POST', '/v1/events', { events: [{ type: 'CLASS', action: 'CREATED', entity_ids: ['cls_4'], data: dataOf(1024) }] });
        assert.equal(ok.status, 202);
        await r.waitFor(1);
        await new Promise((res) => setTimeout(res, 300));
        assert.deepEqual(r.received.map((x) => JSON.parse(x.body).entity_ids[0]), ['cls_4']);
      } finally {
        await r.close();
        await h.stop();
      }
    });
  });
}
