import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadConfig } from '../src/config.js';
import { DIALECTS, skipFor } from './helpers/databases.js';
import { startTestHerald, TEST_TOKEN, until, type TestHerald } from './helpers/herald.js';
import { startReceiver, type Receiver } from './helpers/receiver.js';
import { runHerald, spawnHerald } from './helpers/spawn-herald.js';
import { runCli } from './helpers/cli-process.js';


const cli = (h: TestHerald, ...args: string[]) => runCli({ HERALD_URL: h.url, HERALD_TOKEN: TEST_TOKEN }, args);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Arrival {
  messageId: string;
  type: string;
  data: Record<string, any>;
}

/** What a standard-format receiver got, one entry per message (retries of one message count once). */
function arrivals(r: Receiver): Arrival[] {
  const seen = new Map<string, Arrival>();
  for (const req of r.received) {
    const id = String(req.headers['webhook-id']);
    if (!seen.has(id)) {
      const body = JSON.parse(req.body);
      seen.set(id, { messageId: id, type: body.type, data: body.data });
    }
  }
  return [...seen.values()];
}

const ofType = (r: Receiver, type: string) => arrivals(r).filter((a) => a.type === type);
const OPERATIONAL = ['ENDPOINT/*', 'DELIVERY/*'];

async function endpoint(h: TestHerald, name: string, url: string, tenant: string, events: string[]): Promise<string> {
  const ep = await h.api('POST', '/v1/endpoints', { name, url, format: 'standard', tenant });
  assert.equal(ep.status, 201, ep.text);
  const sub = await h.api('POST', '/v1/subscriptions', { endpoint_id: ep.json.id, events });
  assert.equal(sub.status, 201, sub.text);
  return ep.json.id;
}

describe('HERALD_FAILING_AFTER', () => {
  it('is validated at start-up with an error naming it', () => {
    for (const bad of ['0', 'five', '-1', '2.5']) {
      assert.throws(() => loadConfig({ HERALD_FAILING_AFTER: bad }), /HERALD_FAILING_AFTER: must be/);
    }
    assert.equal(loadConfig({}).failingAfter, 5);
    assert.equal(loadConfig({ HERALD_FAILING_AFTER: '3' }).failingAfter, 3);
  });

  it('stops a real start-up with exit 78 and a line naming it', async () => {
    const r = await runHerald({ HERALD_FAILING_AFTER: 'often', HERALD_PORT: '0' });
    assert.equal(r.code, 78, r.output);
    assert.match(r.output, /HERALD_FAILING_AFTER: must be an integer between 1 and 1000000, got "often"/);
  });
});

for (const dialect of DIALECTS) {
  describe(`operational events (${dialect})`, { skip: skipFor(dialect) }, () => {
    it('FAILING once per streak, EXHAUSTED with the last status and error, RECOVERED, ENABLED; never about the receiving endpoint', async () => {
      // Five attempts per delivery, FAILING after three in a row.
      const h = await startTestHerald(dialect, { HERALD_FAILING_AFTER: '3', HERALD_RETRY_SCHEDULE: '50ms,50ms,50ms,50ms' });
      let healthy = false;
      const flaky = await startReceiver(() => (healthy ? { status: 200 } : { status: 500, body: 'broken today' }));
      const ops = await startReceiver();
      // Always fails: operational events sent to it must not cause operational events about it (no storm).
      const broken = await startReceiver(() => ({ status: 503, body: 'pager down' }));
      const elsewhere = await startReceiver();
      try {
        // The failing endpoint subscribes to operational events too: it must never get those about itself.
        const flakyId = await endpoint(h, 'lab backend', flaky.url, 'acme', ['CLASS/*', ...OPERATIONAL]);
        const opsId = await endpoint(h, 'acme operators', ops.url, 'acme', OPERATIONAL);
        const brokenId = await endpoint(h, 'broken pager', broken.url, 'acme', OPERATIONAL);
        await endpoint(h, 'other tenant operators', elsewhere.url, 'other', OPERATIONAL);

        const types = await h.api('GET', '/v1/event-types');
        assert.deepEqual(types.json.data.find((t: any) => t.type === 'DELIVERY'), { type: 'DELIVERY', catalog: 'herald', actions: ['EXHAUSTED'], results: ['succeed', 'failed'], schema: null });

        // Streak 1: two events, ten failed attempts.
        for (const n of [1, 2]) assert.equal((await h.api('POST', '/v1/events', { type: 'CLASS', action: 'CREATED', tenant: 'acme', entity_ids: [`c${n}`] })).status, 202);
        await until(async () => ofType(ops, 'DELIVERY.EXHAUSTED').length === 2 && ofType(ops, 'ENDPOINT.FAILING').length >= 1, 20_000, 'FAILING and two EXHAUSTED');
        const failing = ofType(ops, 'ENDPOINT.FAILING');
        assert.equal(failing.length, 1, 'FAILING is said once per streak');
        // Attempts recorded together cross the threshold together: the count is at least the threshold.
        const failures = failing[0]!.data.consecutive_failures;
        assert.ok(failures >= 3 && failures <= 10, `consecutive_failures ${failures}`);
        assert.deepEqual(
          { ...failing[0]!.data, delivery_id: undefined, consecutive_failures: undefined },
          {
            entity_ids: [flakyId],
            endpoint_id: flakyId,
            name: 'lab backend',
            url: flaky.url,
            consecutive_failures: undefined,
            failing_after: 3,
            delivery_id: undefined,
            last_status_code: 500,
            last_error: 'HTTP 500: broken today',
          },
        );
        const deliveries = (await h.api('GET', `/v1/deliveries?endpoint_id=${flakyId}&status=failed`)).json.data;
        assert.equal(deliveries.length, 2);
        const exhausted = ofType(ops, 'DELIVERY.EXHAUSTED').map((a) => a.data);
        assert.deepEqual(
          exhausted.map((d) => d.delivery_id).sort(),
          deliveries.map((d: any) => d.id).sort(),
        );
        for (const d of exhausted) {
          const delivery = deliveries.find((x: any) => x.id === d.delivery_id);
          assert.deepEqual(d, {
            entity_ids: [flakyId, d.delivery_id],
            delivery_id: d.delivery_id,
            message_id: delivery.message_id,
            event: 'CLASS/CREATED',
            endpoint_id: flakyId,
            name: 'lab backend',
            url: flaky.url,
            attempts: 5,
            last_status_code: 500,
            last_error: 'HTTP 500: broken today',
          });
        }
        // The operational message is in the endpoint's tenant.
        const msg = await h.api('GET', `/v1/messages/${failing[0]!.messageId}`);
        assert.equal(msg.json.tenant, 'acme');
        assert.equal(msg.json.event, 'ENDPOINT/FAILING');
        // The failing endpoint was not sent its own news, though it subscribes to it.
        assert.deepEqual(
          arrivals(flaky).filter((a) => a.type !== 'CLASS.CREATED').map((a) => a.data.endpoint_id),
          [],
        );

        // Streak 1 ends with the first success: RECOVERED once.
        healthy = true;
        await h.api('POST', '/v1/events', { type: 'CLASS', action: 'CREATED', tenant: 'acme', entity_ids: ['c3'] });
        await until(async () => ofType(ops, 'ENDPOINT.RECOVERED').length === 1, 20_000, 'RECOVERED');
        await h.api('POST', '/v1/events', { type: 'CLASS', action: 'CREATED', tenant: 'acme', entity_ids: ['c4'] });
        await until(async () => (await h.api('GET', `/v1/deliveries?endpoint_id=${flakyId}&status=succeeded`)).json.data.length === 2, 20_000, 'a second success');
        const recovered = ofType(ops, 'ENDPOINT.RECOVERED');
        assert.equal(recovered[0]!.data.endpoint_id, flakyId);
        const success = (await h.api('GET', `/v1/deliveries/${recovered[0]!.data.delivery_id}`)).json;
        assert.equal(success.status, 'succeeded');
        assert.equal(success.endpoint_id, flakyId);

        // Streak 2: a new streak is announced again, once.
        healthy = false;
        await h.api('POST', '/v1/events', { type: 'CLASS', action: 'CREATED', tenant: 'acme', entity_ids: ['c5'] });
        await until(async () => ofType(ops, 'DELIVERY.EXHAUSTED').length === 3, 20_000, 'the third EXHAUSTED');
        await until(async () => ofType(ops, 'ENDPOINT.FAILING').length === 2, 20_000, 'FAILING of the second streak');

        // Disabled, then enabled twice: ENABLED once.
        await h.api('POST', `/v1/endpoints/${flakyId}/disable`);
        assert.equal((await h.api('POST', `/v1/endpoints/${flakyId}/enable`)).json.enabled, true);
        await h.api('POST', `/v1/endpoints/${flakyId}/enable`);
        await until(async () => ofType(ops, 'ENDPOINT.ENABLED').length >= 1, 20_000, 'ENABLED');
        // Re-enabling through a PATCH counts too.
        await h.api('PATCH', `/v1/endpoints/${flakyId}`, { enabled: false });
        await h.api('PATCH', `/v1/endpoints/${flakyId}`, { enabled: true });
        await until(async () => ofType(ops, 'ENDPOINT.ENABLED').length >= 2, 20_000, 'the second ENABLED');
        // The console's Enable button, and the CLI's `endpoint enable`.
        await h.api('POST', `/v1/endpoints/${flakyId}/disable`);
        const login = await fetch(`${h.url}/login`, { method: 'POST', body: new URLSearchParams({ token: TEST_TOKEN }), redirect: 'manual' });
        const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0]!;
        const button = await fetch(`${h.url}/endpoints/${flakyId}/enable`, { method: 'POST', headers: { cookie }, redirect: 'manual' });
        assert.equal(button.status, 303);
        await until(async () => ofType(ops, 'ENDPOINT.ENABLED').length >= 3, 20_000, 'ENABLED from the console');
        await h.api('POST', `/v1/endpoints/${flakyId}/disable`);
        const enabledByCli = await cli(h, 'endpoint', 'enable', flakyId);
        assert.equal(enabledByCli.code, 0, enabledByCli.stderr);
        await until(async () => ofType(ops, 'ENDPOINT.ENABLED').length >= 4, 20_000, 'ENABLED from the CLI');

        // Let every retry of every operational delivery run out, then look at everything that was said.
        await sleep(1500);
        assert.equal(ofType(ops, 'ENDPOINT.ENABLED').length, 4, 'enabling an enabled endpoint says nothing');
        assert.deepEqual(ofType(ops, 'ENDPOINT.ENABLED')[0]!.data, { entity_ids: [flakyId], endpoint_id: flakyId, name: 'lab backend', url: flaky.url });
        assert.equal(ofType(ops, 'ENDPOINT.FAILING').length, 2);
        assert.equal(ofType(ops, 'ENDPOINT.RECOVERED').length, 1);
        assert.equal(ofType(ops, 'DELIVERY.EXHAUSTED').length, 3, 'only ordinary deliveries are reported as exhausted');
        // The pager failed every operational delivery it was sent, yet nothing was ever said about it: operational
        // deliveries make no operational events, so no event can feed back.
        assert.ok(broken.received.length >= 5, 'the pager was sent the news and failed it');
        const aboutOthers = [...arrivals(ops), ...arrivals(flaky).filter((a) => a.type !== 'CLASS.CREATED')].map((a) => a.data.endpoint_id);
        assert.ok(!aboutOthers.includes(brokenId), 'no event about the failing pager');
        assert.ok(!aboutOthers.includes(opsId));
        assert.ok(!arrivals(broken).some((a) => a.data.endpoint_id === brokenId), 'nor was it told about itself');
        const pager = (await h.api('GET', `/v1/endpoints/${brokenId}`)).json;
        assert.equal(pager.enabled, true);
        // Another tenant's operators hear nothing of acme's endpoints.
        assert.equal(elsewhere.received.length, 0);
      } finally {
        for (const r of [flaky, ops, broken, elsewhere]) await r.close();
        await h.stop();
      }
    });

    it('says FAILING once per streak and EXHAUSTED once per delivery with two worker processes on one database', { skip: dialect === 'sqlite' ? 'several workers share one database only on PostgreSQL' : false }, async () => {
      const env = { HERALD_FAILING_AFTER: '2', HERALD_RETRY_SCHEDULE: '30ms,30ms' };
      // The API in this process; the deliveries, streaks and operational events in two worker processes.
      const a = await startTestHerald(dialect, { ...env, HERALD_ROLE: 'api' });
      const workerEnv = { ...env, HERALD_ROLE: 'worker', HERALD_DATABASE_URL: a.db.databaseUrl!, HERALD_DATA_DIR: a.db.dataDir };
      const workers = [await spawnHerald(workerEnv), await spawnHerald(workerEnv)];
      const down = await startReceiver(() => ({ status: 502, body: 'bad gateway' }));
      const ops = await startReceiver();
      try {
        const downId = await endpoint(a, 'down', down.url, 'default', ['CLASS/*']);
        await endpoint(a, 'operators', ops.url, 'default', OPERATIONAL);
        const events = Array.from({ length: 40 }, (_, i) => ({ type: 'CLASS', action: 'CREATED', entity_ids: [`k${i}`] }));
        assert.equal((await a.api('POST', '/v1/events', { events })).status, 202);
        await until(async () => ofType(ops, 'DELIVERY.EXHAUSTED').length === 40, 60_000, 'forty EXHAUSTED');
        await sleep(500);
        assert.equal(ofType(ops, 'ENDPOINT.FAILING').length, 1, 'one streak, one FAILING, whichever worker saw it');
        assert.equal(new Set(ofType(ops, 'DELIVERY.EXHAUSTED').map((x) => x.data.delivery_id)).size, 40);
        assert.equal(ofType(ops, 'DELIVERY.EXHAUSTED').length, 40);
        assert.equal(down.received.length, 120, 'three attempts each');
        const row = await a.herald.ctx.store.db.selectFrom('endpoints').select(['consecutive_failures', 'failing_announced_at']).where('id', '=', downId).executeTakeFirstOrThrow();
        assert.equal(Number(row.consecutive_failures), 120, 'every failed attempt counted once');
        assert.notEqual(row.failing_announced_at, null);
      } finally {
        for (const w of workers) {
          w.child.kill('SIGTERM');
          await w.exited;
        }
        await down.close();
        await ops.close();
        await a.stop();
      }
    });
  });
}
