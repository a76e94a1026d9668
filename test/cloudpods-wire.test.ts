import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { describe, it } from 'node:test';
import { DIALECTS, skipFor } from './helpers/databases.js';
import { startTestHerald, until, type TestHerald } from './helpers/herald.js';
import { startReceiver, type Received } from './helpers/receiver.js';

const SECRET = 'robot-signing-secret';

/** The header names exactly as they came over the wire (Node lower-cases `headers`). */
function wireNames(r: Received): string[] {
  return r.rawHeaders.filter((_v, i) => i % 2 === 0);
}

function recomputedToken(r: Received): string {
  return createHmac('sha256', SECRET).update(r.raw).digest('hex');
}

async function endpointCount(h: TestHerald): Promise<number> {
  return (await h.api('GET', '/v1/endpoints?limit=500')).json.data.length;
}

/** A loopback port nothing listens on: bind, note the port, close. */
async function closedPortUrl(): Promise<string> {
  const srv = createServer();
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
  const port = (srv.address() as AddressInfo).port;
  await new Promise<void>((resolve) => srv.close(() => resolve()));
  return `http://127.0.0.1:${port}/hook`;
}

for (const dialect of DIALECTS) {
  describe(`cloudpods wire format (${dialect})`, { skip: skipFor(dialect) }, () => {
    it('sends the sorted compact body with the message under Msg, the robot headers and an X-Auth-Token over the exact bytes', async () => {
      const h = await startTestHerald(dialect);
      const r = await startReceiver();
      try {
        const ep = await h.api('POST', '/v1/endpoints', {
          name: 'ops robot',
          url: r.url,
          format: 'cloudpods',
          secret: SECRET,
          headers: { test: 'test' },
          body: { body_test: 'test' },
        });
        assert.equal(ep.status, 201, ep.text);
        assert.equal(r.received.length, 1, 'the validation call came first');
        const sub = await h.api('POST', '/v1/subscriptions', { endpoint_id: ep.json.id, events: ['SERVER/*'] });
        assert.equal(sub.status, 201, sub.text);

        const data = { zeta: 1, name: '测试-vm', alpha: { b: 2, a: 'x' }, tags: ['é', 'ü'] };
        const pub = await h.api('POST', '/v1/events', { type: 'server', action: 'create', data });
        assert.equal(pub.status, 202, pub.text);
        await r.waitFor(2);
        const got = r.received[1]!;

        const expected = String.raw`{"Msg":"{\"action\":\"create\",\"resource_details\":{\"alpha\":{\"a\":\"x\",\"b\":2},\"name\":\"测试-vm\",\"tags\":[\"é\",\"ü\"],\"zeta\":1},\"resource_type\":\"server\",\"result\":\"succeed\"}","action":"create","body_test":"test","resource_details":{"alpha":{"a":"x","b":2},"name":"测试-vm","tags":["é","ü"],"zeta":1},"resource_type":"server","result":"succeed"}`;
        assert.ok(got.raw.equals(Buffer.from(expected, 'utf8')), `body bytes:\n${got.body}\nexpected:\n${expected}`);

        assert.equal(got.method, 'POST');
        assert.equal(got.headers['x-yunion-event'], 'SERVER/CREATE');
        assert.equal(got.headers['user-agent'], 'yunioncloud-go/201708');
        assert.equal(got.headers['accept'], '*/*');
        assert.equal(got.headers['content-type'], 'application/json');
        assert.match(String(got.headers['x-request-id']), /^[0-9a-f]{6,}$/);
        assert.equal(got.headers['test'], 'test');
        assert.ok(wireNames(got).includes('Test'), `extra header canonicalised: ${wireNames(got).join(', ')}`);
        assert.ok(!wireNames(got).includes('test'));
        assert.equal(got.headers['x-auth-token'], recomputedToken(got));

        const failed = await h.api('POST', '/v1/events', { type: 'server', action: 'start', result: 'failed', data: { name: '测试-vm' } });
        assert.equal(failed.status, 202, failed.text);
        await r.waitFor(3);
        const f = r.received[2]!;
        assert.equal(f.headers['x-yunion-event'], 'SERVER/START/FAILED');
        const expectedFailed = String.raw`{"Msg":"{\"action\":\"start\",\"resource_details\":{\"name\":\"测试-vm\"},\"resource_type\":\"server\",\"result\":\"failed\"}","action":"start","body_test":"test","resource_details":{"name":"测试-vm"},"resource_type":"server","result":"failed"}`;
        assert.equal(f.body, expectedFailed);
        assert.equal(f.headers['x-auth-token'], recomputedToken(f));
        assert.notEqual(f.headers['x-request-id'], got.headers['x-request-id']);

        // The attempt log keeps the request, with the token masked.
        const d = await until(async () => {
          const list = await h.api('GET', `/v1/deliveries?endpoint_id=${ep.json.id}&status=succeeded`);
          return list.json.data.length === 2 ? list.json.data : null;
        });
        const full = await h.api('GET', `/v1/deliveries/${d[1].id}`);
        assert.equal(full.json.attempts[0].request.headers['X-Auth-Token'], '****');
        assert.ok(!full.text.includes(SECRET));
        assert.ok(!full.text.includes(String(got.headers['x-auth-token'])));
      } finally {
        await r.close();
        await h.stop();
      }
    });

    it('uses a custom msg_key and sends no X-Auth-Token without a secret', async () => {
      const h = await startTestHerald(dialect);
      const r = await startReceiver();
      try {
        const ep = await h.api('POST', '/v1/endpoints', { name: 'plain', url: r.url, format: 'cloudpods', msg_key: 'text', validate: false });
        assert.equal(ep.status, 201, ep.text);
        await h.api('POST', '/v1/subscriptions', { endpoint_id: ep.json.id, events: ['HOST/UPDATE'] });
        await h.api('POST', '/v1/events', { type: 'HOST', action: 'UPDATE', data: { name: 'yunion', mem_size: 11957 } });
        await r.waitFor(1);
        const got = r.received[0]!;
        assert.equal(got.headers['x-yunion-event'], 'HOST/UPDATE');
        assert.equal(
          got.body,
          String.raw`{"action":"update","resource_details":{"mem_size":11957,"name":"yunion"},"resource_type":"host","result":"succeed","text":"{\"action\":\"update\",\"resource_details\":{\"mem_size\":11957,\"name\":\"yunion\"},\"resource_type\":\"host\",\"result\":\"succeed\"}"}`,
        );
        assert.equal(got.headers['x-auth-token'], undefined);
      } finally {
        await r.close();
        await h.stop();
      }
    });
  });

  describe(`cloudpods validation call (${dialect})`, { skip: skipFor(dialect) }, () => {
    it('creates the endpoint when the URL answers 200 to VALIDATE, sent byte for byte with the extra body', async () => {
      const h = await startTestHerald(dialect);
      const r = await startReceiver();
      try {
        const ep = await h.api('POST', '/v1/endpoints', { name: 'v', url: r.url, format: 'cloudpods', secret: SECRET, body: { zone: 'eu', a_first: 1 } });
        assert.equal(ep.status, 201, ep.text);
        assert.equal(r.received.length, 1);
        const v = r.received[0]!;
        assert.equal(v.headers['x-yunion-event'], 'VALIDATE');
        assert.equal(v.headers['user-agent'], 'yunioncloud-go/201708');
        assert.equal(v.headers['content-type'], 'application/json');
        assert.equal(v.body, '{"Msg":"This is a validate message.","a_first":1,"zone":"eu"}');
        assert.equal(v.headers['x-auth-token'], recomputedToken(v));

        const bare = await startReceiver();
        try {
          const ep2 = await h.api('POST', '/v1/endpoints', { name: 'v2', url: bare.url, format: 'cloudpods' });
          assert.equal(ep2.status, 201, ep2.text);
          assert.ok(bare.received[0]!.raw.equals(Buffer.from('{"Msg":"This is a validate message."}')));
        } finally {
          await bare.close();
        }
      } finally {
        await r.close();
        await h.stop();
      }
    });

    it('refuses with 422 saying what the URL answered, and stores nothing, on a 500 or a refused connection', async () => {
      const h = await startTestHerald(dialect);
      const r = await startReceiver(() => ({ status: 500, body: 'robot is down for maintenance' }));
      try {
        const before = await endpointCount(h);
        const res = await h.api('POST', '/v1/endpoints', { name: 'down', url: r.url, format: 'cloudpods' });
        assert.equal(res.status, 422, res.text);
        assert.equal(res.json.error.details[0].path, '/url');
        assert.match(res.json.error.message, /HTTP 500/);
        assert.match(res.json.error.message, /robot is down for maintenance/);
        assert.equal(r.received.length, 1);
        assert.equal(await endpointCount(h), before, 'nothing stored');

        const refused = await h.api('POST', '/v1/endpoints', { name: 'nobody', url: await closedPortUrl(), format: 'cloudpods' });
        assert.equal(refused.status, 422, refused.text);
        assert.match(refused.json.error.message, /validation call/);
        assert.match(refused.json.error.message, /refused|ECONNREFUSED|connect/i);
        assert.equal(await endpointCount(h), before);

        const skipped = await h.api('POST', '/v1/endpoints', { name: 'skip', url: r.url, format: 'cloudpods', validate: false });
        assert.equal(skipped.status, 201, skipped.text);
        assert.equal(r.received.length, 1, 'validate: false sends nothing');
      } finally {
        await r.close();
        await h.stop();
      }
    });

    it('validates again when the URL changes, and only then', async () => {
      const h = await startTestHerald(dialect);
      const good = await startReceiver();
      const bad = await startReceiver(() => ({ status: 503, body: 'nope' }));
      const next = await startReceiver();
      try {
        const ep = await h.api('POST', '/v1/endpoints', { name: 'mover', url: good.url, format: 'cloudpods' });
        assert.equal(ep.status, 201, ep.text);
        const renamed = await h.api('PATCH', `/v1/endpoints/${ep.json.id}`, { name: 'mover 2' });
        assert.equal(renamed.status, 200, renamed.text);
        assert.equal(good.received.length, 1, 'no URL change, no validation');

        const refused = await h.api('PATCH', `/v1/endpoints/${ep.json.id}`, { url: bad.url });
        assert.equal(refused.status, 422, refused.text);
        assert.match(refused.json.error.message, /HTTP 503/);
        assert.equal(bad.received[0]!.headers['x-yunion-event'], 'VALIDATE');
        assert.equal((await h.api('GET', `/v1/endpoints/${ep.json.id}`)).json.url, good.url, 'the URL did not change');

        const moved = await h.api('PATCH', `/v1/endpoints/${ep.json.id}`, { url: next.url });
        assert.equal(moved.status, 200, moved.text);
        assert.equal(next.received.length, 1);
        assert.equal(next.received[0]!.headers['x-yunion-event'], 'VALIDATE');

        const unchecked = await h.api('PATCH', `/v1/endpoints/${ep.json.id}`, { url: bad.url, validate: false });
        assert.equal(unchecked.status, 200, unchecked.text);
        assert.equal(bad.received.length, 1);
      } finally {
        await good.close();
        await bad.close();
        await next.close();
        await h.stop();
      }
    });

    it('refuses extra body keys that would overwrite the message, and headers Herald sets', async () => {
      const h = await startTestHerald(dialect);
      const r = await startReceiver();
      try {
        const before = await endpointCount(h);
        for (const key of ['Msg', 'action', 'resource_type', 'resource_details', 'result']) {
          const res = await h.api('POST', '/v1/endpoints', { name: 'x', url: r.url, format: 'cloudpods', body: { [key]: 'oops' } });
          assert.equal(res.status, 422, `${key}: ${res.text}`);
          assert.ok(res.json.error.details.some((p: any) => p.path === `/body/${key}`), res.text);
        }
        const custom = await h.api('POST', '/v1/endpoints', { name: 'x', url: r.url, format: 'cloudpods', msg_key: 'text', body: { text: 'oops' } });
        assert.equal(custom.status, 422);
        assert.ok(custom.json.error.details.some((p: any) => p.path === '/body/text'));
        for (const name of ['Content-Type', 'x-auth-token']) {
          const res = await h.api('POST', '/v1/endpoints', { name: 'x', url: r.url, format: 'cloudpods', headers: { [name]: 'v' } });
          assert.equal(res.status, 422, `${name}: ${res.text}`);
          assert.ok(res.json.error.details.some((p: any) => p.path === `/headers/${name}`), res.text);
        }
        assert.equal(r.received.length, 0, 'a refused endpoint is not validated');
        assert.equal(await endpointCount(h), before);

        const ep = await h.api('POST', '/v1/endpoints', { name: 'ok', url: r.url, format: 'cloudpods', body: { robot: 'ops' } });
        assert.equal(ep.status, 201, ep.text);
        const patched = await h.api('PATCH', `/v1/endpoints/${ep.json.id}`, { body: { Msg: 'x' } });
        assert.equal(patched.status, 422, patched.text);
        assert.equal(patched.json.error.details[0].path, '/body/Msg');
      } finally {
        await r.close();
        await h.stop();
      }
    });
  });
}
