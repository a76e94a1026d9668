import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startReceiver, type Receiver } from './helpers/receiver.js';
import { startTestHerald, until, type TestHerald } from './helpers/herald.js';

let h: TestHerald;
let receiver: Receiver;

before(async () => {
  h = await startTestHerald('sqlite');
  receiver = await startReceiver((_r, i) => ({ status: i === 0 ? 500 : 200 }));
});
after(async () => {
  await h.stop();
  await receiver.close();
});

async function scrape(): Promise<string> {
  const res = await fetch(`${h.url}/metrics`);
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type') ?? '', /text\/plain/);
  return res.text();
}

function sample(text: string, name: string, labels: Record<string, string> = {}): number {
  for (const line of text.split('\n')) {
    if (!line.startsWith(name)) continue;
    const m = /^([a-z_]+)(\{[^}]*\})? (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const got = Object.fromEntries([...(m[2] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((x) => [x[1], x[2]]));
    if (Object.entries(labels).every(([k, v]) => got[k] === v)) return Number(m[3]);
  }
  return 0;
}

test('metrics: /metrics needs no token and counts deliveries by outcome and format, latency and HTTP requests', async () => {
  const ep = await h.api('POST', '/v1/endpoints', { name: 'metrics', url: receiver.url, format: 'standard' });
  assert.equal(ep.status, 201);
  assert.equal((await h.api('POST', '/v1/subscriptions', { endpoint_id: ep.json.id, events: ['ONDEMAND_ENROLLMENT/*'] })).status, 201);
  const before = await scrape();
  assert.equal(sample(before, 'herald_deliveries_total', { outcome: 'succeeded', format: 'standard' }), 0);

  const pub = await h.api('POST', '/v1/events', { type: 'ONDEMAND_ENROLLMENT', action: 'STARTED', entity_ids: ['enr_1'] });
  assert.equal(pub.status, 202);
  await receiver.waitFor(2);
  const text = await until(async () => {
    const t = await scrape();
    return sample(t, 'herald_deliveries_total', { outcome: 'succeeded', format: 'standard' }) === 1 ? t : null;
  }, 10_000, 'the success to be counted');

  assert.equal(sample(text, 'herald_deliveries_total', { outcome: 'retrying', format: 'standard' }), 1);
  assert.equal(sample(text, 'herald_attempt_duration_seconds_count', { format: 'standard' }), 2);
  assert.equal(sample(text, 'herald_http_requests_total', { method: 'POST', route: '/v1/events', status: '202' }), 1);
  assert.equal(sample(text, 'herald_http_requests_total', { method: 'POST', route: '/v1/endpoints', status: '201' }), 1);
  assert.match(text, /^herald_queue_depth 0$/m);
  assert.match(text, /^herald_queue_oldest_due_age_seconds 0$/m);
  assert.ok(!/\/metrics/.test(text.split('\n').filter((l) => l.startsWith('herald_http_requests_total')).join('\n')), 'scrapes are not counted');
});

test('metrics: queue depth and oldest due age come from the store at scrape time', async () => {
  const now = Date.now();
  const db = h.herald.ctx.store.db;
  const ep = await db.selectFrom('endpoints').select('id').executeTakeFirstOrThrow();
  const msg = await db.selectFrom('messages').select('id').executeTakeFirstOrThrow();
  // The dispatcher is stopped so the rows stay due while the gauges are read.
  await h.herald.dispatcher!.stop();
  await db
    .insertInto('deliveries')
    .values(
      [1, 2, 3].map((i) => ({
        id: `dlv_metrics_${i}`,
        message_id: msg.id,
        endpoint_id: ep.id,
        subscription_id: null,
        topic_id: null,
        tenant: 'default',
        event_key: 'ONDEMAND_ENROLLMENT/STARTED',
        status: 'pending',
        attempts: 0,
        next_attempt_at: i === 3 ? now + 3_600_000 : now - i * 10_000,
        lease_owner: null,
        lease_expires_at: null,
        last_status_code: null,
        last_error: null,
        created_at: now,
        updated_at: now,
      })),
    )
    .execute();
  const text = await scrape();
  assert.equal(sample(text, 'herald_queue_depth'), 2);
  const age = sample(text, 'herald_queue_oldest_due_age_seconds');
  assert.ok(age >= 20 && age < 30, `oldest due age ${age}`);
});

test('metrics: incoming results are counted as the incoming route answers', async () => {
  const before = sample(await scrape(), 'herald_incoming_total', { result: 'refused' }) || 0;
  // Two real callbacks with credentials no endpoint has: both refused (401) and counted.
  for (let i = 0; i < 2; i++) {
    const res = await fetch(`${h.url}/v1/incoming`, {
      method: 'POST',
      headers: { authorization: 'Bearer cb_nobody:wrong', 'content-type': 'application/json' },
      body: JSON.stringify({ source_message_id: 'msg_x', type: 'RESOURCE', action: 'CREATED', data: { resources: [] } }),
    });
    assert.equal(res.status, 401);
  }
  const text = await scrape();
  assert.equal(sample(text, 'herald_incoming_total', { result: 'refused' }), before + 2);
});
