import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DIALECTS, skipFor } from './helpers/databases.js';
import { startTestHerald, TEST_TOKEN, until, type TestHerald } from './helpers/herald.js';
import { startReceiver } from './helpers/receiver.js';
import { runCli } from './helpers/cli-process.js';


const cli = (h: TestHerald, ...args: string[]) => runCli({ HERALD_URL: h.url, HERALD_TOKEN: TEST_TOKEN, NO_COLOR: '1' }, args);

async function login(h: TestHerald): Promise<string> {
  const res = await fetch(`${h.url}/login`, { method: 'POST', body: new URLSearchParams({ token: TEST_TOKEN }), redirect: 'manual' });
  return (res.headers.get('set-cookie') ?? '').split(';')[0]!;
}

for (const dialect of DIALECTS) {
  describe(`what never arrived (${dialect})`, { skip: skipFor(dialect) }, () => {
    it('lists messages a receiver outage left undelivered, with why; recover by message list; CLI and console', async () => {
      // Two attempts per delivery; a 503 with Retry-After waits an hour, so that delivery stays pending after a try.
      const h = await startTestHerald(dialect, { HERALD_RETRY_SCHEDULE: '50ms' });
      let down = false;
      const backend = await startReceiver((req) => {
        if (!down) return { status: 200 };
        return JSON.parse(req.body).status === 'UPDATED' ? { status: 503, body: 'maintenance', headers: { 'retry-after': '3600' } } : { status: 500, body: 'database is down' };
      });
      const fine = await startReceiver();
      try {
        const mk = async (name: string, url: string, events: string[], enabled = true) => {
          const ep = await h.api('POST', '/v1/endpoints', { name, url, format: 'strigo', enabled });
          assert.equal(ep.status, 201, ep.text);
          assert.equal((await h.api('POST', '/v1/subscriptions', { endpoint_id: ep.json.id, events })).status, 201);
          return ep.json.id as string;
        };
        const backendId = await mk('lab backend', backend.url, ['CLASS/*']);
        const fineId = await mk('analytics', fine.url, ['CLASS/*']);
        const offId = await mk('paused crm', fine.url, ['CLASS/UPDATED'], false);
        const publish = async (action: string, id: string) => {
          const r = await h.api('POST', '/v1/events', { type: 'CLASS', action, entity_ids: [id] });
          assert.equal(r.status, 202, r.text);
          return r.json.id as string;
        };

        const delivered = await publish('CREATED', 'c0');
        await backend.waitFor(1);
        await until(async () => (await h.api('GET', `/v1/messages/${delivered}`)).json.deliveries.every((d: any) => d.status === 'succeeded'), 10_000, 'c0 delivered');

        // The outage.
        down = true;
        const m1 = await publish('CREATED', 'c1');
        const m2 = await publish('DELETED', 'c2');
        const m3 = await publish('UPDATED', 'c3');
        await until(
          async () => {
            const ds = (await h.api('GET', `/v1/deliveries?endpoint_id=${backendId}`)).json.data;
            const by = new Map(ds.map((d: any) => [d.message_id, d]));
            const d1: any = by.get(m1);
            const d2: any = by.get(m2);
            const d3: any = by.get(m3);
            return d1?.status === 'failed' && d2?.status === 'failed' && d3?.status === 'retrying' && d3.attempt_count === 1;
          },
          15_000,
          'two failed deliveries and one waiting for its retry',
        );

        const all = await h.api('GET', '/v1/messages?undelivered=true');
        assert.equal(all.status, 200, all.text);
        assert.deepEqual(all.json.data.map((m: any) => m.id), [m3, m2, m1], 'newest first; the delivered message is not listed');
        assert.equal(all.json.next_cursor, null);
        const [v3, v2, v1] = all.json.data;
        assert.deepEqual(
          v1.deliveries.map((d: any) => [d.endpoint_id, d.status, d.attempt_count, d.last_status_code, d.last_error, d.why]),
          [[backendId, 'failed', 2, 500, 'HTTP 500: database is down', 'failed for good after 2 attempts: HTTP 500: database is down']],
          'only the deliveries that did not arrive, each with why',
        );
        assert.equal(v2.event, 'CLASS/DELETED');
        assert.deepEqual(v2.deliveries.map((d: any) => d.status), ['failed']);
        const byEndpoint = new Map(v3.deliveries.map((d: any) => [d.endpoint_id, d]));
        assert.equal(byEndpoint.size, 2);
        assert.ok(!byEndpoint.has(fineId));
        const pending: any = byEndpoint.get(backendId);
        assert.equal(pending.status, 'retrying');
        assert.match(pending.why, /^retrying after 1 attempt \(next at .+\): HTTP 503: maintenance$/);
        assert.ok(Date.parse(pending.next_attempt_at) > Date.now() + 30 * 60_000, 'waiting as the receiver asked');
        const skipped: any = byEndpoint.get(offId);
        assert.deepEqual([skipped.status, skipped.why, skipped.endpoint_name], ['skipped', 'never sent: endpoint disabled', 'paused crm']);

        // Filters and paging.
        const ids = async (query: string) => {
          const r = await h.api('GET', `/v1/messages?undelivered=true&${query}`);
          assert.equal(r.status, 200, r.text);
          return r.json.data.map((m: any) => m.id);
        };
        assert.deepEqual(await ids(`endpoint_id=${offId}`), [m3]);
        assert.deepEqual(await ids('event=CLASS/DELETED'), [m2]);
        assert.deepEqual(await ids('event=class/*'), [m3, m2, m1]);
        assert.deepEqual(await ids('since=1h'), [m3, m2, m1]);
        assert.deepEqual(await ids(`since=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString())}`), []);
        const first = await h.api('GET', '/v1/messages?undelivered=true&limit=2');
        assert.deepEqual(first.json.data.map((m: any) => m.id), [m3, m2]);
        const second = await h.api('GET', `/v1/messages?undelivered=true&limit=2&cursor=${first.json.next_cursor}`);
        assert.deepEqual([second.json.data.map((m: any) => m.id), second.json.next_cursor], [[m1], null]);
        const everything = await h.api('GET', '/v1/messages?event=CLASS/*');
        assert.deepEqual(everything.json.data.map((m: any) => m.id), [m3, m2, m1, delivered], 'without undelivered, every message');
        const badSince = await h.api('GET', '/v1/messages?undelivered=true&since=yesterday-ish');
        assert.equal(badSince.status, 422);
        assert.match(badSince.text, /since/);
        const badFlag = await h.api('GET', '/v1/messages?undelivered=yes');
        assert.equal(badFlag.status, 422, badFlag.text);
        assert.match(badFlag.text, /undelivered/);

        // The CLI shows the same, with why.
        const table = await cli(h, 'messages', '--undelivered', '--endpoint', backendId);
        assert.equal(table.code, 0, table.stderr);
        const lines = table.stdout.trim().split('\n');
        assert.match(lines[0]!, /^MESSAGE\s+EVENT\s+CREATED\s+ENDPOINT\s+STATUS\s+TRIES\s+WHY$/);
        assert.equal(lines.length, 4);
        assert.match(table.stdout, new RegExp(`${m1}\\s+CLASS/CREATED\\s+.+lab backend\\s+failed\\s+2\\s+failed for good after 2 attempts: HTTP 500: database is down`));
        assert.match(table.stdout, new RegExp(`${m3}\\s+CLASS/UPDATED\\s+.+lab backend\\s+retrying\\s+1\\s+retrying after 1 attempt`));
        const help = await cli(h, 'messages', '--help');
        assert.match(help.stdout, /Examples:\n  \$ herald messages --undelivered --since 2h/);
        const asJson = await cli(h, '--json', 'messages', '--undelivered', '--event', 'CLASS/DELETED');
        assert.equal(asJson.code, 0, asJson.stderr);
        assert.deepEqual(JSON.parse(asJson.stdout).data.map((m: any) => m.id), [m2]);

        // The console page lists them, and links to the delivery log.
        const cookie = await login(h);
        const pageRes = await fetch(`${h.url}/undelivered?endpoint_id=${backendId}`, { headers: { cookie } });
        assert.equal(pageRes.status, 200);
        const pageHtml = await pageRes.text();
        assert.match(pageHtml, /href="\/undelivered"[^>]*aria-current="page"/);
        for (const m of [m1, m2, m3]) assert.ok(pageHtml.includes(`/deliveries?message_id=${m}`), `the page lists ${m}`);
        assert.ok(pageHtml.includes('failed for good after 2 attempts: HTTP 500: database is down'));
        assert.ok(pageHtml.includes('Re-queue these 3 messages to lab backend'));
        assert.ok(!pageHtml.includes(delivered));

        // Recover refuses what it cannot do, naming the field.
        const tooMany = await h.api('POST', `/v1/endpoints/${backendId}/recover`, { message_ids: Array.from({ length: 1001 }, (_, i) => `msg_${i}`) });
        assert.equal(tooMany.status, 422, tooMany.text);
        assert.match(tooMany.text, /message_ids/);
        const both = await h.api('POST', `/v1/endpoints/${backendId}/recover`, { since: '1h', message_ids: [m1] });
        assert.equal(both.status, 422);
        assert.match(both.text, /exactly one of since/);
        assert.equal((await h.api('POST', `/v1/endpoints/${backendId}/recover`, {})).status, 422);
        assert.equal((await h.api('POST', `/v1/endpoints/${backendId}/recover`, { message_ids: [] })).status, 422);
        assert.equal((await h.api('POST', '/v1/endpoints/ep_nope/recover', { message_ids: [m1] })).status, 404);
        const cliBoth = await cli(h, 'recover', '--endpoint', backendId, '--since', '1h', '--message', m1);
        assert.equal(cliBoth.code, 1);
        assert.match(cliBoth.stderr, /exactly one of --since or --message/);

        // The receiver is back: recover two by the API, one by the CLI; nothing of the backend's is left undelivered.
        down = false;
        const byApi = await h.api('POST', `/v1/endpoints/${backendId}/recover`, { message_ids: [m1, m3, delivered] });
        assert.equal(byApi.status, 200, byApi.text);
        assert.equal(byApi.json.requeued, 2, 'the failed one and the one waiting for its retry; the delivered one is left alone');
        const byCli = await cli(h, 'recover', '--endpoint', backendId, '--message', m2);
        assert.equal(byCli.code, 0, byCli.stderr);
        assert.equal(byCli.stdout.trim(), `1 delivery of 1 message re-queued for ${backendId}`);
        await until(async () => (await ids(`endpoint_id=${backendId}`)).length === 0, 15_000, 'the backend to receive what it missed');
        const arrived = new Set(backend.received.filter((r) => r.at > 0).map((r) => JSON.parse(r.body).message_id));
        for (const m of [m1, m2, m3]) assert.ok(arrived.has(m), `${m} reached the backend`);
        // What is still undelivered is the paused endpoint's skipped delivery, and it says so.
        const left = await h.api('GET', '/v1/messages?undelivered=true');
        assert.deepEqual(
          left.json.data.map((m: any) => [m.id, m.deliveries.map((d: any) => [d.endpoint_id, d.status])]),
          [[m3, [[offId, 'skipped']]]],
        );
        const emptyCli = await cli(h, 'messages', '--undelivered', '--endpoint', backendId);
        assert.equal(emptyCli.code, 0);
        assert.match(emptyCli.stderr, /every delivery of the messages asked for has arrived/);

        // The paused endpoint, enabled again, gets its skipped delivery through the console's re-queue.
        await h.api('POST', `/v1/endpoints/${offId}/enable`);
        const received = fine.received.length;
        const form = await fetch(`${h.url}/undelivered/recover`, {
          method: 'POST',
          headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({ endpoint_id: offId, message_ids: m3 }),
          redirect: 'manual',
        });
        assert.equal(form.status, 303);
        assert.match(form.headers.get('location') ?? '', /done=recovered&n=1/);
        await fine.waitFor(received + 1);
        await until(async () => (await h.api('GET', '/v1/messages?undelivered=true')).json.data.length === 0, 15_000, 'nothing left undelivered');
      } finally {
        await backend.close();
        await fine.close();
        await h.stop();
      }
    });
  });
}
