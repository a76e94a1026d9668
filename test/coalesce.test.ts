import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DIALECTS, skipFor } from './helpers/databases.js';
import { startTestHerald } from './helpers/herald.js';
import { startReceiver } from './helpers/receiver.js';
import { freshDatabase } from './helpers/databases.js';
import { api, spawnHerald } from './helpers/spawn-herald.js';

for (const dialect of DIALECTS) {
  describe(`coalescing and idempotency (${dialect})`, { skip: skipFor(dialect) }, () => {
    it('three EXPIRED events inside the window arrive as one message with three entity ids', async () => {
      const h = await startTestHerald(dialect);
      const r = await startReceiver();
      try {
        const ep = await h.api('POST', '/v1/endpoints', { name: 'lab', url: r.url, format: 'strigo' });
        await h.api('POST', '/v1/subscriptions', { endpoint_id: ep.json.id, events: ['ONDEMAND_ENROLLMENT/*'] });
        const ids: string[] = [];
        for (const e of ['enr_a', 'enr_b', 'enr_c']) {
          const p = await h.api('POST', '/v1/events', { type: 'ONDEMAND_ENROLLMENT', action: 'EXPIRED', entity_ids: [e], coalesce_ms: 800 });
          assert.equal(p.status, 202);
          ids.push(p.json.id);
        }
        assert.equal(new Set(ids).size, 1, 'all three joined one message');
        // A different action does not join the window.
        const other = await h.api('POST', '/v1/events', { type: 'ONDEMAND_ENROLLMENT', action: 'FINISHED', entity_ids: ['enr_d'], coalesce_ms: 800 });
        assert.notEqual(other.json.id, ids[0]);
        await r.waitFor(2);
        await new Promise((res) => setTimeout(res, 300));
        assert.equal(r.received.length, 2);
        const expired = r.received.map((x) => JSON.parse(x.body)).find((b) => b.status === 'EXPIRED');
        assert.deepEqual(expired.entity_ids, ['enr_a', 'enr_b', 'enr_c']);
        assert.equal(expired.message_id, ids[0]);
      } finally {
        await r.close();
        await h.stop();
      }
    });

    it('events of different projects do not join: each project\'s subscriber gets its own entity ids', async () => {
      const h = await startTestHerald(dialect);
      const a = await startReceiver();
      const b = await startReceiver();
      try {
        for (const [r, project] of [[a, 'proj-a'], [b, 'proj-b']] as const) {
          const ep = await h.api('POST', '/v1/endpoints', { name: project, url: r.url, format: 'strigo' });
          await h.api('POST', '/v1/subscriptions', { endpoint_id: ep.json.id, events: ['ONDEMAND_ENROLLMENT/*'], scope: { resource_scope: 'project', attribution_id: project } });
        }
        const pa = await h.api('POST', '/v1/events', { type: 'ONDEMAND_ENROLLMENT', action: 'EXPIRED', entity_ids: ['enr-a'], scope: { project_id: 'proj-a' }, coalesce_ms: 600 });
        const pb = await h.api('POST', '/v1/events', { type: 'ONDEMAND_ENROLLMENT', action: 'EXPIRED', entity_ids: ['enr-b'], scope: { project_id: 'proj-b' }, coalesce_ms: 600 });
        // Another domain with the same project id is another scope too.
        const pc = await h.api('POST', '/v1/events', { type: 'ONDEMAND_ENROLLMENT', action: 'EXPIRED', entity_ids: ['enr-c'], scope: { domain_id: 'dom-2', project_id: 'proj-a' }, coalesce_ms: 600 });
        const pa2 = await h.api('POST', '/v1/events', { type: 'ONDEMAND_ENROLLMENT', action: 'EXPIRED', entity_ids: ['enr-a2'], scope: { project_id: 'proj-a' }, coalesce_ms: 600 });
        assert.deepEqual([pa.json.deliveries, pb.json.deliveries, pc.json.deliveries, pa2.json.deliveries], [1, 1, 1, 1]);
        assert.equal(new Set([pa.json.id, pb.json.id, pc.json.id]).size, 3, 'three scopes, three messages');
        assert.equal(pa2.json.id, pa.json.id, 'the same scope joins');
        await a.waitFor(2);
        await b.waitFor(1);
        await new Promise((res) => setTimeout(res, 300));
        const got = (r: typeof a) => r.received.map((x) => JSON.parse(x.body)).map((m) => [m.message_id, m.entity_ids]);
        assert.deepEqual(
          got(a).sort(),
          [
            [pa.json.id, ['enr-a', 'enr-a2']],
            [pc.json.id, ['enr-c']],
          ].sort(),
        );
        assert.deepEqual(got(b), [[pb.json.id, ['enr-b']]]);
      } finally {
        await a.close();
        await b.close();
        await h.stop();
      }
    });

    it('events with different data do not join, so no event\'s data is lost; equal data in another key order joins', async () => {
      const h = await startTestHerald(dialect);
      const r = await startReceiver();
      try {
        const ep = await h.api('POST', '/v1/endpoints', { name: 'lab', url: r.url, format: 'strigo' });
        await h.api('POST', '/v1/subscriptions', { endpoint_id: ep.json.id, events: ['ONDEMAND_ENROLLMENT/*'] });
        const publish = (id: string, data: unknown) =>
          h.api('POST', '/v1/events', { type: 'ONDEMAND_ENROLLMENT', action: 'EXPIRED', entity_ids: [id], data, coalesce_ms: 600 });
        const first = await publish('enr_1', { course: 'k8s', reason: { code: 1, text: 'ended' } });
        const second = await publish('enr_2', { course: 'aws', reason: { code: 1, text: 'ended' } });
        const third = await publish('enr_3', { reason: { text: 'ended', code: 1 }, course: 'k8s' });
        assert.notEqual(second.json.id, first.json.id);
        assert.equal(third.json.id, first.json.id);
        await r.waitFor(2);
        await new Promise((res) => setTimeout(res, 300));
        const bodies = r.received.map((x) => JSON.parse(x.body));
        const byId = new Map(bodies.map((m) => [m.message_id, m]));
        assert.equal(bodies.length, 2);
        assert.deepEqual(byId.get(first.json.id).entity_ids, ['enr_1', 'enr_3']);
        assert.deepEqual(byId.get(first.json.id).context, { course: 'k8s', reason: { code: 1, text: 'ended' } });
        assert.deepEqual(byId.get(second.json.id).entity_ids, ['enr_2']);
        assert.deepEqual(byId.get(second.json.id).context, { course: 'aws', reason: { code: 1, text: 'ended' } });
      } finally {
        await r.close();
        await h.stop();
      }
    });

    it('the same idempotency key returns the same message and sends once', async () => {
      const h = await startTestHerald(dialect);
      const r = await startReceiver();
      try {
        const ep = await h.api('POST', '/v1/endpoints', { name: 'lab', url: r.url, format: 'strigo' });
        await h.api('POST', '/v1/subscriptions', { endpoint_id: ep.json.id, events: ['*'] });
        const ev = { type: 'CLASS', action: 'CREATED', entity_ids: ['cls_1'], idempotency_key: 'order-42' };
        const a = await h.api('POST', '/v1/events', ev);
        const b = await h.api('POST', '/v1/events', ev);
        const batch = await h.api('POST', '/v1/events', { events: [ev, { ...ev, idempotency_key: 'order-43' }] });
        assert.equal(a.json.id, b.json.id);
        assert.equal(batch.status, 202);
        assert.equal(batch.json.data[0].id, a.json.id);
        assert.notEqual(batch.json.data[1].id, a.json.id);
        await r.waitFor(2);
        await new Promise((res) => setTimeout(res, 300));
        assert.equal(r.received.length, 2);
      } finally {
        await r.close();
        await h.stop();
      }
    });
  });
}

describe('coalescing with two API processes on one PostgreSQL database', { skip: skipFor('postgres') }, () => {
  it('400 coalescing events published at once over four projects: every entity id arrives exactly once, in its own project', async () => {
    const db = await freshDatabase('postgres');
    const projects = ['proj-a', 'proj-b', 'proj-c', 'proj-d'];
    const receivers = await Promise.all(projects.map(() => startReceiver()));
    const env = { HERALD_DATA_DIR: db.dataDir, HERALD_DATABASE_URL: db.databaseUrl!, HERALD_RETRY_SCHEDULE: '200ms,200ms,200ms' };
    const procs = [await spawnHerald(env), await spawnHerald(env)];
    try {
      for (const [i, project] of projects.entries()) {
        const ep = await api(procs[0]!.url, 'POST', '/v1/endpoints', { name: project, url: receivers[i]!.url, format: 'strigo' });
        await api(procs[0]!.url, 'POST', '/v1/subscriptions', { endpoint_id: ep.json.id, events: ['ONDEMAND_ENROLLMENT/*'], scope: { resource_scope: 'project', attribution_id: project } });
      }
      // 80 requests of 5 events at once, half to each process; each request names the projects in another order.
      const requests = Array.from({ length: 80 }, (_, i) => Array.from({ length: 5 }, (_, j) => ({ entity: `enr_${i}_${j}`, project: projects[(i + j) % projects.length]! })));
      const sent = requests.flat();
      const replies = await Promise.all(
        requests.map((events, i) =>
          api(procs[i % 2]!.url, 'POST', '/v1/events', {
            events: events.map(({ entity, project }) => ({
              type: 'ONDEMAND_ENROLLMENT',
              action: 'EXPIRED',
              entity_ids: [entity],
              scope: { project_id: project },
              coalesce_ms: 3000,
            })),
          }),
        ),
      );
      assert.deepEqual([...new Set(replies.map((a) => a.status))], [202]);
      const answers = replies.flatMap((r) => r.json.data as { id: string }[]).map((json) => ({ json }));
      const arrived = () => receivers.reduce((n, r) => n + r.received.reduce((m, x) => m + JSON.parse(x.body).entity_ids.length, 0), 0);
      const deadline = Date.now() + 30_000;
      while (arrived() < sent.length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      await new Promise((r) => setTimeout(r, 1000));
      for (const [i, project] of projects.entries()) {
        const messages = receivers[i]!.received.map((x) => JSON.parse(x.body));
        const ids = messages.flatMap((m) => m.entity_ids as string[]);
        const expected = sent.filter((s) => s.project === project).map((s) => s.entity);
        assert.deepEqual([...ids].sort(), [...expected].sort(), `${project}: every entity id of the project exactly once, and no other`);
        assert.equal(new Set(messages.map((m) => m.message_id)).size, messages.length, `${project}: each message delivered once`);
        // The 202s name the messages the receivers got.
        assert.deepEqual(
          [...new Set(answers.filter((_, k) => sent[k]!.project === project).map((a) => a.json.id))].sort(),
          messages.map((m) => m.message_id).sort(),
        );
        console.log(`# ${project}: ${ids.length} entity ids in ${messages.length} message(s)`);
      }
    } finally {
      for (const p of procs) p.child.kill('SIGTERM');
      await Promise.all(procs.map((p) => p.exited));
      await Promise.all(receivers.map((r) => r.close()));
      await db.drop();
    }
  });
});
