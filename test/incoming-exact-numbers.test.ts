import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DIALECTS, skipFor } from './helpers/databases.js';
import { startTestHerald, TEST_TOKEN, type TestHerald } from './helpers/herald.js';
import { startReceiver } from './helpers/receiver.js';
import { openSse } from './helpers/sse.js';

const ENTITY = 'enr_exact';

// Written as text: JSON.stringify in the test would round these numbers before Herald saw them.
const report = (messageId: string, diskId: string) =>
  `{"source_message_id":"${messageId}","type":"RESOURCE","action":"CREATED","data":{"resources":[` +
  `{"id":"vm-1","type":"VM","status":"READY","config":{"size": 1.50, "disk_id": ${diskId}, "ids": [9007199254740993, -9223372036854775808]}}],` +
  `"interfaces":[{"type":"TERMINAL","resource_id":"vm-1","config":{"port":18446744073709551615}}]}}`;

/** A strigo endpoint that has been sent one message for ENTITY: its callback credentials and that message's id. */
async function delivered(h: TestHerald): Promise<{ auth: string; messageId: string; close: () => Promise<void> }> {
  const r = await startReceiver();
  const ep = await h.api('POST', '/v1/endpoints', { name: 'lab backend', url: r.url, format: 'strigo' });
  assert.equal(ep.status, 201, ep.text);
  const sub = await h.api('POST', '/v1/subscriptions', { endpoint_id: ep.json.id, events: ['ONDEMAND_ENROLLMENT/*'] });
  assert.equal(sub.status, 201, sub.text);
  const pub = await h.api('POST', '/v1/events', { type: 'ONDEMAND_ENROLLMENT', action: 'STARTED', entity_ids: [ENTITY] });
  assert.equal(pub.status, 202, pub.text);
  await r.waitFor(1);
  return { auth: `Bearer ${ep.json.callback.user}:${ep.json.callback.key}`, messageId: pub.json.id, close: () => r.close() };
}

for (const dialect of DIALECTS) {
  describe(`numbers a backend reports come back exact (${dialect})`, { skip: skipFor(dialect) }, () => {
    it('keeps 64-bit integers and number spellings of configs in GET /v1/entities/:id, its stream and the incoming log', async () => {
      const h = await startTestHerald(dialect);
      const backend = await delivered(h);
      try {
        const send = (body: string) => h.api('POST', '/v1/incoming', body, { authorization: backend.auth });
        const first = await send(report(backend.messageId, '1234567890123456789'));
        assert.equal(first.status, 200, first.text);
        assert.equal(first.json.outcome, 'applied');

        const entity = await h.api('GET', `/v1/entities/${ENTITY}`);
        assert.equal(entity.status, 200, entity.text);
        assert.ok(
          entity.text.includes('"config":{"disk_id":1234567890123456789,"ids":[9007199254740993,-9223372036854775808],"size":1.50}'),
          entity.text,
        );
        assert.ok(entity.text.includes('"config":{"port":18446744073709551615}'), entity.text);

        const watcher = await openSse(`${h.url}/v1/entities/${ENTITY}/stream?token=${TEST_TOKEN}`);
        await watcher.waitFor(1);
        assert.equal(watcher.events[0]!.data, entity.text, 'the stream replays the bytes GET shows');
        watcher.close();

        const log = await h.api('GET', '/v1/incoming?limit=10');
        assert.ok(log.json.data[0].body.includes('"disk_id":1234567890123456789'), log.json.data[0].body);

        // The console shows them as written too: the entity page and the incoming log's body.
        const login = await fetch(`${h.url}/login`, { method: 'POST', body: new URLSearchParams({ token: TEST_TOKEN }), redirect: 'manual' });
        const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0]!;
        const page = async (path: string) => (await fetch(h.url + path, { headers: { cookie } })).text();
        assert.ok((await page(`/entities/${ENTITY}`)).includes('1234567890123456789'), 'entity page');
        assert.ok((await page('/incoming')).includes('&quot;disk_id&quot;: 1234567890123456789'), 'incoming page');

        // The same body again is a duplicate; a different id that rounds to the same double is a new report.
        const again = await send(report(backend.messageId, '1234567890123456789'));
        assert.equal(again.json.outcome, 'unchanged', again.text);
        const other = await send(report(backend.messageId, '1234567890123456788'));
        assert.equal(other.json.outcome, 'applied', other.text);
        const after = await h.api('GET', `/v1/entities/${ENTITY}`);
        assert.ok(after.text.includes('"disk_id":1234567890123456788,'), after.text);

        // A refused body is logged as written too.
        const refused = await send(report(backend.messageId, '1234567890123456787').replace('"READY"', '"ASLEEP"'));
        assert.equal(refused.status, 422, refused.text);
        const logged = (await h.api('GET', '/v1/incoming?limit=1')).json.data[0];
        assert.equal(logged.outcome, 'refused');
        assert.ok(logged.body.includes('"disk_id":1234567890123456787'), logged.body);
      } finally {
        await backend.close();
        await h.stop();
      }
    });
  });
}
