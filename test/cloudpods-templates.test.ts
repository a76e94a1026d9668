import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { describe, it } from 'node:test';
import { DIALECTS, skipFor } from './helpers/databases.js';
import { startTestHerald, until, type TestHerald } from './helpers/herald.js';
import { startReceiver, type Receiver } from './helpers/receiver.js';

const SECRET = 'template-robot-secret';

async function topicNamed(h: TestHerald, name: string): Promise<string> {
  const list = await h.api('GET', '/v1/topics?limit=500');
  const t = list.json.data.find((x: any) => x.name === name);
  assert.ok(t, `seeded topic ${name}`);
  return t.id;
}

async function templateRobot(h: TestHerald, r: Receiver, lang: 'en' | 'cn', topic: string): Promise<string> {
  const ep = await h.api('POST', '/v1/endpoints', { name: `robot ${lang}`, url: r.url, format: 'cloudpods', use_template: true, lang, secret: SECRET, body: { robot: 'ops' }, validate: false });
  assert.equal(ep.status, 201, ep.text);
  const sub = await h.api('POST', '/v1/subscriptions', { endpoint_id: ep.json.id, topics: [topic] });
  assert.equal(sub.status, 201, sub.text);
  return ep.json.id;
}

async function failedOf(h: TestHerald, endpointId: string) {
  return until(async () => {
    const list = await h.api('GET', `/v1/deliveries?status=failed&endpoint_id=${endpointId}`);
    return list.json.data.length > 0 ? list : null;
  }, 15_000, 'the delivery to fail');
}

for (const dialect of DIALECTS) {
  describe(`cloudpods templates on the wire (${dialect})`, { skip: skipFor(dialect) }, () => {
    it('sends the rendered text under Msg with the extra body, in English and in Chinese', async () => {
      const h = await startTestHerald(dialect);
      const en = await startReceiver();
      const cn = await startReceiver();
      try {
        const topic = await topicNamed(h, 'resource create or delete');
        await templateRobot(h, en, 'en', topic);
        await templateRobot(h, cn, 'cn', topic);
        const pub = await h.api('POST', '/v1/events', { type: 'server', action: 'create', data: { name: '测试-vm', project: 'demo' } });
        assert.equal(pub.json.deliveries, 2, pub.text);
        await en.waitFor(1);
        await cn.waitFor(1);
        const e = en.received[0]!;
        const c = cn.received[0]!;
        assert.ok(e.raw.equals(Buffer.from('{"Msg":"Your virtual machine 测试-vm in project demo has been created successfully","robot":"ops"}')), e.body);
        assert.ok(c.raw.equals(Buffer.from('{"Msg":"您的虚拟机 测试-vm （项目 demo）创建成功。","robot":"ops"}')), c.body);
        for (const got of [e, c]) {
          assert.equal(got.headers['x-yunion-event'], 'SERVER/CREATE');
          assert.equal(got.headers['x-auth-token'], createHmac('sha256', SECRET).update(got.raw).digest('hex'));
        }

        // A topic's own template replaces the common one; quotes in the text are escaped inside the JSON string.
        const edit = await h.api('PATCH', `/v1/topics/${topic}`, { content_en: '{{ .resource_type_display }} "{{ .resource_details.name }}" {{ .action_display }}, result={{ .result }}' });
        assert.equal(edit.status, 200, edit.text);
        await h.api('POST', '/v1/events', { type: 'disk', action: 'delete', data: { name: '数据盘' } });
        await en.waitFor(2);
        assert.equal(en.received[1]!.body, String.raw`{"Msg":"disk \"数据盘\" deleted, result=succeed","robot":"ops"}`);
        assert.equal(en.received[1]!.headers['x-yunion-event'], 'DISK/DELETE');
        assert.equal(en.received[1]!.headers['x-auth-token'], createHmac('sha256', SECRET).update(en.received[1]!.raw).digest('hex'));
      } finally {
        await en.close();
        await cn.close();
        await h.stop();
      }
    });

    it('refuses a broken template on save and keeps sending with the old one', async () => {
      const h = await startTestHerald(dialect);
      const r = await startReceiver();
      try {
        const topic = await topicNamed(h, 'resource create or delete');
        await templateRobot(h, r, 'en', topic);
        const res = await h.api('PATCH', `/v1/topics/${topic}`, { content_en: 'Your {{ .resource_type_display }}\n{{ if .result }}never closed' });
        assert.equal(res.status, 422, res.text);
        assert.equal(res.json.error.details[0].path, '/content_en');
        assert.match(res.json.error.details[0].message, /^template: \d+:\d+: .*/);
        await h.api('POST', '/v1/events', { type: 'server', action: 'delete', data: { name: 'vm-9' } });
        await r.waitFor(1);
        assert.equal(r.received[0]!.body, '{"Msg":"Your virtual machine vm-9 has been deleted successfully","robot":"ops"}');
      } finally {
        await r.close();
        await h.stop();
      }
    });

    it('fails a delivery whose template breaks at render time with error_class template, and lists it as failed', async () => {
      const h = await startTestHerald(dialect);
      const r = await startReceiver();
      try {
        const topic = await topicNamed(h, 'resource create or delete');
        const ep = await templateRobot(h, r, 'en', topic);
        const edit = await h.api('PATCH', `/v1/topics/${topic}`, { content_en: '{{ index .resource_details 5 }}' });
        assert.equal(edit.status, 200, 'it parses; only running it fails');
        await h.api('POST', '/v1/events', { type: 'server', action: 'create', data: { name: 'vm-1' } });

        const list = await failedOf(h, ep);
        const d = list.json.data[0];
        assert.equal(d.endpoint_id, ep);
        assert.equal(d.event, 'SERVER/CREATE');
        assert.equal(d.status, 'failed');
        assert.equal(d.attempt_count, 4);
        assert.equal(d.attempts.length, 4);
        assert.ok(d.attempts.every((a: any) => a.error_class === 'template' && a.status_code === null));
        assert.match(d.last_error, /^template: /);
        assert.match(d.last_error, /index/);
        assert.equal(r.received.length, 0, 'nothing was sent');
      } finally {
        await r.close();
        await h.stop();
      }
    });
  });

  describe(`cloudpods failure list (${dialect})`, { skip: skipFor(dialect) }, () => {
    it('says for each failed delivery which endpoint, which event, how many attempts and what the receiver answered, with secrets masked', async () => {
      const h = await startTestHerald(dialect);
      const r = await startReceiver(() => ({ status: 500, body: `upstream database unavailable ${'x'.repeat(400)}` }));
      try {
        const ep = await h.api('POST', '/v1/endpoints', { name: 'flaky', url: r.url, format: 'cloudpods', secret: SECRET, validate: false });
        assert.equal(ep.status, 201, ep.text);
        await h.api('POST', '/v1/subscriptions', { endpoint_id: ep.json.id, events: ['SERVER/START/FAILED'] });
        await h.api('POST', '/v1/events', { type: 'server', action: 'start', result: 'failed', data: { name: 'vm-3' } });

        const list = await failedOf(h, ep.json.id);
        const d = list.json.data[0];
        assert.equal(d.endpoint_id, ep.json.id);
        assert.equal(d.endpoint_name, 'flaky');
        assert.equal(d.event, 'SERVER/START/FAILED');
        assert.equal(d.attempt_count, 4);
        assert.equal(d.last_status_code, 500);
        assert.match(d.last_error, /^HTTP 500: upstream database unavailable x+$/);
        assert.ok(d.last_error.length < 260, 'only the start of the response');
        assert.ok(d.attempts.every((a: any) => a.status_code === 500 && a.error_class === 'http'));
        const tokens = r.received.map((x) => String(x.headers['x-auth-token']));
        for (const text of [list.text, (await h.api('GET', `/v1/deliveries/${d.id}`)).text]) {
          assert.ok(!text.includes(SECRET));
          for (const t of tokens) assert.ok(!text.includes(t));
        }
      } finally {
        await r.close();
        await h.stop();
      }
    });
  });
}
