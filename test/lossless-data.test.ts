import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DIALECTS, skipFor } from './helpers/databases.js';
import { startTestHerald, type TestHerald } from './helpers/herald.js';
import { startReceiver, type Receiver } from './helpers/receiver.js';

// Sent as text: JSON.stringify in the test would round these numbers before Herald ever saw them.
const DATA = '{"snowflake": 1234567890123456789, "nested": {"ids": [9007199254740993, -9223372036854775808]}, "f": 1.50, "e": 1E+2, "s": "\\u00e9\\/x"}';
const PUBLISHED = '{"snowflake":1234567890123456789,"nested":{"ids":[9007199254740993,-9223372036854775808]},"f":1.50,"e":1E+2,"s":"\\u00e9\\/x"}';

async function endpoint(h: TestHerald, format: string, r: Receiver): Promise<void> {
  const ep = await h.api('POST', '/v1/endpoints', { name: format, url: r.url, format, validate: false, ...(format === 'cloudpods' ? { secret: 'k' } : {}) });
  assert.equal(ep.status, 201, ep.text);
  const sub = await h.api('POST', '/v1/subscriptions', { endpoint_id: ep.json.id, events: ['ONDEMAND_COURSE/UPDATED'] });
  assert.equal(sub.status, 201, sub.text);
}

for (const dialect of DIALECTS) {
  describe(`published data arrives as published (${dialect})`, { skip: skipFor(dialect) }, () => {
    it('keeps 64-bit integers, number spellings, key order and escapes in every format', async () => {
      const h = await startTestHerald(dialect);
      const rs = { strigo: await startReceiver(), standard: await startReceiver(), cloudpods: await startReceiver() };
      try {
        for (const [format, r] of Object.entries(rs)) await endpoint(h, format, r);
        const one = await h.api('POST', '/v1/events', `{"type":"ONDEMAND_COURSE","action":"UPDATED","entity_ids":["c1"],"data": ${DATA}}`);
        assert.equal(one.status, 202, one.text);
        assert.equal(one.json.deliveries, 3, one.text);
        const batch = await h.api('POST', '/v1/events', `{"events":[{"type":"ONDEMAND_COURSE","action":"UPDATED","entity_ids":["c2"],"data":{"n":1}},{"type":"ONDEMAND_COURSE","action":"UPDATED","entity_ids":["c3"],"data":${DATA}}]}`);
        assert.equal(batch.status, 202, batch.text);
        await Promise.all(Object.values(rs).map((r) => r.waitFor(3)));

        const bodyFor = (r: Receiver, entity: string) => {
          const got = r.received.map((x) => x.raw.toString('utf8')).filter((b) => b.includes(`"${entity}"`) || b.includes(`\\"${entity}\\"`));
          assert.equal(got.length, 1, `one body for ${entity}: ${JSON.stringify(r.received.map((x) => x.body))}`);
          return got[0]!;
        };
        for (const entity of ['c1', 'c3']) {
          assert.ok(bodyFor(rs.strigo, entity).includes(`"context":${PUBLISHED},"callback":`), bodyFor(rs.strigo, entity));
          assert.ok(bodyFor(rs.standard, entity).includes(`"data":{"entity_ids":["${entity}"],${PUBLISHED.slice(1)}}`), bodyFor(rs.standard, entity));
        }
        // Cloudpods bodies are what jsonutils writes of the same data: keys sorted, integers of int64 exact,
        // other numbers in plain shortest decimal, strings re-escaped from their value.
        const details = '{"e":100,"f":1.5,"nested":{"ids":[9007199254740993,-9223372036854775808]},"s":"é/x","snowflake":1234567890123456789}';
        const cloudpods = rs.cloudpods.received.map((x) => x.raw.toString('utf8')).filter((b) => b.includes('"snowflake"'));
        assert.equal(cloudpods.length, 2);
        for (const body of cloudpods) {
          assert.ok(body.includes(`,"resource_details":${details},"resource_type":"ondemand_course"`), body);
          const msg = JSON.parse(body).Msg as string;
          assert.ok(msg.includes(`"resource_details":${details}`), msg);
        }
      } finally {
        await Promise.all(Object.values(rs).map((r) => r.close()));
        await h.stop();
      }
    });

    it('shows topic templates 64-bit integers exactly, typed as jsonutils types them (int64) or as Go does (int)', async () => {
      const h = await startTestHerald(dialect);
      const rs = { cloudpods: await startReceiver(), go: await startReceiver() };
      try {
        const template = '{{.resource_details.snowflake}} {{printf "%T" .resource_details.snowflake}} {{index .resource_details.nested.ids 1}} {{.resource_details.f}}';
        for (const [mode, r] of Object.entries(rs)) {
          const topic = await h.api('POST', '/v1/topics', { name: `ids ${mode}`, events: ['ONDEMAND_COURSE/UPDATED'], content_en: template, template_mode: mode });
          assert.equal(topic.status, 201, topic.text);
          const ep = await h.api('POST', '/v1/endpoints', { name: `robot ${mode}`, url: r.url, format: 'cloudpods', use_template: true, lang: 'en', secret: 'k', validate: false });
          assert.equal(ep.status, 201, ep.text);
          const sub = await h.api('POST', '/v1/subscriptions', { endpoint_id: ep.json.id, topics: [topic.json.id] });
          assert.equal(sub.status, 201, sub.text);
        }
        const pub = await h.api('POST', '/v1/events', `{"type":"ONDEMAND_COURSE","action":"UPDATED","entity_ids":["c1"],"data": ${DATA}}`);
        assert.equal(pub.status, 202, pub.text);
        assert.equal(pub.json.deliveries, 2, pub.text);
        await Promise.all(Object.values(rs).map((r) => r.waitFor(1)));
        assert.equal(rs.cloudpods.received[0]!.raw.toString('utf8'), '{"Msg":"1234567890123456789 int64 -9223372036854775808 1.5"}');
        assert.equal(rs.go.received[0]!.raw.toString('utf8'), '{"Msg":"1234567890123456789 int -9223372036854775808 1.5"}');
      } finally {
        await Promise.all(Object.values(rs).map((r) => r.close()));
        await h.stop();
      }
    });

    it("keeps the numbers of a cloudpods endpoint's extra body keys exact, in the VALIDATE call, every message and the API", async () => {
      const h = await startTestHerald(dialect);
      const r = await startReceiver();
      try {
        const created = await h.api('POST', '/v1/endpoints', `{"name":"robot","url":"${r.url}","format":"cloudpods","secret":"k","body":{"robot":{"id": 1234567890123456789, "w": 1.50}}}`);
        assert.equal(created.status, 201, created.text);
        assert.ok(created.text.includes('"body":{"robot":{"id":1234567890123456789,"w":1.50}}'), created.text);
        await r.waitFor(1);
        assert.equal(r.received[0]!.raw.toString('utf8'), '{"Msg":"This is a validate message.","robot":{"id":1234567890123456789,"w":1.5}}');
        const sub = await h.api('POST', '/v1/subscriptions', { endpoint_id: created.json.id, events: ['ONDEMAND_COURSE/UPDATED'] });
        assert.equal(sub.status, 201, sub.text);
        const pub = await h.api('POST', '/v1/events', { type: 'ONDEMAND_COURSE', action: 'UPDATED', entity_ids: ['c1'], data: { n: 1 } });
        assert.equal(pub.status, 202, pub.text);
        await r.waitFor(2);
        assert.ok(r.received[1]!.raw.toString('utf8').endsWith(',"result":"succeed","robot":{"id":1234567890123456789,"w":1.5}}'), r.received[1]!.body);

        const patched = await h.api('PATCH', `/v1/endpoints/${created.json.id}`, '{"body":{"robot":{"id":-9223372036854775808}}}');
        assert.equal(patched.status, 200, patched.text);
        const shown = await h.api('GET', `/v1/endpoints/${created.json.id}`);
        assert.ok(shown.text.includes('"body":{"robot":{"id":-9223372036854775808}}'), shown.text);
        const listed = await h.api('GET', '/v1/endpoints');
        assert.ok(listed.text.includes('"body":{"robot":{"id":-9223372036854775808}}'), listed.text);
      } finally {
        await r.close();
        await h.stop();
      }
    });

    it("previews a topic's templates with the sample event's 64-bit integers exact", async () => {
      const h = await startTestHerald(dialect);
      try {
        const topic = await h.api('POST', '/v1/topics', { name: 'ids', events: ['SERVER/CREATE'] });
        assert.equal(topic.status, 201, topic.text);
        const preview = await h.api(
          'POST',
          `/v1/topics/${topic.json.id}/preview`,
          `{"event":{"type":"server","action":"create","data": ${DATA}},"templates":{"content_en":"{{.resource_details.snowflake}} {{printf \\"%T\\" .resource_details.snowflake}} {{index .resource_details.nested.ids 0}}"}}`,
        );
        assert.equal(preview.status, 200, preview.text);
        assert.equal(preview.json.content, '1234567890123456789 int64 9007199254740993');
      } finally {
        await h.stop();
      }
    });

    it('coalesces events only when their numbers are spelled alike, not when they round alike', async () => {
      const h = await startTestHerald(dialect);
      const r = await startReceiver();
      try {
        await endpoint(h, 'strigo', r);
        const publish = (id: string, n: string) =>
          h.api('POST', '/v1/events', `{"type":"ONDEMAND_COURSE","action":"UPDATED","entity_ids":["${id}"],"coalesce_ms":300,"data":{"id":${n}}}`);
        const a = await publish('a', '9007199254740993');
        const b = await publish('b', '9007199254740992');
        const c = await publish('c', '9007199254740993');
        assert.equal(a.json.id, c.json.id, 'the same spelling joins the open window');
        assert.notEqual(a.json.id, b.json.id, 'a different integer is another message even though both round to one double');
        await r.waitFor(2);
        const bodies = r.received.map((x) => x.body).sort();
        assert.deepEqual(
          bodies.map((x) => /"entity_ids":(\[[^\]]*\]).*"context":(\{[^}]*\})/.exec(x)!.slice(1).join(' ')),
          ['["a","c"] {"id":9007199254740993}', '["b"] {"id":9007199254740992}'],
        );
      } finally {
        await r.close();
        await h.stop();
      }
    });
  });
}
