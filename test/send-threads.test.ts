import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadConfig } from '../src/config.js';
import { startTestHerald, until } from './helpers/herald.js';
import { startReceiver } from './helpers/receiver.js';

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
