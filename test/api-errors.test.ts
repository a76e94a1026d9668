import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DIALECTS, skipFor } from './helpers/databases.js';
import { startTestHerald } from './helpers/herald.js';

async function counts(h: Awaited<ReturnType<typeof startTestHerald>>) {
  const db = h.herald.ctx.store.db;
  const n = async (table: 'messages' | 'deliveries' | 'endpoints' | 'subscriptions' | 'event_types') =>
    Number((await db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
  return { messages: await n('messages'), deliveries: await n('deliveries'), endpoints: await n('endpoints'), subscriptions: await n('subscriptions'), event_types: await n('event_types') };
}

for (const dialect of DIALECTS) {
  describe(`API errors store nothing (${dialect})`, { skip: skipFor(dialect) }, () => {
    it('malformed JSON is a 400 with the position, a wrong token 401, an unknown action a 422 naming the allowed ones', async () => {
      const h = await startTestHerald(dialect);
      try {
        const ep = await h.api('POST', '/v1/endpoints', { name: 'lab', url: 'http://127.0.0.1:9/hook', format: 'strigo' });
        await h.api('POST', '/v1/subscriptions', { endpoint_id: ep.json.id, events: ['*'] });
        const before = await counts(h);

        const malformed = await h.api('POST', '/v1/events', '{"type": "CLASS", "action": }');
        assert.equal(malformed.status, 400);
        assert.equal(malformed.json.error.code, 'malformed_json');
        assert.match(malformed.json.error.message, /position \d+/);

        const noToken = await h.api('POST', '/v1/events', { type: 'CLASS', action: 'CREATED' }, { authorization: '' });
        assert.equal(noToken.status, 401);
        const wrong = await h.api('POST', '/v1/events', { type: 'CLASS', action: 'CREATED' }, { authorization: 'Bearer not-the-token' });
        assert.equal(wrong.status, 401);
        assert.equal(wrong.json.error.code, 'unauthorized');

        const unknownAction = await h.api('POST', '/v1/events', { type: 'ONDEMAND_ENROLLMENT', action: 'EXPLODED' });
        assert.equal(unknownAction.status, 422);
        const detail = unknownAction.json.error.details[0];
        assert.equal(detail.path, '/action');
        assert.deepEqual(detail.allowed, ['CREATED', 'STARTED', 'FINISHED', 'EXPIRED', 'STOPPED', 'RESUMED']);

        const unknownType = await h.api('POST', '/v1/events', { type: 'SPACESHIP', action: 'LAUNCHED' });
        assert.equal(unknownType.status, 422);
        assert.equal(unknownType.json.error.details[0].path, '/type');
        assert.ok(unknownType.json.error.details[0].allowed.includes('ONDEMAND_ENROLLMENT'));

        // One bad event in a batch refuses the whole batch: nothing half-stored.
        const batch = await h.api('POST', '/v1/events', { events: [{ type: 'CLASS', action: 'CREATED' }, { type: 'CLASS', action: 'NOPE' }] });
        assert.equal(batch.status, 422);
        assert.equal(batch.json.error.details[0].path, '/events/1/action');

        const wrongTypes = await h.api('POST', '/v1/events', { type: 'CLASS', action: 'CREATED', entity_ids: 'c1', extra: true });
        assert.equal(wrongTypes.status, 422);
        const paths = wrongTypes.json.error.details.map((d: any) => d.path).sort();
        assert.deepEqual(paths, ['/entity_ids', '/extra']);

        const text = await h.api('POST', '/v1/events', 'type=CLASS', { 'content-type': 'text/plain' });
        assert.equal(text.status, 415);

        const badFormat = await h.api('POST', '/v1/endpoints', { name: 'x', url: 'http://127.0.0.1:9/', format: 'slack' });
        assert.equal(badFormat.status, 422);
        assert.deepEqual(badFormat.json.error.details[0].allowed, ['strigo', 'cloudpods', 'standard']);

        const badPattern = await h.api('POST', '/v1/subscriptions', { endpoint_id: ep.json.id, events: ['ONDEMAND ENROLLMENT/*'] });
        assert.equal(badPattern.status, 422);
        assert.equal(badPattern.json.error.details[0].path, '/events/0');

        const missing = await h.api('GET', '/v1/deliveries/dlv_nope');
        assert.equal(missing.status, 404);
        const badSince = await h.api('GET', '/v1/deliveries?since=yesterday');
        assert.equal(badSince.status, 422);
        assert.equal(badSince.json.error.details[0].path, '/since');
        const badLimit = await h.api('GET', '/v1/deliveries?limit=0');
        assert.equal(badLimit.status, 422);

        assert.deepEqual(await counts(h), before, 'no refused request stored anything');
      } finally {
        await h.stop();
      }
    });

    it('custom event types validate data against their JSON Schema', async () => {
      const h = await startTestHerald(dialect);
      try {
        const created = await h.api('POST', '/v1/event-types', {
          type: 'invoice',
          actions: ['paid', 'voided'],
          schema: { type: 'object', required: ['amount'], properties: { amount: { type: 'number' }, currency: { enum: ['EUR', 'USD'] } } },
        });
        assert.equal(created.status, 201, created.text);
        assert.equal(created.json.type, 'INVOICE');
        const list = await h.api('GET', '/v1/event-types');
        assert.ok(list.json.data.some((t: any) => t.type === 'INVOICE' && t.catalog === 'custom'));
        assert.ok(list.json.data.some((t: any) => t.type === 'ONDEMAND_ENROLLMENT' && t.catalog === 'strigo'));
        const bad = await h.api('POST', '/v1/events', { type: 'INVOICE', action: 'PAID', data: { currency: 'GBP' } });
        assert.equal(bad.status, 422);
        const paths = bad.json.error.details.map((d: any) => d.path).sort();
        assert.deepEqual(paths, ['/data', '/data/currency']);
        assert.deepEqual(bad.json.error.details.find((d: any) => d.path === '/data/currency').allowed, ['EUR', 'USD']);
        const ok = await h.api('POST', '/v1/events', { type: 'invoice', action: 'paid', data: { amount: 12.5, currency: 'EUR' } });
        assert.equal(ok.status, 202);
        const again = await h.api('POST', '/v1/event-types', { type: 'INVOICE', actions: ['X'] });
        assert.equal(again.status, 422);
      } finally {
        await h.stop();
      }
    });
  });
}
