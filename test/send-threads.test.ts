import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import pino from 'pino';
import { loadConfig } from '../src/config.js';
import type { AttemptJob } from '../src/delivery/attempt.js';
import { startSendThreads } from '../src/delivery/send-threads.js';
import { startTestHerald, until } from './helpers/herald.js';
import { startReceiver } from './helpers/receiver.js';

function attemptJob(deliveryId: string, url: string, messageBytes: number): AttemptJob {
  return {
    deliveryId,
    attemptsMade: 0,
    message: { id: `msg_${deliveryId}`, tenant: 'default', type: 'EVENT', action: 'STARTED', result: 'succeed', entityIds: ['e1'], dataJson: '{}', timestamp: new Date().toISOString() },
    messageBytes,
    endpoint: { id: 'ep_1', format: 'strigo', url, auth: null, secrets: [], headers: {}, bodyJson: '{}', msgKey: 'Msg', lang: 'en', useTemplate: false },
    templates: null,
  };
}

/** Attempts render and send on send threads by default; these check the other settings deliver the same bytes. */
describe('HERALD_SEND_THREADS', () => {
  for (const threads of ['0', '2']) {
    it(`${threads}: every endpoint gets its strigo envelope, signed and authorised, and the attempt is logged`, async () => {
      const h = await startTestHerald('sqlite', { HERALD_SEND_THREADS: threads });
      const receivers = [await startReceiver(), await startReceiver(), await startReceiver()];
      try {
        const ids: string[] = [];
        for (const [i, r] of receivers.entries()) {
          const ep = await h.api('POST', '/v1/endpoints', { name: `backend ${i}`, url: r.url, format: 'strigo', auth: { user: `u${i}`, key: `k${i}` } });
          assert.equal(ep.status, 201, ep.text);
          ids.push(ep.json.id);
          await h.api('POST', '/v1/subscriptions', { endpoint_id: ep.json.id, events: ['EVENT/*'] });
        }
        const pub = await h.api('POST', '/v1/events', { type: 'EVENT', action: 'STARTED', entity_ids: ['e1'], data: { seats: 3 } });
        assert.equal(pub.status, 202, pub.text);
        for (const [i, r] of receivers.entries()) {
          await r.waitFor(1);
          const got = r.received[0]!;
          assert.equal(got.headers['authorization'], `Bearer u${i}:k${i}`);
          assert.match(String(got.headers['webhook-signature']), /^v1,/);
          const body = JSON.parse(got.body);
          assert.deepEqual(Object.keys(body), ['message_id', 'type', 'status', 'entity_ids', 'timestamp', 'context', 'callback']);
          assert.equal(body.message_id, pub.json.id);
          assert.deepEqual(body.context, { seats: 3 });
        }
        for (const id of ids) {
          // The receiver has answered; the outcome is recorded a moment later, in the worker's next batch.
          const data = await until(async () => {
            const list = await h.api('GET', `/v1/deliveries?endpoint_id=${id}&status=succeeded`);
            return list.json.data.length === 1 ? list.json.data : null;
          });
          const d = await h.api('GET', `/v1/deliveries/${data[0].id}`);
          assert.equal(d.json.attempts.length, 1);
          assert.equal(d.json.attempts[0].status_code, 200);
          const logged = Object.entries(d.json.attempts[0].request.headers as Record<string, string>).find(([k]) => k.toLowerCase() === 'authorization');
          assert.deepEqual(logged?.[1], 'Bearer ****', 'the credential is masked in the log');
        }
      } finally {
        for (const r of receivers) await r.close();
        await h.stop();
      }
    });
  }

  it('a value that is not a count from 0 to 16 stops start-up, naming the variable', () => {
    for (const bad of ['-1', 'two', '17', '1.5']) {
      assert.throws(() => loadConfig({ HERALD_SEND_THREADS: bad }), (e: Error) => e.message.includes('HERALD_SEND_THREADS'), bad);
    }
    assert.equal(loadConfig({ HERALD_SEND_THREADS: '0' }).sendThreads, 0);
    assert.equal(loadConfig({}).sendThreads, 1);
  });
});

describe('bytes handed to a send thread', () => {
  it('are bounded: past the bound jobs wait, oldest first, and every one is sent', { timeout: 20_000 }, async () => {
    // Answers are held until released, so the receiver sees exactly what the thread was handed at once.
    const release: Array<() => void> = [];
    let open = 0;
    let mostOpen = 0;
    const r = await startReceiver(async () => {
      open++;
      mostOpen = Math.max(mostOpen, open);
      await new Promise<void>((resolve) => release.push(resolve));
      open--;
      return { status: 200 };
    });
    const threads = await startSendThreads(
      { allowPrivateNetworks: 'true', connectTimeoutMs: 2000, requestTimeoutMs: 10_000, callbackUrl: 'http://localhost/v1/incoming', schedule: [1000] },
      1,
      pino({ level: 'silent' }),
      undefined,
      1000,
    );
    try {
      // 400 bytes each against a bound of 1,000: two at a time. A job larger than the bound still goes alone.
      const sizes = [400, 400, 400, 400, 5000, 400];
      const outcomes = Promise.all(sizes.map((bytes, i) => threads.runAttempt(attemptJob(`d${i}`, r.url, bytes))));
      let sent = 0;
      for (const expected of [2, 2, 1, 1]) {
        await until(async () => release.length >= expected, 10_000, `${expected} requests held at the receiver`);
        // Time for one more to arrive, were the thread handed more than the bound.
        await new Promise((res) => setTimeout(res, 200));
        assert.equal(r.received.length - sent, expected, `after ${sent} answered`);
        const held = release.splice(0);
        sent += held.length;
        for (const go of held) go();
      }
      const done = await outcomes;
      assert.deepEqual(done.map((o) => o.status), sizes.map(() => 'succeeded'));
      assert.deepEqual(r.received.map((x) => JSON.parse(x.body).message_id), sizes.map((_, i) => `msg_d${i}`), 'in the order they came');
      assert.equal(mostOpen, 2, 'never more than the bound allows in the thread at once');
    } finally {
      for (const go of release) go();
      await threads.close();
      await r.close();
    }
  });
});
