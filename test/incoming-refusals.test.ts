import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { RESOURCE_STATUSES } from '../src/incoming/types.js';
import { DIALECTS, skipFor } from './helpers/databases.js';
import { startTestHerald, until, type TestHerald } from './helpers/herald.js';
import { startReceiver, type Receiver } from './helpers/receiver.js';

const ENTITY = 'enr_refusals';

/** The seed's example body, byte for byte as the documentation prints it: not JSON. */
const SEED_EXAMPLE = `{
        source_message_id: "dfede374",
        type: "RESOURCE",
        action: "CREATED",
        data: {
            resources: [
                {
                    id: "25f377ac",
                    type: "VM",
                    name: "server",
                    data: {
                        status: "LAUNCHING"
                    }
                }
            ],
            interfaces: [
                {
                    type: "TERMINAL",
                    resource_id: "25f377ac",
                    ...
                }
            ]
        }
    }`;

interface Callback {
  user: string;
  key: string;
}

for (const dialect of DIALECTS) {
  describe(`incoming refusals (${dialect})`, { skip: skipFor(dialect) }, () => {
    let t: TestHerald;
    let receiver: Receiver;
    let mine: Callback & { id: string };
    let other: Callback & { id: string };
    let messageId: string;

    const post = async (body: string | object, auth: Callback | string | null, contentType = 'application/json') => {
      const headers: Record<string, string> = { 'content-type': contentType };
      if (auth !== null) headers.authorization = typeof auth === 'string' ? auth : `Bearer ${auth.user}:${auth.key}`;
      const res = await fetch(`${t.url}/v1/incoming`, { method: 'POST', headers, body: typeof body === 'string' ? body : JSON.stringify(body) });
      const text = await res.text();
      return { status: res.status, text, json: JSON.parse(text) };
    };
    const entityBytes = async () => (await t.api('GET', `/v1/entities/${ENTITY}`)).text;
    const report = (action: string, resources: object[], interfaces: object[] = []) => ({
      source_message_id: messageId,
      type: 'RESOURCE',
      action,
      data: { resources, interfaces },
    });

    before(async () => {
      receiver = await startReceiver();
      t = await startTestHerald(dialect);
      const a = await t.api('POST', '/v1/endpoints', { name: 'backend a', url: receiver.url, format: 'strigo' });
      const b = await t.api('POST', '/v1/endpoints', { name: 'backend b', url: receiver.url, format: 'strigo' });
      mine = { id: a.json.id, user: a.json.callback.user, key: a.json.callback.key };
      other = { id: b.json.id, user: b.json.callback.user, key: b.json.callback.key };
      await t.api('POST', '/v1/subscriptions', { endpoint_id: mine.id, events: ['ONDEMAND_ENROLLMENT/*'] });
      const published = await t.api('POST', '/v1/events', { type: 'ONDEMAND_ENROLLMENT', action: 'STARTED', entity_ids: [ENTITY] });
      messageId = published.json.id;
      await until(async () => (await t.api('GET', `/v1/messages/${messageId}`)).json.deliveries[0]?.status === 'succeeded', 10_000, 'delivery');
      const first = await post(report('CREATED', [{ id: 'vm1', type: 'VM', name: 'server', status: 'STARTING' }]), mine);
      assert.equal(first.status, 200, first.text);
    });

    after(async () => {
      await t.stop();
      await receiver.close();
    });

    /** Sends a request that must be refused and proves the entity state kept every byte. */
    async function refused(status: number, send: () => Promise<{ status: number; text: string; json: any }>) {
      const beforeBytes = await entityBytes();
      const res = await send();
      assert.equal(res.status, status, res.text);
      assert.equal(typeof res.json.error.code, 'string');
      assert.equal(await entityBytes(), beforeBytes, 'entity state unchanged');
      return res.json.error;
    }

    it("LAUNCHING (the seed example's status) is a 422 that lists the eight allowed statuses", async () => {
      const error = await refused(422, () => post(report('CREATED', [{ id: 'vm1', type: 'VM', data: { status: 'LAUNCHING' } }]), mine));
      const problem = error.details.find((d: any) => d.path === '/data/resources/0/data/status');
      assert.ok(problem, JSON.stringify(error));
      assert.deepEqual(problem.allowed, [...RESOURCE_STATUSES]);
      assert.equal(problem.allowed.length, 8);
    });

    it('every problem is listed with its path and allowed values', async () => {
      const body = { source_message_id: messageId, type: 'RESOURCES', action: 'LAUNCHED', data: { resources: [{ id: 'vm1', type: 'VM', status: 'READY' }], interfaces: [{ type: 'SSH', resource_id: 'vm1' }] } };
      const error = await refused(422, () => post(body, mine));
      const paths = error.details.map((d: any) => d.path).sort();
      assert.deepEqual(paths, ['/action', '/data/interfaces/0/type', '/type']);
      assert.deepEqual(error.details.find((d: any) => d.path === '/action').allowed, ['CREATED', 'UPDATED', 'DELETED']);
    });

    it('action and status must agree; an interface on an unknown resource is a 422', async () => {
      await refused(422, () => post({ ...report('CREATED', [{ id: 'vm2', type: 'VM', status: 'READY' }]), status: 'DELETED' }, mine));
      const error = await refused(422, () => post(report('UPDATED', [], [{ type: 'TERMINAL', resource_id: 'nowhere' }]), mine));
      assert.equal(error.details[0].path, '/data/interfaces/0/resource_id');
    });

    it("the seed's example body as written (unquoted keys, `...`) is a 400 with the position", async () => {
      const error = await refused(400, () => post(SEED_EXAMPLE, mine));
      assert.equal(error.code, 'malformed_json');
      assert.match(error.message, /position \d+/);
    });

    it('2 MiB is a 413', async () => {
      const huge = JSON.stringify({ ...report('UPDATED', [{ id: 'vm1', type: 'VM', status: 'READY' }]), pad: 'x'.repeat(2 * 1024 * 1024) });
      const error = await refused(413, () => post(huge, mine));
      assert.equal(error.code, 'payload_too_large');
    });

    it('a wrong key, a missing header and an unknown user are the same 401', async () => {
      const body = report('UPDATED', [{ id: 'vm1', type: 'VM', status: 'READY' }]);
      const wrong = await refused(401, () => post(body, { user: mine.user, key: 'not-the-key' }));
      await refused(401, () => post(body, null));
      const unknown = await refused(401, () => post(body, { user: 'cb_nobody', key: mine.key }));
      assert.deepEqual(unknown, wrong);
      await refused(401, () => post(body, `Basic ${Buffer.from(`${mine.user}:${mine.key}`).toString('base64')}`));
    });

    it("another endpoint's credentials get the same 404 as a message that does not exist", async () => {
      const body = report('UPDATED', [{ id: 'vm1', type: 'VM', status: 'READY' }]);
      const notTheirs = await post(body, other);
      const beforeBytes = await entityBytes();
      assert.equal(notTheirs.status, 404);
      const missing = await refused(404, () => post({ ...body, source_message_id: 'msg_DOESNOTEXIST0000000000000' }, other));
      assert.equal(JSON.stringify(missing), JSON.stringify(notTheirs.json.error));
      assert.equal(await entityBytes(), beforeBytes);
    });

    it('text/plain is a 415', async () => {
      const error = await refused(415, () => post(JSON.stringify(report('UPDATED', [{ id: 'vm1', type: 'VM', status: 'READY' }])), mine, 'text/plain'));
      assert.equal(error.code, 'unsupported_media_type');
    });

    it('the same message sent twice changes nothing the second time, even after a later report', async () => {
      const a = report('UPDATED', [{ id: 'vm1', type: 'VM', status: 'PREPARING' }]);
      const b = report('UPDATED', [{ id: 'vm1', type: 'VM', status: 'READY' }]);
      assert.equal((await post(a, mine)).json.outcome, 'applied');
      const afterA = await entityBytes();
      const again = await post(a, mine);
      assert.equal(again.status, 200);
      assert.equal(again.json.outcome, 'unchanged');
      assert.equal(await entityBytes(), afterA);
      assert.equal((await post(b, mine)).json.outcome, 'applied');
      const afterB = await entityBytes();
      // Key order and spacing do not make it a different message.
      const reordered = `{"data": {"interfaces": [], "resources": [{"status": "PREPARING", "type": "VM", "id": "vm1"}]}, "action": "UPDATED", "type": "RESOURCE", "source_message_id": "${messageId}"}`;
      const late = await post(reordered, mine);
      assert.equal(late.json.outcome, 'unchanged');
      assert.equal(await entityBytes(), afterB);
      assert.equal(JSON.parse(afterB).resources[0].status, 'READY');
    });

    it('refused requests are in the incoming log with the answer Herald gave', async () => {
      const log = await t.api('GET', `/v1/incoming?endpoint_id=${mine.id}&limit=500`);
      assert.equal(log.status, 200);
      const refusedCodes = log.json.data.filter((r: any) => r.outcome === 'refused').map((r: any) => r.status_code);
      for (const code of [400, 413, 415, 422]) assert.ok(refusedCodes.includes(code), `a refused ${code} is logged: ${refusedCodes}`);
      const theirs = await t.api('GET', `/v1/incoming?endpoint_id=${other.id}`);
      assert.deepEqual(theirs.json.data.map((r: any) => [r.outcome, r.status_code]), [['refused', 404], ['refused', 404]]);
      const launching = log.json.data.find((r: any) => r.status_code === 422 && r.body.includes('LAUNCHING'));
      assert.equal(launching.error.code, 'invalid');
      assert.equal(launching.source_message_id, messageId);
      const strangers = await t.api('GET', '/v1/incoming?limit=500');
      const unauthenticated = strangers.json.data.filter((r: any) => r.status_code === 401);
      assert.ok(unauthenticated.length >= 3);
      assert.ok(unauthenticated.every((r: any) => r.endpoint_id === null && r.body === ''));
      // Paging: newest first, the cursor continues where the page stopped.
      const page1 = await t.api('GET', `/v1/incoming?endpoint_id=${mine.id}&limit=2`);
      const page2 = await t.api('GET', `/v1/incoming?endpoint_id=${mine.id}&limit=2&cursor=${page1.json.next_cursor}`);
      assert.deepEqual([...page1.json.data, ...page2.json.data].map((r: any) => r.id), log.json.data.slice(0, 4).map((r: any) => r.id));
      assert.equal((await fetch(`${t.url}/v1/incoming`)).status, 401);
    });

    it('rotating the callback key retires the old key at once', async () => {
      const rotated = await t.api('POST', `/v1/endpoints/${mine.id}/rotate-callback-key`);
      assert.equal(rotated.status, 200, rotated.text);
      assert.equal(rotated.json.user, mine.user);
      assert.notEqual(rotated.json.key, mine.key);
      const body = report('UPDATED', [{ id: 'vm1', type: 'VM', status: 'STOPPING' }]);
      await refused(401, () => post(body, mine));
      const res = await post(body, { user: mine.user, key: rotated.json.key });
      assert.equal(res.status, 200, res.text);
      mine = { ...mine, key: rotated.json.key };
    });
  });
}
