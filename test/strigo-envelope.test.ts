import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DIALECTS, skipFor } from './helpers/databases.js';
import { startTestHerald, until } from './helpers/herald.js';
import { startReceiver } from './helpers/receiver.js';

for (const dialect of DIALECTS) {
  describe(`strigo envelope (${dialect})`, { skip: skipFor(dialect) }, () => {
    it('arrives with exactly the seed keys, values and Authorization header', async () => {
      const h = await startTestHerald(dialect);
      const r = await startReceiver();
      try {
        const ep = await h.api('POST', '/v1/endpoints', {
          name: 'training backend',
          url: r.url,
          format: 'strigo',
          auth: { user: 'ORG_BACKEND_USER', key: 'ORG_BACKEND_KEY' },
          secret: null,
        });
        assert.equal(ep.status, 201, ep.text);
        const sub = await h.api('POST', '/v1/subscriptions', { endpoint_id: ep.json.id, events: ['EVENT/*'] });
        assert.equal(sub.status, 201, sub.text);
        const before = Date.now();
        const pub = await h.api('POST', '/v1/events', { type: 'EVENT', action: 'STARTED', entity_ids: ['daf24556'], data: { region: 'eu', seats: 12 } });
        assert.equal(pub.status, 202, pub.text);
        assert.match(pub.json.id, /^msg_/);
        assert.equal(pub.json.deliveries, 1);
        await r.waitFor(1);
        const got = r.received[0]!;

        assert.equal(got.method, 'POST');
        assert.equal(got.url, '/hook');
        assert.equal(got.headers['content-type'], 'application/json');
        assert.equal(got.headers['accept'], 'application/json');
        assert.equal(got.headers['authorization'], 'Bearer ORG_BACKEND_USER:ORG_BACKEND_KEY');
        assert.equal(got.headers['webhook-signature'], undefined, 'no secret, no signature');

        const body = JSON.parse(got.body);
        assert.deepEqual(Object.keys(body), ['message_id', 'type', 'status', 'entity_ids', 'timestamp', 'context', 'callback']);
        const ts = Date.parse(body.timestamp);
        assert.ok(ts >= before - 1000 && ts <= Date.now(), 'timestamp is the acceptance time');
        const expected =
          `{"message_id":"${pub.json.id}","type":"EVENT","status":"STARTED","entity_ids":["daf24556"],` +
          `"timestamp":"${body.timestamp}","context":{"region":"eu","seats":12},"callback":"${h.herald.config.publicUrl}/v1/incoming"}`;
        assert.equal(got.body, expected);
        assert.match(body.timestamp, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/);

        const delivery = await until(async () => {
          const list = await h.api('GET', `/v1/deliveries?endpoint_id=${ep.json.id}`);
          return list.json.data[0]?.status === 'succeeded' ? list.json.data[0] : null;
        });
        assert.equal(delivery.attempts.length, 1);
        assert.equal(delivery.attempts[0].status_code, 200);
        const full = await h.api('GET', `/v1/deliveries/${delivery.id}`);
        const logged = Object.entries(full.json.attempts[0].request.headers as Record<string, string>).find(([k]) => k.toLowerCase() === 'authorization');
        assert.deepEqual(logged?.[1], 'Bearer ****', 'credentials are masked in the log');
        assert.ok(!full.text.includes('ORG_BACKEND_KEY'));
      } finally {
        await r.close();
        await h.stop();
      }
    });

    it('goes only to matching subscriptions of the same tenant, and never to disabled endpoints', async () => {
      const h = await startTestHerald(dialect);
      const a = await startReceiver();
      const b = await startReceiver();
      try {
        const epA = await h.api('POST', '/v1/endpoints', { name: 'a', url: a.url, format: 'strigo', tenant: 'acme' });
        const epB = await h.api('POST', '/v1/endpoints', { name: 'b', url: b.url, format: 'strigo', tenant: 'globex' });
        await h.api('POST', '/v1/subscriptions', { endpoint_id: epA.json.id, events: ['*/EXPIRED'] });
        await h.api('POST', '/v1/subscriptions', { endpoint_id: epB.json.id, events: ['*'] });
        const p1 = await h.api('POST', '/v1/events', { type: 'ONDEMAND_ENROLLMENT', action: 'EXPIRED', tenant: 'acme', entity_ids: ['e1'] });
        const p2 = await h.api('POST', '/v1/events', { type: 'ONDEMAND_ENROLLMENT', action: 'STARTED', tenant: 'acme', entity_ids: ['e2'] });
        assert.equal(p1.json.deliveries, 1);
        assert.equal(p2.json.deliveries, 0);
        await a.waitFor(1);
        assert.equal(JSON.parse(a.received[0]!.body).entity_ids[0], 'e1');
        await h.api('POST', `/v1/endpoints/${epB.json.id}/disable`);
        const p3 = await h.api('POST', '/v1/events', { type: 'CLASS', action: 'CREATED', tenant: 'globex' });
        assert.equal(p3.json.deliveries, 0, 'disabled endpoint gets nothing');
        const msg = await h.api('GET', `/v1/messages/${p3.json.id}`);
        assert.equal(msg.json.deliveries[0].status, 'skipped');
        assert.equal(msg.json.deliveries[0].last_error, 'endpoint disabled');
        await new Promise((r) => setTimeout(r, 300));
        assert.equal(b.received.length, 0);
        assert.equal(a.received.length, 1);
      } finally {
        await a.close();
        await b.close();
        await h.stop();
      }
    });
  });
}
