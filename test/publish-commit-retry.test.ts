import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import pg from 'pg';
import { freshDatabase, skipFor } from './helpers/databases.js';
import { startTestHerald } from './helpers/herald.js';
import { startPgProxy } from './helpers/pg-proxy.js';
import { startReceiver } from './helpers/receiver.js';

describe('a publish commit whose answer is lost with its connection (postgres)', { skip: skipFor('postgres') }, () => {
  it('is run again and adds nothing twice: every accepted event is one message, one delivery, sent once', async () => {
    const db = await freshDatabase('postgres');
    const proxy = await startPgProxy(db.databaseUrl!);
    const r = await startReceiver();
    // The API half talks to PostgreSQL through the relay; the worker, started afterwards, directly.
    const h = await startTestHerald('postgres', { HERALD_ROLE: 'api', HERALD_DATABASE_URL: proxy.url }, db);
    const direct = new pg.Client({ connectionString: db.databaseUrl! });
    await direct.connect();
    let worker: Awaited<ReturnType<typeof startTestHerald>> | null = null;
    try {
      const ep = await h.api('POST', '/v1/endpoints', { name: 'lab', url: r.url, format: 'strigo' });
      await h.api('POST', '/v1/subscriptions', { endpoint_id: ep.json.id, events: ['*'] });

      const cut = proxy.cutAfterNextCommit();
      const events = [
        ...Array.from({ length: 16 }, (_, i) => ({ type: 'CLASS', action: 'CREATED', entity_ids: [`cls_${i}`] })),
        ...Array.from({ length: 3 }, (_, i) => ({ type: 'ONDEMAND_ENROLLMENT', action: 'EXPIRED', entity_ids: [`enr_${i}`], coalesce_ms: 1000 })),
        { type: 'CLASS', action: 'DELETED', entity_ids: ['cls_keyed'], idempotency_key: 'order-7' },
      ];
      const answers = await Promise.all(events.map((ev) => h.api('POST', '/v1/events', ev)));
      await cut;
      assert.deepEqual(answers.map((a) => a.status), events.map(() => 202));
      const ids = [...new Set(answers.map((a) => a.json.id as string))].sort();
      // 16 plain events, one coalesced message, one keyed event.
      assert.equal(ids.length, 18);

      const messages = await direct.query('select id, entity_ids from messages order by id');
      assert.deepEqual(messages.rows.map((m) => m.id), ids, 'no message was stored twice');
      const coalesced = messages.rows.find((m) => m.id === answers[16]!.json.id);
      assert.deepEqual(JSON.parse(coalesced.entity_ids), ['enr_0', 'enr_1', 'enr_2']);
      const deliveries = await direct.query('select message_id from deliveries order by message_id');
      assert.deepEqual(deliveries.rows.map((d) => d.message_id), ids, 'one delivery per message');
      const keyed = await direct.query('select message_id from idempotency');
      assert.deepEqual(keyed.rows.map((k) => k.message_id), [answers[19]!.json.id]);

      worker = await startTestHerald('postgres', { HERALD_ROLE: 'worker' }, db);
      await r.waitFor(18, 15_000);
      await new Promise((res) => setTimeout(res, 500));
      assert.deepEqual(r.received.map((x) => JSON.parse(x.body).message_id).sort(), ids, 'each message sent once');
    } finally {
      await direct.end();
      await worker?.herald.close();
      await h.herald.close();
      await proxy.close();
      await r.close();
      await db.drop();
    }
  });
});
