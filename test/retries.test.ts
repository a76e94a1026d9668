import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DIALECTS, skipFor } from './helpers/databases.js';
import { startTestHerald, until } from './helpers/herald.js';
import { startReceiver } from './helpers/receiver.js';

for (const dialect of DIALECTS) {
  describe(`retries (${dialect})`, { skip: skipFor(dialect) }, () => {
    it('a receiver that fails twice then answers 200 gets three attempts with the same message_id', async () => {
      const h = await startTestHerald(dialect);
      const r = await startReceiver((_req, i) => (i < 2 ? { status: 500, body: `boom ${i}` } : { status: 200 }));
      try {
        const ep = await h.api('POST', '/v1/endpoints', { name: 'flaky', url: r.url, format: 'strigo' });
        await h.api('POST', '/v1/subscriptions', { endpoint_id: ep.json.id, events: ['ONDEMAND_ENROLLMENT/STARTED'] });
        const pub = await h.api('POST', '/v1/events', { type: 'ONDEMAND_ENROLLMENT', action: 'STARTED', entity_ids: ['enr_1'] });
        await r.waitFor(3);
        const ids = r.received.map((x) => JSON.parse(x.body).message_id);
        assert.deepEqual(ids, [pub.json.id, pub.json.id, pub.json.id]);
        assert.deepEqual(r.received.map((x) => x.headers['webhook-id']), [pub.json.id, pub.json.id, pub.json.id]);
        const d = await until(async () => {
          const m = await h.api('GET', `/v1/messages/${pub.json.id}`);
          return m.json.deliveries[0].status === 'succeeded' ? m.json.deliveries[0] : null;
        });
        const full = await h.api('GET', `/v1/deliveries/${d.id}`);
        assert.deepEqual(full.json.attempts.map((a: any) => a.status_code), [500, 500, 200]);
        assert.equal(full.json.attempts[0].response_body, 'boom 0');
        assert.equal(full.json.attempts[0].error_class, 'http');
        assert.ok(full.json.attempts.every((a: any) => typeof a.duration_ms === 'number' && a.at));
        assert.equal(full.json.next_attempt_at, null);
        assert.equal(full.json.last_error, null);
      } finally {
        await r.close();
        await h.stop();
      }
    });

    it('one that always fails ends in the failed list with the status it answered', async () => {
      const h = await startTestHerald(dialect);
      const r = await startReceiver(() => ({ status: 503, body: 'maintenance' }));
      try {
        const ep = await h.api('POST', '/v1/endpoints', { name: 'down', url: r.url, format: 'strigo' });
        await h.api('POST', '/v1/subscriptions', { endpoint_id: ep.json.id, events: ['*'] });
        const pub = await h.api('POST', '/v1/events', { type: 'CLASS', action: 'DELETED', entity_ids: ['c1'] });
        const failed = await until(async () => {
          const list = await h.api('GET', '/v1/deliveries?status=failed');
          return list.json.data.length > 0 ? list.json.data : null;
        });
        assert.equal(failed.length, 1);
        assert.equal(failed[0].message_id, pub.json.id);
        assert.equal(failed[0].event, 'CLASS/DELETED');
        assert.equal(failed[0].last_status_code, 503);
        assert.equal(failed[0].last_error, 'HTTP 503: maintenance');
        assert.equal(failed[0].attempts.length, 4, 'a schedule of three waits allows four attempts');
        assert.equal(r.received.length, 4);

        // An operator retries it by hand: it is sent again at once.
        const retried = await h.api('POST', `/v1/deliveries/${failed[0].id}/retry`);
        assert.equal(retried.status, 200);
        await r.waitFor(5);
      } finally {
        await r.close();
        await h.stop();
      }
    });
  });
}
