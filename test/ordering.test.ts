import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DIALECTS, freshDatabase, skipFor } from './helpers/databases.js';
import { startTestHerald, TEST_TOKEN, until } from './helpers/herald.js';
import { startReceiver, type Answer, type Received } from './helpers/receiver.js';
import { seededRandom } from './helpers/seeded-random.js';
import { api, spawnHerald, type HeraldProcess } from './helpers/spawn-herald.js';
import { succeededByThisWorker } from './helpers/metrics.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** What the test's events carry in `data`: their ordering key and place in publish order. */
interface Tag {
  key: string;
  n: number;
}

const tagOf = (r: Received): Tag & { messageId: string } => {
  const body = JSON.parse(r.body) as { message_id: string; context: Tag };
  return { ...body.context, messageId: body.message_id };
};

/**
 * A receiver that keeps, per ordering key, the publish numbers of the first successful arrival of each message,
 * and counts any moment two deliveries of one key were at the receiver together. `decide` answers a request
 * (status and how long to take) given whether it is the message's first try.
 */
function orderingReceiver(decide: (tag: Tag, firstTry: boolean) => { status: number; delayMs: number }) {
  const seen = new Set<string>();
  const delivered = new Set<string>();
  const firstSuccess = new Map<string, number[]>();
  const inFlight = new Map<string, number>();
  const stats = { requests: 0, firstTryFailures: 0, overlaps: 0, successes: 0 };
  const answer = async (r: Received): Promise<Answer> => {
    const tag = tagOf(r);
    stats.requests++;
    const firstTry = !seen.has(tag.messageId);
    seen.add(tag.messageId);
    const now = (inFlight.get(tag.key) ?? 0) + 1;
    inFlight.set(tag.key, now);
    if (now > 1) stats.overlaps++;
    const { status, delayMs } = decide(tag, firstTry);
    if (delayMs > 0) await sleep(delayMs);
    inFlight.set(tag.key, inFlight.get(tag.key)! - 1);
    if (status < 300) {
      if (!delivered.has(tag.messageId)) {
        delivered.add(tag.messageId);
        stats.successes++;
        const list = firstSuccess.get(tag.key) ?? [];
        list.push(tag.n);
        firstSuccess.set(tag.key, list);
      }
    } else if (firstTry) stats.firstTryFailures++;
    return { status };
  };
  return { answer, firstSuccess, stats, delivered };
}

/** Keys whose first successful arrivals are not in publish order, each with its sequence. */
function outOfOrder(firstSuccess: Map<string, number[]>): string[] {
  const bad: string[] = [];
  for (const [key, ns] of firstSuccess) {
    for (let i = 1; i < ns.length; i++) {
      if (ns[i]! <= ns[i - 1]!) {
        bad.push(`${key}: ${ns.join(',')}`);
        break;
      }
    }
  }
  return bad;
}

/**
 * 2,000 events over 50 keys in a seeded shuffle: half the keys travel as `ordering_key` (with unrelated entity
 * ids), half as the first entity id. Published in batches of 100, one batch after the other, so publish order is
 * the order here.
 */
function workload(seed: number, count = 2000, keys = 50) {
  const rand = seededRandom(seed);
  const events = Array.from({ length: count }, (_, n) => {
    const k = Math.floor(rand() * keys);
    const key = `k${k}`;
    const data = { key, n };
    return k % 2 === 0
      ? { type: 'ONDEMAND_ENROLLMENT', action: 'STARTED', ordering_key: key, entity_ids: [`other_${n}`], data }
      : { type: 'ONDEMAND_ENROLLMENT', action: 'STARTED', entity_ids: [key, `other_${n}`], data };
  });
  const batches: (typeof events)[] = [];
  for (let i = 0; i < events.length; i += 100) batches.push(events.slice(i, i + 100));
  return batches;
}

type Call = (method: string, path: string, body?: unknown) => Promise<{ status: number; json: any }>;

async function orderedEndpoint(call: Call, url: string, extra: Record<string, unknown> = {}): Promise<string> {
  const ep = await call('POST', '/v1/endpoints', { name: 'ordered', url, format: 'strigo', ordering: 'entity', ...extra });
  assert.equal(ep.status, 201, JSON.stringify(ep.json));
  assert.equal(ep.json.ordering, extra.ordering ?? 'entity');
  const sub = await call('POST', '/v1/subscriptions', { endpoint_id: ep.json.id, events: ['*'] });
  assert.equal(sub.status, 201, JSON.stringify(sub.json));
  return ep.json.id as string;
}

async function publishAll(call: Call, batches: object[][]): Promise<void> {
  for (const events of batches) {
    const res = await call('POST', '/v1/events', { events });
    assert.equal(res.status, 202, JSON.stringify(res.json));
  }
}

/** One failure in five on a message's first try, and a few milliseconds per request, all from one seed. */
function flakyDecider(seed: number) {
  const rand = seededRandom(seed);
  return (_tag: Tag, firstTry: boolean) => ({ status: firstTry && rand() < 0.2 ? 500 : 200, delayMs: Math.floor(rand() * 4) });
}

function report(label: string, stats: { requests: number; firstTryFailures: number; overlaps: number; successes: number }, firstSuccess: Map<string, number[]>, ms: number) {
  const sizes = [...firstSuccess.values()].map((l) => l.length);
  console.log(
    `${label}: ${stats.successes} delivered over ${firstSuccess.size} keys (${Math.min(...sizes)}..${Math.max(...sizes)} per key), ` +
      `${stats.requests} requests, ${stats.firstTryFailures} first tries failed, ${stats.overlaps} overlaps, ` +
      `${outOfOrder(firstSuccess).length} keys out of order, ${ms} ms`,
  );
}

describe('entity ordering with two worker processes on one PostgreSQL database', { skip: skipFor('postgres') }, () => {
  it('2,000 events over 50 keys, one first try in five failing: per key, first successes arrive in publish order', async () => {
    const db = await freshDatabase('postgres');
    const rec = orderingReceiver(flakyDecider(7));
    const r = await startReceiver(rec.answer);
    const env = { HERALD_DATA_DIR: db.dataDir, HERALD_DATABASE_URL: db.databaseUrl!, HERALD_RETRY_SCHEDULE: '100ms,100ms,100ms,100ms,100ms' };
    const procs: HeraldProcess[] = [];
    try {
      const apiProc = await spawnHerald({ ...env, HERALD_ROLE: 'api' });
      procs.push(apiProc);
      procs.push(await spawnHerald({ ...env, HERALD_ROLE: 'worker' }));
      procs.push(await spawnHerald({ ...env, HERALD_ROLE: 'worker' }));
      const call: Call = (m, p, b) => api(apiProc.url, m, p, b);
      await orderedEndpoint(call, r.url);
      const started = Date.now();
      await publishAll(call, workload(11));
      await until(async () => rec.stats.successes >= 2000, 240_000, 'every event to arrive once successfully');
      report('postgres, api + 2 workers', rec.stats, rec.firstSuccess, Date.now() - started);
      assert.equal(rec.firstSuccess.size, 50);
      assert.ok(rec.stats.firstTryFailures > 200, `the receiver failed first tries: ${rec.stats.firstTryFailures}`);
      assert.deepEqual(outOfOrder(rec.firstSuccess), []);
      assert.equal(rec.stats.overlaps, 0, 'two deliveries of one key were never at the receiver together');
      // Both workers took part: otherwise this would say nothing about order across workers.
      const shares = await Promise.all(procs.slice(1).map((p) => succeededByThisWorker(p.url)));
      console.log(`successes recorded by each worker: ${shares.join(' + ')}`);
      assert.ok(shares.every((s) => s > 0), `both workers delivered: ${shares.join(' + ')}`);
    } finally {
      for (const p of procs) p.child.kill('SIGTERM');
      await Promise.all(procs.map((p) => p.exited));
      await r.close();
      await db.drop();
    }
  });

  it('a worker killed mid-flight (SIGKILL) does not break the order: its heads are sent again when their leases expire', async () => {
    const db = await freshDatabase('postgres');
    // Slow answers, so the killed worker surely has deliveries at the receiver when it dies.
    const rec = orderingReceiver(() => ({ status: 200, delayMs: 150 }));
    const r = await startReceiver(rec.answer);
    const env = { HERALD_DATA_DIR: db.dataDir, HERALD_DATABASE_URL: db.databaseUrl!, HERALD_RETRY_SCHEDULE: '100ms,100ms', HERALD_LEASE: '2s' };
    const procs: HeraldProcess[] = [];
    try {
      const apiProc = await spawnHerald({ ...env, HERALD_ROLE: 'api' });
      procs.push(apiProc);
      // One worker at first, so the deliveries at the receiver when it dies are surely its own.
      const victim = await spawnHerald({ ...env, HERALD_ROLE: 'worker' });
      procs.push(victim);
      const call: Call = (m, p, b) => api(apiProc.url, m, p, b);
      await orderedEndpoint(call, r.url);
      await publishAll(call, workload(23, 400, 20));
      await until(async () => rec.stats.successes >= 60 && rec.stats.requests > rec.stats.successes, 60_000, 'deliveries at the receiver');
      victim.child.kill('SIGKILL');
      await victim.exited;
      const killedAt = rec.stats.requests;
      procs.push(await spawnHerald({ ...env, HERALD_ROLE: 'worker' }));
      await until(async () => rec.stats.successes >= 400, 120_000, 'every event to arrive once successfully');
      report(`postgres, a worker killed after ${killedAt} requests`, rec.stats, rec.firstSuccess, 0);
      // Deliveries the dead worker had at the receiver were sent again once their leases ran out.
      assert.ok(rec.stats.requests > 400, `the killed worker had deliveries in flight: ${rec.stats.requests} requests for 400 events`);
      assert.deepEqual(outOfOrder(rec.firstSuccess), []);
    } finally {
      for (const p of procs) p.child.kill('SIGTERM');
      await Promise.all(procs.map((p) => p.exited));
      await r.close();
      await db.drop();
    }
  });
});

describe('entity ordering on SQLite, one process', { skip: skipFor('sqlite') }, () => {
  it('2,000 events over 50 keys, one first try in five failing: per key, first successes arrive in publish order', async () => {
    const rec = orderingReceiver(flakyDecider(7));
    const r = await startReceiver(rec.answer);
    const h = await startTestHerald('sqlite', { HERALD_RETRY_SCHEDULE: '100ms,100ms,100ms,100ms,100ms' });
    try {
      await orderedEndpoint(h.api, r.url);
      const started = Date.now();
      await publishAll(h.api, workload(11));
      await until(async () => rec.stats.successes >= 2000, 240_000, 'every event to arrive once successfully');
      report('sqlite, one process', rec.stats, rec.firstSuccess, Date.now() - started);
      assert.equal(rec.firstSuccess.size, 50);
      assert.ok(rec.stats.firstTryFailures > 200);
      assert.deepEqual(outOfOrder(rec.firstSuccess), []);
      assert.equal(rec.stats.overlaps, 0);
    } finally {
      await h.stop();
      await r.close();
    }
  });
});

for (const dialect of DIALECTS) {
  describe(`ordering (${dialect})`, { skip: skipFor(dialect) }, () => {
    it('takes none, entity or endpoint, shows it, and refuses anything else naming the allowed values', async () => {
      const h = await startTestHerald(dialect);
      try {
        const plain = await h.api('POST', '/v1/endpoints', { name: 'a', url: 'http://127.0.0.1:9/x', format: 'strigo' });
        assert.equal(plain.status, 201);
        assert.equal(plain.json.ordering, 'none');
        const bad = await h.api('POST', '/v1/endpoints', { name: 'b', url: 'http://127.0.0.1:9/x', format: 'strigo', ordering: 'fifo' });
        assert.equal(bad.status, 422);
        assert.match(bad.text, /ordering/);
        for (const v of ['none', 'entity', 'endpoint']) assert.ok(bad.text.includes(v), `names ${v}: ${bad.text}`);
        const patched = await h.api('PATCH', `/v1/endpoints/${plain.json.id}`, { ordering: 'endpoint' });
        assert.equal(patched.status, 200);
        assert.equal(patched.json.ordering, 'endpoint');
        assert.equal((await h.api('GET', `/v1/endpoints/${plain.json.id}`)).json.ordering, 'endpoint');
        const badPatch = await h.api('PATCH', `/v1/endpoints/${plain.json.id}`, { ordering: 7 });
        assert.equal(badPatch.status, 422);
        assert.match(badPatch.text, /ordering/);
        assert.equal((await h.api('GET', `/v1/endpoints/${plain.json.id}`)).json.ordering, 'endpoint', 'a refused patch changes nothing');
      } finally {
        await h.stop();
      }
    });

    it('the console shows the ordering and its edit form changes it, refusing an unknown one', async () => {
      const h = await startTestHerald(dialect);
      try {
        const ep = await h.api('POST', '/v1/endpoints', { name: 'lab', url: 'http://127.0.0.1:9/x', format: 'strigo' });
        const login = await fetch(`${h.url}/login`, { method: 'POST', body: new URLSearchParams({ token: TEST_TOKEN }), redirect: 'manual' });
        const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0]!;
        const page = await (await fetch(`${h.url}/endpoints/${ep.json.id}`, { headers: { cookie } })).text();
        assert.match(page, /<dt>Ordering<\/dt><dd>none<\/dd>/);
        assert.match(page, /<select name="ordering">/);
        const save = (ordering: string) =>
          fetch(`${h.url}/endpoints/${ep.json.id}`, { method: 'POST', headers: { cookie, origin: h.url }, body: new URLSearchParams({ name: 'lab', url: 'http://127.0.0.1:9/x', headers: '{}', ordering }) });
        const bad = await save('fifo');
        assert.equal(bad.status, 422);
        assert.match(await bad.text(), /ordering[\s\S]*none, entity, endpoint/);
        assert.equal((await h.api('GET', `/v1/endpoints/${ep.json.id}`)).json.ordering, 'none');
        const ok = await save('entity');
        assert.equal(ok.status, 200, await ok.text());
        assert.equal((await h.api('GET', `/v1/endpoints/${ep.json.id}`)).json.ordering, 'entity');
      } finally {
        await h.stop();
      }
    });

    it('refuses an ordering_key that is not a string of 1 to 200 characters, naming the field', async () => {
      const h = await startTestHerald(dialect);
      try {
        for (const ordering_key of ['x'.repeat(201), '', 42, null]) {
          const res = await h.api('POST', '/v1/events', { type: 'ONDEMAND_ENROLLMENT', action: 'STARTED', ordering_key });
          assert.equal(res.status, 422, `${JSON.stringify(ordering_key)}: ${res.text}`);
          assert.match(res.text, /ordering_key/);
        }
        const inBatch = await h.api('POST', '/v1/events', { events: [{ type: 'ONDEMAND_ENROLLMENT', action: 'STARTED', ordering_key: 'ok' }, { type: 'ONDEMAND_ENROLLMENT', action: 'STARTED', ordering_key: 'y'.repeat(201) }] });
        assert.equal(inBatch.status, 422);
        assert.match(inBatch.text, /events\/1\/ordering_key/);
        const fine = await h.api('POST', '/v1/events', { type: 'ONDEMAND_ENROLLMENT', action: 'STARTED', ordering_key: 'y'.repeat(200) });
        assert.equal(fine.status, 202, fine.text);
      } finally {
        await h.stop();
      }
    });

    it('a failing head holds its key until it is exhausted; other keys and unkeyed events go on; a recovered one holds again', async () => {
      let headFails = true;
      // Once recovered, the head succeeds, slowly: anything of its key sent meanwhile would overlap it.
      const rec = orderingReceiver((tag) => ({ status: tag.n === 0 && headFails ? 503 : 200, delayMs: tag.n === 0 && !headFails ? 600 : 0 }));
      const r = await startReceiver(rec.answer);
      const h = await startTestHerald(dialect, { HERALD_RETRY_SCHEDULE: '300ms,300ms,300ms' });
      try {
        const epId = await orderedEndpoint(h.api, r.url);
        const ev = (n: number, key: string | null) => ({ type: 'ONDEMAND_ENROLLMENT', action: 'STARTED', ...(key ? { entity_ids: [key] } : {}), data: { key: key ?? 'none', n } });
        // n=0 is the failing head of key A; 1 and 2 follow it; 3 is of key B; 4 has no key at all.
        await publishAll(h.api, [[ev(0, 'A'), ev(1, 'A'), ev(2, 'A'), ev(3, 'B'), ev(4, null)]]);
        await until(async () => rec.delivered.size >= 2, 10_000, 'key B and the unkeyed event');
        const whileHeld = r.received.map((x) => tagOf(x).n);
        assert.ok(!whileHeld.includes(1) && !whileHeld.includes(2), `A's successors wait for its head: ${whileHeld}`);
        // The head is tried 4 times (first try and three retries), then exhausted: only then do 1 and 2 go.
        await until(async () => rec.firstSuccess.get('A')?.length === 2, 20_000, "A's successors after the head is exhausted");
        const headTries = r.received.filter((x) => tagOf(x).n === 0);
        assert.equal(headTries.length, 4);
        const firstSuccessor = r.received.findIndex((x) => tagOf(x).n === 1);
        assert.ok(r.received.indexOf(headTries[3]!) < firstSuccessor, 'the first successor arrived after the last try of the head');
        assert.deepEqual(rec.firstSuccess.get('A'), [1, 2]);
        const failed = (await h.api('GET', `/v1/deliveries?endpoint_id=${epId}&status=failed`)).json;
        assert.equal(failed.data.length, 1);

        // Recovered, the head is pending again, ahead of anything of its key published since: that waits for it.
        headFails = false;
        const recovered = await h.api('POST', `/v1/endpoints/${epId}/recover`, { since: '1h' });
        assert.equal(recovered.status, 200, recovered.text);
        assert.equal(recovered.json.requeued, 1);
        await publishAll(h.api, [[ev(5, 'A')]]);
        await until(async () => rec.firstSuccess.get('A')?.length === 4, 20_000, 'the recovered head, then its successor');
        assert.deepEqual(rec.firstSuccess.get('A'), [1, 2, 0, 5]);
        assert.equal(rec.stats.overlaps, 0);
      } finally {
        await h.stop();
        await r.close();
      }
    });

    it('a disabled endpoint holds its queue, and sends it in order once enabled again', async () => {
      let firstAnswer = true;
      const rec = orderingReceiver(() => {
        // The first request fails, so the rest are still pending when the endpoint is disabled.
        const status = firstAnswer ? 503 : 200;
        firstAnswer = false;
        return { status, delayMs: 0 };
      });
      const r = await startReceiver(rec.answer);
      const h = await startTestHerald(dialect, { HERALD_RETRY_SCHEDULE: '500ms,500ms' });
      try {
        const epId = await orderedEndpoint(h.api, r.url, { ordering: 'endpoint' });
        const events = Array.from({ length: 10 }, (_, n) => ({ type: 'ONDEMAND_ENROLLMENT', action: 'STARTED', entity_ids: [`e${n}`], data: { key: 'all', n } }));
        await publishAll(h.api, [events]);
        await r.waitFor(1);
        assert.equal((await h.api('POST', `/v1/endpoints/${epId}/disable`)).status, 200);
        await sleep(1500);
        assert.equal(r.received.length, 1, 'nothing is sent while the endpoint is disabled');
        assert.equal((await h.api('POST', `/v1/endpoints/${epId}/enable`)).status, 200);
        await until(async () => rec.stats.successes >= 10, 20_000, 'the queue after enabling');
        // `endpoint` ordering: the whole endpoint is one key, different entities notwithstanding.
        assert.deepEqual(rec.firstSuccess.get('all'), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
        assert.equal(rec.stats.overlaps, 0);
      } finally {
        await h.stop();
        await r.close();
      }
    });

    it('switching ordering off releases a held queue', async () => {
      const rec = orderingReceiver((tag) => ({ status: tag.n === 0 ? 503 : 200, delayMs: 0 }));
      const r = await startReceiver(rec.answer);
      const h = await startTestHerald(dialect, { HERALD_RETRY_SCHEDULE: '10s' });
      try {
        const epId = await orderedEndpoint(h.api, r.url);
        await publishAll(h.api, [[0, 1, 2].map((n) => ({ type: 'ONDEMAND_ENROLLMENT', action: 'STARTED', entity_ids: ['A'], data: { key: 'A', n } }))]);
        await r.waitFor(1);
        await sleep(500);
        assert.equal(r.received.length, 1, 'held behind the failing head');
        assert.equal((await h.api('PATCH', `/v1/endpoints/${epId}`, { ordering: 'none' })).json.ordering, 'none');
        await until(async () => rec.stats.successes >= 2, 10_000, 'the released successors');
      } finally {
        await h.stop();
        await r.close();
      }
    });
  });
}


