import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DIALECTS, skipFor } from './helpers/databases.js';
import { startTestHerald, TEST_TOKEN, until } from './helpers/herald.js';
import { startReceiver } from './helpers/receiver.js';
import { openSse } from './helpers/sse.js';

const ENTITIES = ['enr_roundtrip_a', 'enr_roundtrip_b'];

const created = (messageId: string) => ({
  source_message_id: messageId,
  type: 'RESOURCE',
  action: 'CREATED',
  data: {
    resources: [
      { id: 'vm-server', type: 'VM', name: 'server', data: { status: 'STARTING' } },
      { id: 'vm-client', type: 'VM', name: 'client', status: 'PREPARING' },
    ],
    interfaces: [],
  },
});

const updated = (messageId: string) => ({
  source_message_id: messageId,
  type: 'RESOURCE',
  status: 'UPDATED',
  data: {
    resources: [{ id: 'vm-server', type: 'VM', status: 'READY', config: { ip: '10.0.0.5' } }],
    interfaces: [{ type: 'TERMINAL', resource_id: 'vm-server', config: { url: 'wss://labs.example/t/1' } }],
  },
});

function statusOf(view: any, resourceId: string): string | undefined {
  return view.resources.find((r: any) => r.id === resourceId)?.status;
}

for (const dialect of DIALECTS) {
  describe(`incoming round trip (${dialect})`, { skip: skipFor(dialect) }, () => {
    it('a backend answers ONDEMAND_ENROLLMENT/STARTED on its callback; the entities and a stream watcher see CREATED then UPDATED', async () => {
      let credentials = { user: '', key: '' };
      const answers: Array<{ status: number; json: any }> = [];
      // The backend builds the lab while Herald waits for its answer: the callback arrives before Herald has
      // recorded the delivery's 2xx, which correlation must accept.
      const backend = await startReceiver(async (req, index) => {
        if (index > 0) return { status: 200 };
        const envelope = JSON.parse(req.body);
        for (const body of [created(envelope.message_id), updated(envelope.message_id)]) {
          const res = await fetch(envelope.callback, {
            method: 'POST',
            headers: { authorization: `Bearer ${credentials.user}:${credentials.key}`, 'content-type': 'application/json' },
            body: JSON.stringify(body),
          });
          answers.push({ status: res.status, json: await res.json() });
        }
        return { status: 200 };
      });
      const t = await startTestHerald(dialect);
      try {
        const ep = await t.api('POST', '/v1/endpoints', { name: 'lab backend', url: backend.url, format: 'strigo' });
        assert.equal(ep.status, 201, ep.text);
        credentials = { user: ep.json.callback.user, key: ep.json.callback.key };
        assert.equal(ep.json.callback.url, `${t.herald.config.publicUrl}/v1/incoming`);
        const sub = await t.api('POST', '/v1/subscriptions', { endpoint_id: ep.json.id, events: ['ONDEMAND_ENROLLMENT/*'] });
        assert.equal(sub.status, 201, sub.text);

        const watcher = await openSse(`${t.url}/v1/entities/${ENTITIES[0]}/stream?token=${TEST_TOKEN}`);
        assert.equal(watcher.status, 200);
        assert.match(watcher.headers.get('content-type') ?? '', /^text\/event-stream/);
        await watcher.waitFor(1);
        assert.equal(watcher.events[0]!.id, '0');
        assert.deepEqual(JSON.parse(watcher.events[0]!.data), { id: ENTITIES[0], resources: [], interfaces: [], updated_at: null });

        const published = await t.api('POST', '/v1/events', { type: 'ONDEMAND_ENROLLMENT', action: 'STARTED', entity_ids: ENTITIES });
        assert.equal(published.status, 202, published.text);
        const messageId = published.json.id;
        await until(async () => answers.length === 2, 10_000, 'both callbacks answered');

        assert.deepEqual(answers.map((a) => a.status), [200, 200]);
        assert.deepEqual(answers.map((a) => a.json.outcome), ['applied', 'applied']);
        assert.deepEqual(answers[0]!.json.entities, ENTITIES);
        assert.match(answers[0]!.json.id, /^in_/);

        for (const entityId of ENTITIES) {
          const entity = await t.api('GET', `/v1/entities/${entityId}`);
          assert.equal(entity.status, 200, entity.text);
          assert.equal(entity.json.id, entityId);
          assert.deepEqual(
            entity.json.resources.map((r: any) => [r.id, r.type, r.name, r.status]),
            [
              ['vm-client', 'VM', 'client', 'PREPARING'],
              ['vm-server', 'VM', 'server', 'READY'],
            ],
          );
          assert.deepEqual(entity.json.resources[1].config, { ip: '10.0.0.5' });
          assert.deepEqual(entity.json.interfaces, [
            { type: 'TERMINAL', resource_id: 'vm-server', name: null, config: { url: 'wss://labs.example/t/1' } },
          ]);
          assert.ok(!Number.isNaN(Date.parse(entity.json.updated_at)));
        }

        await watcher.waitFor(3);
        const [, first, second] = watcher.events;
        assert.equal(first!.event, 'state');
        assert.ok(Number(first!.id) > 0 && Number(second!.id) > Number(first!.id), 'seqs increase');
        assert.equal(statusOf(JSON.parse(first!.data), 'vm-server'), 'STARTING');
        assert.equal(statusOf(JSON.parse(second!.data), 'vm-server'), 'READY');
        // The last streamed state is exactly what GET shows.
        assert.equal(second!.data, (await t.api('GET', `/v1/entities/${ENTITIES[0]}`)).text);
        watcher.close();

        // Resuming after the first change replays only the second, then carries on live.
        const resumed = await openSse(`${t.url}/v1/entities/${ENTITIES[0]}/stream`, {
          authorization: `Bearer ${TEST_TOKEN}`,
          'last-event-id': first!.id!,
        });
        await resumed.waitFor(1);
        assert.equal(resumed.events[0]!.id, second!.id);
        assert.equal(resumed.events[0]!.data, second!.data);
        const stopped = {
          source_message_id: messageId,
          type: 'RESOURCE',
          action: 'UPDATED',
          data: { resources: [{ id: 'vm-client', type: 'VM', status: 'STOPPED' }] },
        };
        const third = await fetch(`${t.url}/v1/incoming`, {
          method: 'POST',
          headers: { authorization: `Bearer ${credentials.user}:${credentials.key}`, 'content-type': 'application/json' },
          body: JSON.stringify(stopped),
        });
        assert.equal(third.status, 200);
        await resumed.waitFor(2);
        assert.equal(resumed.events.length, 2);
        assert.ok(Number(resumed.events[1]!.id) > Number(second!.id));
        assert.equal(statusOf(JSON.parse(resumed.events[1]!.data), 'vm-client'), 'STOPPED');
        resumed.close();

        const log = await t.api('GET', `/v1/incoming?source_message_id=${messageId}`);
        assert.equal(log.status, 200);
        assert.deepEqual(log.json.data.map((r: any) => [r.action, r.outcome, r.status_code]), [
          ['UPDATED', 'applied', 200],
          ['UPDATED', 'applied', 200],
          ['CREATED', 'applied', 200],
        ]);
        assert.equal(log.json.data[2].endpoint_id, ep.json.id);
      } finally {
        await t.stop();
        await backend.close();
      }
    });

    it('a stream with a wrong or missing token is a 401; the server closes open streams when it stops', async () => {
      const t = await startTestHerald(dialect);
      let stopped = false;
      try {
        assert.equal((await fetch(`${t.url}/v1/entities/x/stream`)).status, 401);
        assert.equal((await fetch(`${t.url}/v1/entities/x/stream?token=wrong-token-000000000`)).status, 401);
        assert.equal((await t.api('GET', '/v1/entities/never-reported')).status, 404);
        const watcher = await openSse(`${t.url}/v1/entities/x/stream?token=${TEST_TOKEN}`);
        await watcher.waitFor(1);
        const started = Date.now();
        await t.stop();
        stopped = true;
        await watcher.ended;
        assert.ok(Date.now() - started < 3000, `close took ${Date.now() - started} ms`);
      } finally {
        if (!stopped) await t.stop();
      }
    });
  });
}
