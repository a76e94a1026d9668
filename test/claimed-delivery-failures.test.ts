import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import pino from 'pino';
import type { AttemptJob } from '../src/delivery/attempt.js';
import { startSendThreads } from '../src/delivery/send-threads.js';
import { makeSecretBox } from '../src/util/secret-box.js';
import { DIALECTS, skipFor } from './helpers/databases.js';
import { startTestHerald, until, type TestHerald } from './helpers/herald.js';
import { startReceiver } from './helpers/receiver.js';

/** A failed delivery of the endpoint, once its retries ran out, from the failed view. */
async function failedOf(h: TestHerald, endpointId: string) {
  return until(async () => {
    const list = await h.api('GET', `/v1/deliveries?status=failed&endpoint_id=${endpointId}`);
    return list.json.data.length === 1 ? list.json.data[0] : null;
  }, 15_000, `a failed delivery of ${endpointId}`);
}

for (const dialect of DIALECTS) {
  describe(`a failure between claim and send is a recorded attempt (${dialect})`, { skip: skipFor(dialect) }, () => {
    it('a credential sealed with another key fails with error_class secret on every attempt, then shows as failed; a neighbour still delivers', async () => {
      const h = await startTestHerald(dialect, { HERALD_ENCRYPTION_KEY: randomBytes(32).toString('hex'), HERALD_RETRY_SCHEDULE: '100ms,100ms,100ms' });
      const r = await startReceiver();
      try {
        const broken = await h.api('POST', '/v1/endpoints', { name: 'broken', url: `${r.url}/broken`, format: 'strigo', auth: { user: 'u', key: 'k-0123456789' } });
        const healthy = await h.api('POST', '/v1/endpoints', { name: 'healthy', url: `${r.url}/healthy`, format: 'strigo' });
        for (const ep of [broken, healthy]) {
          assert.equal(ep.status, 201, ep.text);
          assert.equal((await h.api('POST', '/v1/subscriptions', { endpoint_id: ep.json.id, events: ['*'] })).status, 201);
        }
        // As if the row had been written under another key: a sealed value this process cannot open.
        const foreign = makeSecretBox(randomBytes(32).toString('hex')).seal('k-0123456789');
        await h.herald.ctx.store.db.updateTable('endpoints').set({ auth_key: foreign }).where('id', '=', broken.json.id).execute();

        assert.equal((await h.api('POST', '/v1/events', { type: 'CLASS', action: 'CREATED' })).status, 202);
        const d = await failedOf(h, broken.json.id);
        assert.equal(d.attempt_count, 4);
        assert.match(d.last_error, /^secret: cannot decrypt a stored secret: HERALD_ENCRYPTION_KEY is not the key it was sealed with/);
        assert.deepEqual(d.attempts.map((a: any) => [a.attempt, a.error_class, a.status_code]), [1, 2, 3, 4].map((n) => [n, 'secret', null]));
        const full = await h.api('GET', `/v1/deliveries/${d.id}`);
        assert.equal(full.json.attempts[0].request.url, `${r.url}/broken`);
        assert.equal(full.json.attempts[0].response_body, null);

        await r.waitFor(1);
        assert.deepEqual(r.received.filter((x) => !x.url.endsWith('/healthy')).map((x) => x.url), [], 'nothing was sent with the credential that could not be opened');
        // The neighbour, subscribed to everything, gets the event, and may also get Herald's DELIVERY/EXHAUSTED about the broken one.
        const ok = await h.api('GET', `/v1/deliveries?status=succeeded&endpoint_id=${healthy.json.id}`);
        assert.deepEqual(ok.json.data.map((x: any) => x.event).filter((e: string) => e !== 'DELIVERY/EXHAUSTED'), ['CLASS/CREATED']);
      } finally {
        await r.close();
        await h.stop();
      }
    });

    it('a damaged row (headers that are not JSON) fails with error_class internal and retries on schedule before failing', async () => {
      const h = await startTestHerald(dialect, { HERALD_RETRY_SCHEDULE: '300ms,300ms' });
      const r = await startReceiver();
      try {
        const ep = await h.api('POST', '/v1/endpoints', { name: 'damaged', url: r.url, format: 'standard' });
        assert.equal(ep.status, 201, ep.text);
        await h.api('POST', '/v1/subscriptions', { endpoint_id: ep.json.id, events: ['*'] });
        await h.herald.ctx.store.db.updateTable('endpoints').set({ headers: '{not json' }).where('id', '=', ep.json.id).execute();

        assert.equal((await h.api('POST', '/v1/events', { type: 'CLASS', action: 'CREATED' })).status, 202);
        // While retrying: shown so, with the attempt and its reason.
        const retrying = await until(async () => {
          const list = await h.api('GET', `/v1/deliveries?endpoint_id=${ep.json.id}`);
          const d = list.json.data[0];
          return d && d.status === 'retrying' && d.attempt_count >= 1 ? d : null;
        });
        assert.match(retrying.last_error, /^internal: /);
        assert.notEqual(retrying.next_attempt_at, null);
        const d = await failedOf(h, ep.json.id);
        assert.deepEqual(d.attempts.map((a: any) => a.error_class), ['internal', 'internal', 'internal']);
        assert.equal(r.received.length, 0);
      } finally {
        await r.close();
        await h.stop();
      }
    });
  });
}

describe('a send thread handed a job it cannot take', () => {
  it('answers it as a failed attempt of class internal, and goes on delivering', { timeout: 20_000 }, async () => {
    const r = await startReceiver();
    const threads = await startSendThreads(
      { allowPrivateNetworks: 'true', connectTimeoutMs: 2000, requestTimeoutMs: 2000, callbackUrl: 'http://localhost/v1/incoming', schedule: [1000] },
      1,
      pino({ level: 'silent' }),
    );
    const job = (deliveryId: string, headers: Record<string, unknown>): AttemptJob => ({
      deliveryId,
      attemptsMade: 0,
      messageBytes: 1024,
      message: { id: `msg_${deliveryId}`, tenant: 'default', type: 'EVENT', action: 'STARTED', result: 'succeed', entityIds: ['e1'], dataJson: '{}', timestamp: new Date().toISOString() },
      endpoint: { id: 'ep_1', format: 'strigo', url: r.url, auth: null, secrets: [], headers: headers as Record<string, string>, bodyJson: '{}', msgKey: 'Msg', lang: 'en', useTemplate: false },
      templates: null,
    });
    try {
      // A function cannot be copied to another thread: the post itself fails.
      const refused = await threads.runAttempt(job('bad', { render: () => 'x' }));
      assert.equal(refused.status, 'pending');
      assert.equal(refused.attempt.error_class, 'internal');
      assert.match(String(refused.attempt.error), /^internal: .*could not be cloned/);
      const later = await threads.runAttempt(job('good', { ok: true }));
      assert.equal(later.status, 'succeeded');
      assert.equal(r.received.length, 1);
    } finally {
      await threads.close();
      await r.close();
    }
  });
});
