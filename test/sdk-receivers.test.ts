import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, test } from 'node:test';
import { Herald, HeraldError } from '../sdk/src/index.js';
import { callbackFrom, verifyCloudpods, verifyStandard, verifyStrigo, WebhookVerificationError, type VerificationReason } from '../sdk/src/receiver/index.js';
import { DIALECTS, skipFor } from './helpers/databases.js';
import { startTestHerald, TEST_TOKEN } from './helpers/herald.js';
import { startReceiver, type Received } from './helpers/receiver.js';

function refused(reason: VerificationReason, fn: () => unknown): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof WebhookVerificationError, `expected a WebhookVerificationError, got ${String(e)}`);
    assert.equal(e.reason, reason, e.message);
    return true;
  });
}

const tampered = (r: Received) => Buffer.from(r.body.replace('"n":1', '"n":2'), 'utf8');

/** A stand-in for Herald's callback URL that answers `answers` first, then passes requests on to `target`. */
async function flakyProxy(target: string, answers: number[]) {
  const seen: number[] = [];
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const canned = answers.shift();
    if (canned !== undefined) {
      seen.push(canned);
      return res.writeHead(canned, { 'content-type': 'application/json', ...(canned === 503 ? { 'retry-after': '0' } : {}) }).end('{"error":{"code":"unavailable","message":"try again","details":[]}}');
    }
    const answer = await fetch(target, { method: 'POST', headers: { authorization: req.headers.authorization ?? '', 'content-type': 'application/json' }, body: Buffer.concat(chunks) });
    seen.push(answer.status);
    res.writeHead(answer.status, { 'content-type': 'application/json' }).end(await answer.text());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/incoming`, seen, close: () => new Promise<void>((r) => (server.closeAllConnections(), server.close(() => r()))) };
}

for (const dialect of DIALECTS) {
  describe(`receiver kit on what Herald sent (${dialect})`, { skip: skipFor(dialect) }, () => {
    test('standard: verifies, follows a secret rotation, and refuses tampering, wrong secrets and stale timestamps', async () => {
      const h = await startTestHerald(dialect);
      const r = await startReceiver();
      try {
        const herald = new Herald({ url: h.url, token: TEST_TOKEN });
        const ep = await herald.endpoints.create({ name: 'std', url: r.url, format: 'standard' });
        const oldSecret = String(ep.secret);
        await herald.subscriptions.create({ endpoint_id: String(ep.id), events: ['CLASS/*'] });
        const msg = await herald.events.publish({ type: 'CLASS', action: 'CREATED', entity_ids: ['cls_1'], data: { n: 1 } });
        await r.waitFor(1);
        const first = r.received[0]!;

        const event = verifyStandard(oldSecret, first.headers, first.raw);
        assert.equal(event.id, msg.id);
        assert.equal(event.type, 'CLASS.CREATED');
        assert.deepEqual(event.data, { entity_ids: ['cls_1'], n: 1 });
        // A fetch-style Headers object and a string body verify the same.
        assert.equal(verifyStandard(oldSecret, new Headers(first.headers as Record<string, string>), first.body).id, msg.id);

        const rotated = await herald.endpoints.rotateSecret(String(ep.id));
        const newSecret = String(rotated.secret);
        await herald.events.publish({ type: 'CLASS', action: 'UPDATED', entity_ids: ['cls_1'], data: { n: 1 } });
        await r.waitFor(2);
        const second = r.received[1]!;
        assert.equal(String(second.headers['webhook-signature']).split(' ').length, 2, 'both secrets sign during the overlap');
        assert.equal(verifyStandard(newSecret, second.headers, second.raw).type, 'CLASS.UPDATED');
        assert.equal(verifyStandard(oldSecret, second.headers, second.raw).type, 'CLASS.UPDATED');
        assert.equal(verifyStandard(['whsec_' + Buffer.alloc(32, 7).toString('base64'), newSecret], second.headers, second.raw).type, 'CLASS.UPDATED');
        // The first request was signed before the rotation: only the old secret verifies it.
        refused('bad_signature', () => verifyStandard(newSecret, first.headers, first.raw));

        refused('bad_signature', () => verifyStandard(newSecret, second.headers, tampered(second)));
        const forged = { ...second.headers, 'webhook-signature': `v1,${Buffer.alloc(32).toString('base64')}` };
        refused('bad_signature', () => verifyStandard(newSecret, forged, second.raw));
        const shifted = { ...second.headers, 'webhook-id': 'msg_other' };
        refused('bad_signature', () => verifyStandard(newSecret, shifted, second.raw));
        const sent = Number(second.headers['webhook-timestamp']);
        refused('timestamp_too_old', () => verifyStandard(newSecret, second.headers, second.raw, { nowSeconds: sent + 301 }));
        refused('timestamp_too_new', () => verifyStandard(newSecret, second.headers, second.raw, { nowSeconds: sent - 301 }));
        assert.equal(verifyStandard(newSecret, second.headers, second.raw, { nowSeconds: sent + 299 }).id, second.headers['webhook-id']);
        refused('bad_timestamp', () => verifyStandard(newSecret, { ...second.headers, 'webhook-timestamp': 'soon' }, second.raw));
        const { ['webhook-signature']: _dropped, ...unsigned } = second.headers;
        refused('missing_header', () => verifyStandard(newSecret, unsigned, second.raw));
        refused('bad_secret', () => verifyStandard([], second.headers, second.raw));
      } finally {
        await r.close();
        await h.stop();
      }
    });

    test('cloudpods: the validation call and an event verify; tampered bodies and other secrets do not', async () => {
      const h = await startTestHerald(dialect);
      const r = await startReceiver();
      try {
        const herald = new Herald({ url: h.url, token: TEST_TOKEN });
        const secret = 'robot-secret-0123';
        const ep = await herald.endpoints.create({ name: 'robot', url: r.url, format: 'cloudpods', secret, body: { source: 'herald' } });
        const validation = verifyCloudpods(secret, r.received[0]!.headers, r.received[0]!.raw);
        assert.equal(validation.validation, true);
        assert.equal(validation.text, 'This is a validate message.');
        assert.equal(validation.message, null);

        await herald.subscriptions.create({ endpoint_id: String(ep.id), events: ['SERVER/*'] });
        await herald.events.publish({ type: 'server', action: 'create', data: { name: 'vm-1', n: 1 } });
        await r.waitFor(2);
        const got = r.received[1]!;
        const event = verifyCloudpods(secret, got.headers, got.raw);
        assert.equal(event.event, 'SERVER/CREATE');
        assert.equal(event.validation, false);
        assert.deepEqual(event.message, { action: 'create', resource_type: 'server', resource_details: { n: 1, name: 'vm-1' }, result: 'succeed' });
        assert.equal(event.body.source, 'herald');
        assert.match(String(event.requestId), /^[0-9a-f]+$/);

        refused('bad_signature', () => verifyCloudpods(secret, got.headers, tampered(got)));
        refused('bad_signature', () => verifyCloudpods('another-secret', got.headers, got.raw));
        refused('bad_signature', () => verifyCloudpods(secret, { ...got.headers, 'x-auth-token': '00' }, got.raw));
        const { ['x-auth-token']: _dropped, ...unsigned } = got.headers;
        refused('missing_header', () => verifyCloudpods(secret, unsigned, got.raw));

        // After a rotation Herald signs with the new secret only; a receiver holding both keeps verifying.
        const rotated = await herald.endpoints.rotateSecret(String(ep.id), 'robot-secret-4567');
        await herald.events.publish({ type: 'server', action: 'delete', data: { name: 'vm-1', n: 1 } });
        await r.waitFor(3);
        const third = r.received[2]!;
        assert.equal(verifyCloudpods([secret, String(rotated.secret)], third.headers, third.raw).message?.action, 'delete');
        refused('bad_signature', () => verifyCloudpods(secret, third.headers, third.raw));
      } finally {
        await r.close();
        await h.stop();
      }
    });

    test('strigo: verifies the Bearer credentials, and the callback helper reports back, retrying 503 and 5xx', async () => {
      const h = await startTestHerald(dialect);
      const r = await startReceiver();
      try {
        const herald = new Herald({ url: h.url, token: TEST_TOKEN });
        const ep = await herald.endpoints.create({ name: 'lab', url: r.url, format: 'strigo', auth: { user: 'herald', key: 'lab-key-0123' } });
        const credentials = ep.callback as { user: string; key: string };
        await herald.subscriptions.create({ endpoint_id: String(ep.id), events: ['ONDEMAND_ENROLLMENT/*'] });
        const msg = await herald.events.publish({ type: 'ONDEMAND_ENROLLMENT', action: 'STARTED', entity_ids: ['enr_9'], data: { n: 1 } });
        await r.waitFor(1);
        const got = r.received[0]!;

        const message = verifyStrigo('herald', 'lab-key-0123', got.headers, got.raw);
        assert.equal(message.message_id, msg.id);
        assert.equal(message.status, 'STARTED');
        assert.deepEqual(message.entity_ids, ['enr_9']);
        assert.equal(message.callback, `${h.herald.config.publicUrl}/v1/incoming`);
        assert.equal(verifyStrigo('herald', 'lab-key-0123', got.headers), undefined);
        refused('bad_credentials', () => verifyStrigo('herald', 'lab-key-9999', got.headers, got.raw));
        refused('bad_credentials', () => verifyStrigo('someone', 'lab-key-0123', got.headers));
        refused('missing_header', () => verifyStrigo('herald', 'lab-key-0123', { 'content-type': 'application/json' }));
        refused('malformed_body', () => verifyStrigo('herald', 'lab-key-0123', got.headers, '{"message_id":'));

        // Herald's callback URL, behind a stand-in that is unavailable twice before it lets the report through.
        const proxy = await flakyProxy(`${h.url}/v1/incoming`, [503, 502]);
        try {
          const answer = await callbackFrom({ ...message, callback: proxy.url }, credentials, { baseDelayMs: 10 }).created({
            resources: [{ id: 'vm-9', type: 'VM', name: 'lab', status: 'READY' }],
            interfaces: [{ type: 'TERMINAL', resource_id: 'vm-9', name: 'shell' }],
          });
          assert.deepEqual(proxy.seen, [503, 502, 200]);
          assert.equal(answer.outcome, 'applied');
          assert.deepEqual(answer.entities, ['enr_9']);
        } finally {
          await proxy.close();
        }
        const entity = await herald.entities.get('enr_9');
        assert.deepEqual((entity.resources as Array<{ id: string; status: string }>).map((x) => [x.id, x.status]), [['vm-9', 'READY']]);

        // Straight to Herald: an update merges, a delete removes, and the same report twice changes nothing.
        const cb = callbackFrom(message, credentials);
        assert.equal((await cb.updated({ resources: [{ id: 'vm-9', type: 'VM', status: 'STOPPED' }] })).outcome, 'applied');
        const del = { resources: [{ id: 'vm-9' }], interfaces: [], timestamp: new Date(Date.now() + 1000).toISOString() };
        assert.equal((await cb.deleted(del)).outcome, 'applied');
        assert.equal((await cb.deleted(del)).outcome, 'unchanged');
        assert.deepEqual((await herald.entities.get('enr_9')).resources, []);

        // A 4xx is final: wrong credentials are refused at once, not retried.
        const proxy401 = await flakyProxy(`${h.url}/v1/incoming`, []);
        try {
          await assert.rejects(callbackFrom({ ...message, callback: proxy401.url }, { user: credentials.user, key: 'wrong' }, { baseDelayMs: 10 }).created({ resources: [] }), (e: unknown) => {
            assert.ok(e instanceof HeraldError);
            assert.deepEqual([e.code, e.status], ['unauthorized', 401]);
            return true;
          });
          assert.deepEqual(proxy401.seen, [401]);
        } finally {
          await proxy401.close();
        }
        // Retries are bounded: a callback URL that stays down gives up after the attempts asked for.
        const down = await flakyProxy(`${h.url}/v1/incoming`, [500, 500, 500, 500]);
        try {
          await assert.rejects(callbackFrom({ ...message, callback: down.url }, credentials, { attempts: 3, baseDelayMs: 10 }).created({ resources: [] }), /gave up after 3 attempts/);
          assert.deepEqual(down.seen, [500, 500, 500]);
        } finally {
          await down.close();
        }
      } finally {
        await r.close();
        await h.stop();
      }
    });
  });
}

test('callbackFrom refuses a message without a callback URL, and credentials without a key', () => {
  assert.throws(() => callbackFrom({ message_id: 'msg_1', callback: '' }, { user: 'u', key: 'k' }), /callback/);
  assert.throws(() => callbackFrom({ message_id: 'msg_1', callback: 'http://127.0.0.1/v1/incoming' }, { user: 'u', key: '' }), /key/);
});
