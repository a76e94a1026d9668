import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DIALECTS, skipFor } from './helpers/databases.js';
import { startTestHerald, type TestHerald } from './helpers/herald.js';
import { startReceiver, type Receiver } from './helpers/receiver.js';

/**
 * An endpoint's and a topic's template mode: `cloudpods` (html/template named `template`, missing values
 * empty, data integers int64) is a cloudpods endpoint's default, `go` is plain text/template.
 */

// Shows the three things the modes disagree on: a missing value, integer typing and the name `content`.
const PROBE = '{{define "content"}}[{{ .resource_details.missing }}]{{ printf "%T" .resource_details.n }}{{end}}{{template "content" .}}';
const PROBE_GO = '[{{ .resource_details.missing }}]{{ printf "%T" .resource_details.n }} {{ .resource_details.id }}';

async function robot(h: TestHerald, r: Receiver, extra: Record<string, unknown> = {}) {
  const ep = await h.api('POST', '/v1/endpoints', { name: 'robot', url: r.url, format: 'cloudpods', use_template: true, validate: false, ...extra });
  assert.equal(ep.status, 201, ep.text);
  return ep.json;
}

for (const dialect of DIALECTS) {
  describe(`template mode (${dialect})`, { skip: skipFor(dialect) }, () => {
    it('is validated, stored and shown on endpoints and topics', async () => {
      const h = await startTestHerald(dialect);
      const r = await startReceiver();
      try {
        const bad = await h.api('POST', '/v1/endpoints', { name: 'x', url: r.url, format: 'cloudpods', validate: false, template_mode: 'jinja' });
        assert.equal(bad.status, 422, bad.text);
        const detail = bad.json.error.details.find((d: any) => d.path === '/template_mode');
        assert.ok(detail, bad.text);
        assert.equal(detail.message, 'must be one of cloudpods, go, null');
        assert.deepEqual(detail.allowed, ['cloudpods', 'go', 'null']);
        assert.equal((await h.api('GET', '/v1/endpoints')).json.data.length, 0, 'nothing stored');

        const strigo = await h.api('POST', '/v1/endpoints', { name: 's', url: r.url, format: 'strigo', template_mode: 'go' });
        assert.equal(strigo.status, 422, strigo.text);
        assert.equal(strigo.json.error.details[0].path, '/template_mode');
        assert.match(strigo.json.error.details[0].message, /cloudpods endpoints only/);

        const ep = await robot(h, r);
        assert.equal(ep.template_mode, 'cloudpods', 'the default of a cloudpods endpoint');
        const patched = await h.api('PATCH', `/v1/endpoints/${ep.id}`, { template_mode: 'go' });
        assert.equal(patched.status, 200, patched.text);
        assert.equal(patched.json.template_mode, 'go');
        assert.equal((await h.api('GET', `/v1/endpoints/${ep.id}`)).json.template_mode, 'go');
        const badPatch = await h.api('PATCH', `/v1/endpoints/${ep.id}`, { template_mode: 'Go' });
        assert.equal(badPatch.status, 422, badPatch.text);
        assert.equal((await h.api('GET', `/v1/endpoints/${ep.id}`)).json.template_mode, 'go', 'a refused patch changes nothing');

        const topic = await h.api('POST', '/v1/topics', { name: 'probe', events: ['SERVER/CREATE'], content_en: PROBE_GO, template_mode: 'go' });
        assert.equal(topic.status, 201, topic.text);
        assert.equal(topic.json.template_mode, 'go');
        assert.equal((await h.api('GET', `/v1/topics/${topic.json.id}`)).json.template_mode, 'go');
        const cleared = await h.api('PATCH', `/v1/topics/${topic.json.id}`, { template_mode: null });
        assert.equal(cleared.status, 200, cleared.text);
        assert.equal(cleared.json.template_mode, null, "null: the endpoint's mode");
        const badTopic = await h.api('PATCH', `/v1/topics/${topic.json.id}`, { template_mode: 'html' });
        assert.equal(badTopic.status, 422, badTopic.text);
        assert.ok(badTopic.json.error.details.some((d: any) => d.path === '/template_mode'), badTopic.text);

        // A template that defines "content" is fine under cloudpods (named template) and refused under go.
        const goDefine = await h.api('POST', '/v1/topics', { name: 'go define', events: ['SERVER/DELETE'], content_en: PROBE, template_mode: 'go' });
        assert.equal(goDefine.status, 422, goDefine.text);
        assert.match(goDefine.json.error.details[0].message, /multiple definition of template "content"/);
        const cpDefine = await h.api('POST', '/v1/topics', { name: 'cloudpods define', events: ['SERVER/DELETE'], content_en: PROBE });
        assert.equal(cpDefine.status, 201, cpDefine.text);
      } finally {
        await r.close();
        await h.stop();
      }
    });

    it('renders with the semantics it names, a topic\'s own mode before the endpoint\'s', async () => {
      const h = await startTestHerald(dialect);
      const cp = await startReceiver();
      const go = await startReceiver();
      try {
        const cpTopic = await h.api('POST', '/v1/topics', { name: 'cloudpods probe', events: ['SERVER/CREATE'], content_en: PROBE });
        assert.equal(cpTopic.status, 201, cpTopic.text);
        const goTopic = await h.api('POST', '/v1/topics', { name: 'go probe', events: ['SERVER/CREATE'], content_en: PROBE_GO, template_mode: 'go' });
        assert.equal(goTopic.status, 201, goTopic.text);
        const cpEp = await robot(h, cp);
        // The endpoint says cloudpods, the topic says go: the topic's own mode wins for its templates.
        const goEp = await robot(h, go);
        for (const [ep, t] of [[cpEp, cpTopic], [goEp, goTopic]] as const) {
          const sub = await h.api('POST', '/v1/subscriptions', { endpoint_id: ep.id, topics: [t.json.id] });
          assert.equal(sub.status, 201, sub.text);
        }
        const pub = await h.api('POST', '/v1/events', { type: 'server', action: 'create', data: { n: 5, id: 42 } });
        assert.equal(pub.status, 202, pub.text);
        await cp.waitFor(1);
        await go.waitFor(1);
        assert.equal(cp.received[0]!.body, '{"Msg":"[]int64"}');
        assert.equal(go.received[0]!.body, '{"Msg":"[<no value>]int 42"}');
      } finally {
        await cp.close();
        await go.close();
        await h.stop();
      }
    });

    it('previews in the topic mode or the one asked for', async () => {
      const h = await startTestHerald(dialect);
      try {
        const t = await h.api('POST', '/v1/topics', { name: 'preview probe', events: ['SERVER/CREATE'], content_en: PROBE_GO });
        const event = { type: 'server', action: 'create', data: { n: 1, id: 7 } };
        const cp = await h.api('POST', `/v1/topics/${t.json.id}/preview`, { event });
        assert.equal(cp.status, 200, cp.text);
        assert.equal(cp.json.template_mode, 'cloudpods');
        assert.equal(cp.json.content, '[]int64 7');
        const go = await h.api('POST', `/v1/topics/${t.json.id}/preview`, { event, template_mode: 'go' });
        assert.equal(go.status, 200, go.text);
        assert.equal(go.json.content, '[<no value>]int 7');
        const bad = await h.api('POST', `/v1/topics/${t.json.id}/preview`, { event, template_mode: 'text' });
        assert.equal(bad.status, 422, bad.text);
      } finally {
        await h.stop();
      }
    });
  });
}
