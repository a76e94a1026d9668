import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { DIALECTS, skipFor } from './helpers/databases.js';
import { startTestHerald, until, type TestHerald } from './helpers/herald.js';
import { startReceiver, type Receiver } from './helpers/receiver.js';

async function topicNamed(h: TestHerald, name: string): Promise<string> {
  const list = await h.api('GET', '/v1/topics?limit=500');
  const t = list.json.data.find((x: any) => x.name === name);
  assert.ok(t, `seeded topic ${name}`);
  return t.id;
}

async function robot(h: TestHerald, name: string, r: Receiver): Promise<string> {
  const ep = await h.api('POST', '/v1/endpoints', { name, url: r.url, format: 'cloudpods', validate: false });
  assert.equal(ep.status, 201, ep.text);
  return ep.json.id;
}

async function subscribe(h: TestHerald, body: Record<string, unknown>): Promise<string> {
  const sub = await h.api('POST', '/v1/subscriptions', body);
  assert.equal(sub.status, 201, sub.text);
  return sub.json.id;
}

async function settled(h: TestHerald): Promise<void> {
  const left = async (status: string) => (await h.api('GET', `/v1/deliveries?status=${status}`)).json.data.length;
  await until(async () => (await left('pending')) + (await left('retrying')) === 0, 10_000, 'no pending or retrying deliveries');
}

const namesAt = (r: Receiver) => r.received.map((x) => JSON.parse(x.body).resource_details.name as string).sort();

for (const dialect of DIALECTS) {
  describe(`cloudpods topic subscriptions (${dialect})`, { skip: skipFor(dialect) }, () => {
    it('matches system, domain and project scopes against the event scope', async () => {
      const h = await startTestHerald(dialect);
      const sys = await startReceiver();
      const dom = await startReceiver();
      const proj = await startReceiver();
      try {
        const topic = await topicNamed(h, 'resource create or delete');
        await subscribe(h, { endpoint_id: await robot(h, 'sys', sys), topics: [topic], scope: { resource_scope: 'system' } });
        await subscribe(h, { endpoint_id: await robot(h, 'dom', dom), topics: [topic], scope: { resource_scope: 'domain', attribution_id: 'd1' } });
        await subscribe(h, { endpoint_id: await robot(h, 'proj', proj), topics: [topic], scope: { resource_scope: 'project', attribution_id: 'p1' } });

        const cases: Array<[string, Record<string, string> | undefined, number]> = [
          ['both-match', { domain_id: 'd1', project_id: 'p1' }, 3],
          ['project-only', { domain_id: 'd2', project_id: 'p1' }, 2],
          ['domain-only', { domain_id: 'd1', project_id: 'p2' }, 2],
          ['neither', { domain_id: 'd2', project_id: 'p2' }, 1],
          ['no-scope', undefined, 1],
        ];
        for (const [name, scope, expected] of cases) {
          const pub = await h.api('POST', '/v1/events', { type: 'server', action: 'create', data: { name }, ...(scope ? { scope } : {}) });
          assert.equal(pub.status, 202, pub.text);
          assert.equal(pub.json.deliveries, expected, name);
        }
        const outside = await h.api('POST', '/v1/events', { type: 'server', action: 'start', data: { name: 'not-in-topic' }, scope: { domain_id: 'd1', project_id: 'p1' } });
        assert.equal(outside.json.deliveries, 0, 'an event outside the topic goes nowhere');

        await sys.waitFor(5);
        await settled(h);
        await sleep(200);
        assert.deepEqual(namesAt(sys), ['both-match', 'domain-only', 'neither', 'no-scope', 'project-only']);
        assert.deepEqual(namesAt(dom), ['both-match', 'domain-only']);
        assert.deepEqual(namesAt(proj), ['both-match', 'project-only']);
        for (const r of [sys, dom, proj]) for (const got of r.received) assert.equal(got.headers['x-yunion-event'], 'SERVER/CREATE');
      } finally {
        await Promise.all([sys.close(), dom.close(), proj.close()]);
        await h.stop();
      }
    });

    it('sends nothing through a disabled topic, subscription or endpoint, and records why', async () => {
      const h = await startTestHerald(dialect);
      const rs = { topicOff: await startReceiver(), subOff: await startReceiver(), epOff: await startReceiver(), live: await startReceiver(), direct: await startReceiver() };
      try {
        const seeded = await topicNamed(h, 'resource operation successed');
        const own = await h.api('POST', '/v1/topics', { name: 'lab starts', events: ['SERVER/START'] });
        assert.equal(own.status, 201, own.text);
        const ids = {
          topicOff: await robot(h, 'topic-off', rs.topicOff),
          subOff: await robot(h, 'sub-off', rs.subOff),
          epOff: await robot(h, 'ep-off', rs.epOff),
          live: await robot(h, 'live', rs.live),
          direct: await robot(h, 'direct', rs.direct),
        };
        await subscribe(h, { endpoint_id: ids.topicOff, topics: [own.json.id] });
        await subscribe(h, { endpoint_id: ids.subOff, topics: [seeded], enabled: false });
        await subscribe(h, { endpoint_id: ids.epOff, topics: [seeded] });
        await subscribe(h, { endpoint_id: ids.live, topics: [seeded] });
        // Its own pattern still matches when the topic is off: the topic is not the only way in.
        await subscribe(h, { endpoint_id: ids.direct, topics: [own.json.id], events: ['SERVER/START'] });
        assert.equal((await h.api('POST', `/v1/topics/${own.json.id}/disable`)).json.enabled, false);
        assert.equal((await h.api('POST', `/v1/endpoints/${ids.epOff}/disable`)).status, 200);

        const pub = await h.api('POST', '/v1/events', { type: 'server', action: 'start', data: { name: 'vm-1' } });
        assert.equal(pub.status, 202, pub.text);
        assert.equal(pub.json.deliveries, 2, 'live and direct');
        await rs.live.waitFor(1);
        await rs.direct.waitFor(1);
        await settled(h);
        await sleep(300);
        assert.equal(rs.topicOff.received.length, 0);
        assert.equal(rs.subOff.received.length, 0);
        assert.equal(rs.epOff.received.length, 0);

        const skipped = await h.api('GET', `/v1/deliveries?status=skipped&message_id=${pub.json.id}`);
        assert.equal(skipped.status, 200, skipped.text);
        const reasons = Object.fromEntries(skipped.json.data.map((d: any) => [d.endpoint_id, d.last_error]));
        assert.deepEqual(reasons, { [ids.topicOff]: 'topic disabled', [ids.subOff]: 'subscription disabled', [ids.epOff]: 'endpoint disabled' });
        for (const d of skipped.json.data) {
          assert.equal(d.event, 'SERVER/START');
          assert.equal(d.attempts.length, 0);
        }

        // Enabling the topic again takes effect for the next event.
        assert.equal((await h.api('POST', `/v1/topics/${own.json.id}/enable`)).json.enabled, true);
        const again = await h.api('POST', '/v1/events', { type: 'server', action: 'start', data: { name: 'vm-2' } });
        assert.equal(again.json.deliveries, 3);
        await rs.topicOff.waitFor(1);
      } finally {
        await Promise.all(Object.values(rs).map((r) => r.close()));
        await h.stop();
      }
    });
  });
}
