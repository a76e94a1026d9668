import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import pino from 'pino';
import type { AttemptJob } from '../src/delivery/attempt.js';
import { startSendThreads } from '../src/delivery/send-threads.js';
import { startReceiver } from './helpers/receiver.js';

function job(deliveryId: string, url: string): AttemptJob {
  return {
    deliveryId,
    attemptsMade: 0,
    message: {
      id: `msg_${deliveryId}`,
      tenant: 'default',
      type: 'EVENT',
      action: 'STARTED',
      result: 'succeed',
      entityIds: ['e1'],
      dataJson: '{}',
      timestamp: new Date().toISOString(),
    },
    messageBytes: 100,
    endpoint: { id: 'ep_1', format: 'strigo', url, auth: null, secrets: [], headers: {}, bodyJson: '{}', msgKey: 'Msg', lang: 'en', useTemplate: false },
    templates: null,
  };
}

describe('a send thread that dies', () => {
  it('answers its attempts as failed sends to be retried, and is replaced by one that delivers', { timeout: 20_000 }, async () => {
    const r = await startReceiver();
    const threads = await startSendThreads(
      { allowPrivateNetworks: 'true', connectTimeoutMs: 2000, requestTimeoutMs: 2000, callbackUrl: 'http://localhost/v1/incoming', schedule: [1000] },
      1,
      pino({ level: 'silent' }),
      new URL('./fixtures/crashing-send-thread.ts', import.meta.url),
    );
    try {
      // Posted in one turn, these travel in one batch: the thread dies with all three in hand.
      const lost = await Promise.all(['a', 'crash', 'b'].map((id) => threads.runAttempt(job(id, r.url))));
      for (const o of lost) {
        assert.equal(o.status, 'pending', `${o.deliveryId} is retried`);
        assert.equal(o.attempt.error_class, 'network');
        assert.match(String(o.attempt.error), /send thread stopped/);
        assert.ok(o.nextAttemptAt! > Date.now(), 'at the next step of the schedule');
      }
      const after = await threads.runAttempt(job('c', r.url));
      assert.equal(after.status, 'succeeded', JSON.stringify(after));
      assert.equal(after.attempt.status_code, 200);
      await r.waitFor(1);
      assert.equal(JSON.parse(r.received[0]!.body).message_id, 'msg_c');
    } finally {
      await threads.close();
      await r.close();
    }
  });
});
