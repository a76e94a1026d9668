import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { DIALECTS, skipFor } from './helpers/databases.js';
import { startTestHerald, TEST_TOKEN, type TestHerald } from './helpers/herald.js';
import { startReceiver, type Receiver } from './helpers/receiver.js';

const CLI = new URL('../src/cli/main.ts', import.meta.url).pathname;

function herald(h: TestHerald, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CLI, ...args], {
      env: { PATH: process.env.PATH ?? '', HERALD_URL: h.url, HERALD_TOKEN: TEST_TOKEN },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

async function scrape(h: TestHerald): Promise<string> {
  return (await fetch(`${h.url}/metrics`)).text();
}

function sample(text: string, name: string, labels: Record<string, string> = {}): number {
  for (const line of text.split('\n')) {
    const m = /^([a-z_]+)(\{[^}]*\})? (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const got = Object.fromEntries([...(m[2] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((x) => [x[1], x[2]]));
    if (Object.entries(labels).every(([k, v]) => got[k] === v)) return Number(m[3]);
  }
  return 0;
}

/**
 * Three events, written as JSON text so their 64-bit ids reach Herald as published (2^53+1 and 2^53 differ only
 * beyond a double's precision), and one subscription per operator whose expected events are listed by index.
 */
const EVENTS = [
  '{"type": "ONDEMAND_ENROLLMENT", "action": "STARTED", "entity_ids": ["enr_1"], "data": {"plan": "pro", "seats": 12, "id": 9007199254740993, "region": "eu", "tags": ["gpu", "cpu"], "email": "a@lab.example.com", "price": 0.1}}',
  '{"type": "ONDEMAND_ENROLLMENT", "action": "STOPPED", "entity_ids": ["enr_2"], "scope": {"domain_id": "dom_2"}, "data": {"plan": "free", "seats": 3, "id": 9007199254740992, "region": "us", "tags": ["cpu"], "email": "b@other.org", "price": 0.10000000000000000001}}',
  '{"type": "ONDEMAND_ENROLLMENT", "action": "EXPIRED", "entity_ids": ["enr_3", "enr_x9"], "data": {}}',
];

const CASES: Array<{ name: string; filter: string; expect: number[] }> = [
  { name: 'plain', filter: '{"data.plan": "pro"}', expect: [0] },
  { name: 'eq', filter: '{"action": {"$eq": "STOPPED"}}', expect: [1] },
  { name: 'eq-big', filter: '{"data.id": 9007199254740993}', expect: [0] },
  { name: 'neq', filter: '{"data.plan": {"$neq": "pro"}}', expect: [1, 2] },
  { name: 'gt-big', filter: '{"data.id": {"$gt": 9007199254740992}}', expect: [0] },
  { name: 'gte', filter: '{"data.seats": {"$gte": 12}}', expect: [0] },
  { name: 'lt-big', filter: '{"data.id": {"$lt": 9007199254740993}}', expect: [1] },
  { name: 'lte', filter: '{"data.seats": {"$lte": 3}}', expect: [1] },
  { name: 'gt-decimal', filter: '{"data.price": {"$gt": 0.1}}', expect: [1] },
  { name: 'in', filter: '{"data.region": {"$in": ["us", "ap"]}}', expect: [1] },
  { name: 'nin', filter: '{"data.region": {"$nin": ["us"]}}', expect: [0, 2] },
  { name: 'exist', filter: '{"data.email": {"$exist": false}}', expect: [2] },
  { name: 'startsWith', filter: '{"entity_ids": {"$startsWith": "enr_x"}}', expect: [2] },
  { name: 'endsWith', filter: '{"data.email": {"$endsWith": ".example.com"}}', expect: [0] },
  { name: 'and', filter: '{"$and": [{"data.tags": "cpu"}, {"scope.domain_id": "dom_2"}]}', expect: [1] },
  { name: 'or', filter: '{"$or": [{"data.tags": "gpu"}, {"entity_ids": "enr_3"}]}', expect: [0, 2] },
  { name: 'not', filter: '{"$not": {"data.tags": "cpu"}}', expect: [2] },
  { name: 'unfiltered', filter: 'null', expect: [0, 1, 2] },
];

for (const dialect of DIALECTS) {
  describe(`subscription filters (${dialect})`, { skip: skipFor(dialect) }, () => {
    let h: TestHerald;
    let receiver: Receiver;
    before(async () => {
      h = await startTestHerald(dialect);
      receiver = await startReceiver();
    });
    after(async () => {
      await h?.stop();
      await receiver?.close();
    });

    async function endpoint(name: string): Promise<string> {
      const ep = await h.api('POST', '/v1/endpoints', { name, url: `${receiver.url}?to=${name}`, format: 'standard' });
      assert.equal(ep.status, 201, ep.text);
      return ep.json.id as string;
    }

    it('each operator decides which subscriptions get a delivery; the message lists the ones passed over; /metrics counts them', async () => {
      const subs = new Map<string, string>();
      const endpoints = new Map<string, string>();
      for (const c of CASES) {
        const epId = await endpoint(c.name);
        endpoints.set(c.name, epId);
        const res = await h.api('POST', '/v1/subscriptions', `{"endpoint_id": "${epId}", "events": ["ONDEMAND_ENROLLMENT/*"], "filter": ${c.filter}}`);
        assert.equal(res.status, 201, `${c.name}: ${res.text}`);
        subs.set(c.name, res.json.id);
      }
      const before = sample(await scrape(h), 'herald_filtered_total', { type: 'ONDEMAND_ENROLLMENT' });
      const messageIds: string[] = [];
      for (const [i, ev] of EVENTS.entries()) {
        const pub = await h.api('POST', '/v1/events', ev);
        assert.equal(pub.status, 202, pub.text);
        assert.equal(pub.json.deliveries, CASES.filter((c) => c.expect.includes(i)).length, `event ${i}: deliveries made`);
        messageIds.push(pub.json.id);
      }

      for (const [i, id] of messageIds.entries()) {
        const m = await h.api('GET', `/v1/messages/${id}`);
        assert.equal(m.status, 200);
        const delivered = (m.json.deliveries as { endpoint_id: string }[]).map((d) => d.endpoint_id).sort();
        const wanted = CASES.filter((c) => c.expect.includes(i)).map((c) => endpoints.get(c.name)!).sort();
        assert.deepEqual(delivered, wanted, `event ${i}: the endpoints with a delivery`);
        const passed = (m.json.filtered_out as { subscription_id: string; endpoint_id: string; endpoint_name: string }[]).map((f) => f.subscription_id).sort();
        const passedWanted = CASES.filter((c) => !c.expect.includes(i)).map((c) => subs.get(c.name)!).sort();
        assert.deepEqual(passed, passedWanted, `event ${i}: the subscriptions passed over`);
        for (const f of m.json.filtered_out) assert.equal(f.endpoint_id, endpoints.get(f.endpoint_name), 'each passed-over entry names its endpoint');
      }

      const expectedArrivals = CASES.reduce((n, c) => n + c.expect.length, 0);
      await receiver.waitFor(expectedArrivals, 20_000);
      // Every delivery that exists has arrived; filtered subscriptions have none, so nothing else can arrive later.
      const arrived = new Map<string, string[]>();
      for (const r of receiver.received) {
        const to = new URL(r.url, 'http://x').searchParams.get('to')!;
        arrived.set(to, [...(arrived.get(to) ?? []), String(r.headers['webhook-id'])]);
      }
      for (const c of CASES) {
        assert.deepEqual((arrived.get(c.name) ?? []).sort(), c.expect.map((i) => messageIds[i]!).sort(), `${c.name}: the messages its receiver got`);
      }
      const filteredCount = CASES.length * EVENTS.length - expectedArrivals;
      const after = sample(await scrape(h), 'herald_filtered_total', { type: 'ONDEMAND_ENROLLMENT' });
      assert.equal(after - before, filteredCount);
    });

    it('a filter is shown with its numbers as written, replaced by PATCH and removed with null', async () => {
      const epId = await endpoint('patched');
      const created = await h.api('POST', '/v1/subscriptions', `{"endpoint_id": "${epId}", "events": ["ONDEMAND_ENROLLMENT/*"], "filter": {"data.id": {"$gte": 18446744073709551617}}}`);
      assert.equal(created.status, 201, created.text);
      assert.match(created.text, /"\$gte":18446744073709551617/);
      const shown = await h.api('GET', `/v1/subscriptions/${created.json.id}`);
      assert.match(shown.text, /"\$gte":18446744073709551617/);
      const listed = await h.api('GET', `/v1/subscriptions?endpoint_id=${epId}`);
      assert.match(listed.text, /"\$gte":18446744073709551617/);

      const bad = await h.api('PATCH', `/v1/subscriptions/${created.json.id}`, { filter: { 'data.id': { $gte: 'x', $like: 1 } } });
      assert.equal(bad.status, 422);
      assert.deepEqual(bad.json.error.details.map((d: { path: string }) => d.path).sort(), ['/filter/data.id/$like']);
      const still = await h.api('GET', `/v1/subscriptions/${created.json.id}`);
      assert.match(still.text, /18446744073709551617/, 'a refused change stores nothing');

      const patched = await h.api('PATCH', `/v1/subscriptions/${created.json.id}`, { filter: { tenant: 'default' } });
      assert.equal(patched.status, 200, patched.text);
      assert.deepEqual(patched.json.filter, { tenant: 'default' });
      const enabledOnly = await h.api('PATCH', `/v1/subscriptions/${created.json.id}`, { enabled: true });
      assert.deepEqual(enabledOnly.json.filter, { tenant: 'default' }, 'a PATCH without filter keeps it');
      const removed = await h.api('PATCH', `/v1/subscriptions/${created.json.id}`, { filter: null });
      assert.equal(removed.status, 200);
      assert.equal(removed.json.filter, null);
    });

    it('refuses bad filters with 422s naming the path inside the filter, the allowed operators and the bounds', async () => {
      const epId = await endpoint('refused');
      const post = (filter: string) => h.api('POST', '/v1/subscriptions', `{"endpoint_id": "${epId}", "events": ["ONDEMAND_ENROLLMENT/*"], "filter": ${filter}}`);

      const unknown = await post('{"$or": [{"data.amount": {"$greater": 5}}]}');
      assert.equal(unknown.status, 422);
      assert.equal(unknown.json.error.code, 'invalid');
      assert.equal(unknown.json.error.details[0].path, '/filter/$or/0/data.amount/$greater');
      assert.deepEqual(unknown.json.error.details[0].allowed, ['$eq', '$neq', '$gt', '$gte', '$lt', '$lte', '$in', '$nin', '$exist', '$startsWith', '$endsWith']);
      assert.match(unknown.json.error.message, /\/filter\/\$or\/0\/data\.amount\/\$greater: \$greater is not an operator/);

      const top = await post('{"$gt": 5}');
      assert.equal(top.status, 422);
      assert.deepEqual(top.json.error.details[0].allowed, ['$and', '$or', '$not']);

      const root = await post('{"body.amount": 5}');
      assert.equal(root.status, 422);
      assert.match(root.json.error.details[0].message, /data, type, action, result, tenant, entity_ids, scope/);

      const several = await post('{"data.a": {"$in": 3}, "data.b": {"$exist": 1}, "$not": []}');
      assert.equal(several.status, 422);
      assert.deepEqual(several.json.error.details.map((d: { path: string }) => d.path), ['/filter/data.a/$in', '/filter/data.b/$exist', '/filter/$not']);

      let deep = '{"tenant": "a"}';
      for (let i = 0; i < 8; i++) deep = `{"$not": ${deep}}`;
      const tooDeep = await post(deep);
      assert.equal(tooDeep.status, 422);
      assert.match(tooDeep.json.error.details[0].message, /over the limit of 8/);

      const tooBig = await post(JSON.stringify({ 'data.s': 'x'.repeat(5000) }));
      assert.equal(tooBig.status, 422);
      assert.equal(tooBig.json.error.details[0].path, '/filter');
      assert.match(tooBig.json.error.details[0].message, /over the limit of 4096 bytes/);

      const tooMany = await post(JSON.stringify({ 'data.n': { $in: Array.from({ length: 300 }, (_, i) => i) } }));
      assert.equal(tooMany.status, 422);
      assert.match(tooMany.json.error.details[0].message, /over the limit of 256/);

      const notObject = await post('["data.a"]');
      assert.equal(notObject.status, 422);
      assert.equal(notObject.json.error.details[0].path, '/filter');

      const list = await h.api('GET', `/v1/subscriptions?endpoint_id=${epId}`);
      assert.equal(list.json.data.length, 0, 'nothing refused was stored');
    });

    it('a disabled subscription whose filter does not match makes no skipped delivery', async () => {
      const epId = await endpoint('disabled');
      const sub = await h.api('POST', '/v1/subscriptions', { endpoint_id: epId, events: ['ONDEMAND_ENROLLMENT/*'], enabled: false, filter: { 'data.plan': 'pro' } });
      assert.equal(sub.status, 201);
      const miss = await h.api('POST', '/v1/events', { type: 'ONDEMAND_ENROLLMENT', action: 'CREATED', tenant: 'default', data: { plan: 'free' } });
      const hit = await h.api('POST', '/v1/events', { type: 'ONDEMAND_ENROLLMENT', action: 'CREATED', tenant: 'default', data: { plan: 'pro' } });
      const missView = await h.api('GET', `/v1/messages/${miss.json.id}`);
      assert.ok(!missView.json.deliveries.some((d: { endpoint_id: string }) => d.endpoint_id === epId));
      assert.ok(missView.json.filtered_out.some((f: { subscription_id: string }) => f.subscription_id === sub.json.id));
      const hitView = await h.api('GET', `/v1/messages/${hit.json.id}`);
      const d = hitView.json.deliveries.find((x: { endpoint_id: string }) => x.endpoint_id === epId);
      assert.equal(d?.status, 'skipped');
    });

    it('POST /v1/subscriptions/filter-test tries a filter on a sample event, numbers exactly', async () => {
      const test = (body: string) => h.api('POST', '/v1/subscriptions/filter-test', body);
      const yes = await test('{"filter": {"data.id": {"$gt": 9007199254740992}}, "event": {"type": "ondemand_enrollment", "action": "started", "data": {"id": 9007199254740993}}}');
      assert.equal(yes.status, 200, yes.text);
      assert.deepEqual(yes.json, { matches: true, problems: [] });
      const no = await test('{"filter": {"data.id": {"$gt": 9007199254740992}}, "event": {"type": "ONDEMAND_ENROLLMENT", "action": "STARTED", "data": {"id": 9007199254740992}}}');
      assert.deepEqual(no.json, { matches: false, problems: [] });
      const canonical = await test('{"filter": {"type": "ONDEMAND_ENROLLMENT", "action": "STARTED", "result": "succeed", "tenant": "default"}, "event": {"type": "ondemand_enrollment", "action": "started"}}');
      assert.equal(canonical.json.matches, true, 'the event is read as a publish reads it');
      const bad = await test('{"filter": {"data.x": {"$regex": "a"}}, "event": {"type": "NOPE", "action": "STARTED"}}');
      assert.equal(bad.status, 200);
      assert.equal(bad.json.matches, null);
      assert.deepEqual(bad.json.problems.map((p: { path: string }) => p.path), ['/filter/data.x/$regex', '/event/type']);
      const wrongShape = await test('{"filter": {"tenant": "a"}}');
      assert.equal(wrongShape.status, 422);
      assert.equal(wrongShape.json.error.details[0].path, '/event');
    });

    it('the console edits a filter on the subscription form and tests it on a sample event before saving', async () => {
      const epId = await endpoint('console');
      const login = await fetch(`${h.url}/login`, { method: 'POST', body: new URLSearchParams({ token: TEST_TOKEN }), redirect: 'manual' });
      const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0]!;
      const post = async (path: string, form: Record<string, string>) => {
        const res = await fetch(h.url + path, { method: 'POST', headers: { cookie, 'hx-request': 'true' }, body: new URLSearchParams(form) });
        return { status: res.status, text: await res.text() };
      };
      const sample = '{"type": "ONDEMAND_ENROLLMENT", "action": "STARTED", "data": {"id": 9007199254740993}}';
      const hit = await post('/subscriptions/filter-test', { filter: '{"data.id": {"$gt": 9007199254740992}}', sample_event: sample });
      assert.equal(hit.status, 200);
      assert.match(hit.text, /data-filter-result="match"/);
      const miss = await post('/subscriptions/filter-test', { filter: '{"data.id": {"$gt": 9007199254740993}}', sample_event: sample });
      assert.match(miss.text, /data-filter-result="no-match"/);
      const wrong = await post('/subscriptions/filter-test', { filter: '{"data.id": {"$between": [1, 2]}}', sample_event: sample });
      assert.match(wrong.text, /<li data-field="filter"[^>]*>filter \(data\.id \$between\): \$between is not an operator/, 'the problem is worded beside the filter field');
      assert.doesNotMatch(wrong.text, /data-filter-result/);
      const unknownType = await post('/subscriptions/filter-test', { filter: '{"tenant": "a"}', sample_event: '{"type": "NOPE", "action": "STARTED"}' });
      assert.match(unknownType.text, /<li data-field="sample_event"[^>]*>sample_event \(type\): unknown event type/);
      const notJson = await post('/subscriptions/filter-test', { filter: '{nope', sample_event: sample });
      assert.match(notJson.text, /<li data-field="filter"[^>]*>filter: is not valid JSON/);

      const refused = await post('/subscriptions', { endpoint_id: epId, events: 'ONDEMAND_ENROLLMENT/*', resource_scope: 'system', filter: '{"data.id": {"$gt": true}}' });
      assert.match(refused.text, /<li data-field="filter"[^>]*>filter \(data\.id \$gt\): must be a number or a string/);
      assert.equal((await h.api('GET', `/v1/subscriptions?endpoint_id=${epId}`)).json.data.length, 0, 'a refused filter stores nothing');
      const saved = await post('/subscriptions', { endpoint_id: epId, events: 'ONDEMAND_ENROLLMENT/*', resource_scope: 'system', filter: '{"data.id": {"$gt": 9007199254740992}}' });
      assert.match(saved.text, /data-subscription="sub_/);
      const stored = await h.api('GET', `/v1/subscriptions?endpoint_id=${epId}`);
      assert.match(stored.text, /"\$gt":9007199254740992/);

      const list = await fetch(`${h.url}/subscriptions`, { headers: { cookie } }).then((r) => r.text());
      assert.match(list, /<code>\{&quot;data\.id&quot;:\{&quot;\$gt&quot;:9007199254740992\}\}<\/code>/, 'the list shows each filter');
      assert.match(list, /name="filter"/);
      assert.match(list, new RegExp(`hx-post="/subscriptions/${stored.json.data[0].id}/filter"`), 'each row can edit its filter');

      const subId = stored.json.data[0].id as string;
      const badEdit = await post(`/subscriptions/${subId}/filter`, { filter: '{"data.id": {"$in": 5}}' });
      assert.match(badEdit.text, /<li data-field="filter"[^>]*>filter \(data\.id \$in\): must be an array/);
      assert.match((await h.api('GET', `/v1/subscriptions/${subId}`)).text, /"\$gt":9007199254740992/, 'a refused edit changes nothing');
      const edited = await post(`/subscriptions/${subId}/filter`, { filter: '{"data.id": {"$lte": 18446744073709551615}}' });
      assert.match(edited.text, /Filter saved/);
      assert.match((await h.api('GET', `/v1/subscriptions/${subId}`)).text, /"\$lte":18446744073709551615/);
      const cleared = await post(`/subscriptions/${subId}/filter`, { filter: '  ' });
      assert.match(cleared.text, /Filter removed/);
      assert.equal((await h.api('GET', `/v1/subscriptions/${subId}`)).json.filter, null);
      assert.match(list, /hx-post="\/subscriptions\/filter-test"/);
    });

    it('the CLI takes --filter JSON and @file on create and update, and --no-filter', async () => {
      const epId = await endpoint('cli');
      const dir = mkdtempSync(join(tmpdir(), 'herald-filter-'));
      try {
        const created = await herald(h, 'subscription', 'create', '--endpoint', epId, '--event', 'ONDEMAND_ENROLLMENT/*', '--filter', '{"data.id": {"$lt": 9007199254740993}}', '--json');
        assert.equal(created.code, 0, created.stderr);
        const id = JSON.parse(created.stdout).id as string;
        const shown = await h.api('GET', `/v1/subscriptions/${id}`);
        assert.match(shown.text, /"\$lt":9007199254740993/, 'the CLI sends big integers as written');

        const file = join(dir, 'filter.json');
        writeFileSync(file, '{"$or": [{"data.plan": "pro"}, {"tenant": {"$startsWith": "lab-"}}]}');
        const updated = await herald(h, 'subscription', 'update', id, '--filter', `@${file}`, '--json');
        assert.equal(updated.code, 0, updated.stderr);
        assert.deepEqual(JSON.parse(updated.stdout).filter, { $or: [{ 'data.plan': 'pro' }, { tenant: { $startsWith: 'lab-' } }] });

        const refused = await herald(h, 'subscription', 'update', id, '--filter', '{"data.plan": {"$like": "p"}}');
        assert.notEqual(refused.code, 0);
        assert.match(refused.stderr, /\/filter\/data\.plan\/\$like/);

        const notJson = await herald(h, 'subscription', 'update', id, '--filter', '{data}');
        assert.notEqual(notJson.code, 0);
        assert.match(notJson.stderr, /not valid JSON/);

        const removed = await herald(h, 'subscription', 'update', id, '--no-filter', '--json');
        assert.equal(removed.code, 0, removed.stderr);
        assert.equal(JSON.parse(removed.stdout).filter, null);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });
}

