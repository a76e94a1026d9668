import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Webhook } from 'standardwebhooks';
import { DIALECTS, skipFor } from './helpers/databases.js';
import { startTestHerald, until, type TestHerald } from './helpers/herald.js';
import { startReceiver, type Received } from './helpers/receiver.js';

/** What the receiver's own library says about a request, with the secret it was given. */
function verifies(secret: string, got: Received): boolean {
  try {
    new Webhook(secret).verify(got.body, {
      'webhook-id': String(got.headers['webhook-id']),
      'webhook-timestamp': String(got.headers['webhook-timestamp']),
      'webhook-signature': String(got.headers['webhook-signature']),
    });
    return true;
  } catch {
    return false;
  }
}

async function publishTo(h: TestHerald, endpointId: string, n: number) {
  const pub = await h.api('POST', '/v1/events', { type: 'CLASS', action: 'CREATED', entity_ids: [`c${n}`], data: { n } });
  assert.equal(pub.status, 202, pub.text);
  await until(async () => {
    const list = await h.api('GET', `/v1/deliveries?endpoint_id=${endpointId}&status=succeeded`);
    return list.json.data.length >= n;
  });
}

for (const dialect of DIALECTS) {
  describe(`standard webhooks end to end (${dialect})`, { skip: skipFor(dialect) }, () => {
    for (const format of ['standard', 'strigo'] as const) {
      it(`${format}: verified by the standardwebhooks package; both secrets sign during rotation, only the new one after`, async () => {
        const h = await startTestHerald(dialect);
        const r = await startReceiver();
        try {
          const ep = await h.api('POST', '/v1/endpoints', { name: `${format} receiver`, url: r.url, format });
          assert.equal(ep.status, 201, ep.text);
          const oldSecret: string = ep.json.secret;
          assert.match(oldSecret, /^whsec_[A-Za-z0-9+/]+={0,2}$/, 'a secret is generated when none is given');
          await h.api('POST', '/v1/subscriptions', { endpoint_id: ep.json.id, events: ['CLASS/*'] });

          await publishTo(h, ep.json.id, 1);
          const first = r.received[0]!;
          assert.equal(String(first.headers['webhook-signature']).split(' ').length, 1);
          assert.ok(verifies(oldSecret, first), 'verifies with the secret from the create response');
          assert.match(String(first.headers['webhook-id']), /^msg_/);
          // webhook-id is the message's id (receivers de-duplicate retries by it), in both formats.
          const sent = await h.api('GET', `/v1/deliveries?endpoint_id=${ep.json.id}`);
          assert.equal(first.headers['webhook-id'], sent.json.data[0].message_id);

          const rotated = await h.api('POST', `/v1/endpoints/${ep.json.id}/rotate-secret`);
          assert.equal(rotated.status, 200, rotated.text);
          const newSecret: string = rotated.json.secret;
          assert.notEqual(newSecret, oldSecret);
          assert.ok(Date.parse(rotated.json.previous_secret_expires_at) > Date.now() + 23 * 3600_000, 'the old secret keeps signing for about a day');

          await publishTo(h, ep.json.id, 2);
          const during = r.received[1]!;
          const entries = String(during.headers['webhook-signature']).split(' ');
          assert.equal(entries.length, 2, 'two v1 signatures during the overlap');
          for (const e of entries) assert.match(e, /^v1,[A-Za-z0-9+/]+=*$/);
          assert.ok(verifies(oldSecret, during), 'still verifies with the old secret');
          assert.ok(verifies(newSecret, during), 'verifies with the new secret');

          // End the overlap as if a day had passed.
          await h.herald.ctx.store.db.updateTable('endpoints').set({ previous_secret_until: Date.now() - 1000 }).where('id', '=', ep.json.id).execute();
          h.herald.ctx.events.emit('endpoint-changed', ep.json.id);

          await publishTo(h, ep.json.id, 3);
          const after = r.received[2]!;
          assert.equal(String(after.headers['webhook-signature']).split(' ').length, 1, 'one signature after the overlap');
          assert.ok(verifies(newSecret, after), 'verifies with the new secret');
          assert.ok(!verifies(oldSecret, after), 'the old secret no longer verifies');
        } finally {
          await r.close();
          await h.stop();
        }
      });
    }

    it('a tampered body or a wrong secret does not verify (the peer is really checking)', async () => {
      const h = await startTestHerald(dialect);
      const r = await startReceiver();
      try {
        const ep = await h.api('POST', '/v1/endpoints', { name: 'std', url: r.url, format: 'standard' });
        const other = await h.api('POST', '/v1/endpoints', { name: 'other', url: r.url, format: 'standard', enabled: false });
        await h.api('POST', '/v1/subscriptions', { endpoint_id: ep.json.id, events: ['CLASS/*'] });
        await publishTo(h, ep.json.id, 1);
        const got = r.received[0]!;
        assert.ok(verifies(ep.json.secret, got));
        assert.ok(!verifies(other.json.secret, got), 'another endpoint secret does not verify');
        assert.ok(!verifies(ep.json.secret, { ...got, body: got.body.replace('"n":1', '"n":2') }), 'a changed body does not verify');
        const body = JSON.parse(got.body);
        assert.equal(body.type, 'CLASS.CREATED');
        assert.deepEqual(body.data, { entity_ids: ['c1'], n: 1 });
      } finally {
        await r.close();
        await h.stop();
      }
    });
  });
}
