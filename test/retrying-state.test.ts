import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { describe, test } from 'node:test';
import { DIALECTS, skipFor } from './helpers/databases.js';
import { startReceiver } from './helpers/receiver.js';
import { startTestHerald, TEST_TOKEN, until, type TestHerald } from './helpers/herald.js';

const CLI = new URL('../src/cli/main.ts', import.meta.url).pathname;

function herald(h: TestHerald, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CLI, ...args], {
      env: { PATH: process.env.PATH ?? '', HERALD_URL: h.url, HERALD_TOKEN: TEST_TOKEN, NO_COLOR: '1' },
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

async function consoleGet(h: TestHerald) {
  const login = await fetch(`${h.url}/login`, { method: 'POST', body: new URLSearchParams({ token: TEST_TOKEN }), redirect: 'manual' });
  const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0]!;
  return async (path: string) => {
    const res = await fetch(h.url + path, { headers: { cookie } });
    return { status: res.status, text: await res.text() };
  };
}

const ids = (list: { json: { data: Array<{ id: string }> } }) => list.json.data.map((d) => d.id).sort();

/**
 * A delivery that failed and will be tried again is `retrying`, wherever it is shown: the API's status and filter,
 * the CLI's `--failed`, the console's filter, badge and overview. Four receivers give one of each: fine, fine after
 * one retry, down (retrying, its next attempt an hour away) and gone (410: failed at once).
 */
for (const dialect of DIALECTS) {
  describe(`the retrying state (${dialect})`, { skip: skipFor(dialect) }, () => {
    test('API, CLI and console show a failing delivery as retrying, apart from pending and failed', { timeout: 90_000 }, async () => {
      const h = await startTestHerald(dialect, { HERALD_RETRY_SCHEDULE: '200ms,1h' });
      const fine = await startReceiver();
      const flaky = await startReceiver((_r, i) => ({ status: i === 0 ? 500 : 200 }));
      const down = await startReceiver(() => ({ status: 503, body: 'down for maintenance' }));
      const gone = await startReceiver(() => ({ status: 410, body: 'gone' }));
      try {
        const endpoint = async (name: string, url: string, event: string) => {
          const ep = await h.api('POST', '/v1/endpoints', { name, url, format: 'strigo' });
          assert.equal(ep.status, 201, ep.text);
          await h.api('POST', '/v1/subscriptions', { endpoint_id: ep.json.id, events: [event] });
          return ep.json.id as string;
        };
        const eps = {
          fine: await endpoint('fine', fine.url, 'CLASS/CREATED'),
          flaky: await endpoint('flaky', flaky.url, 'CLASS/UPDATED'),
          down: await endpoint('down', down.url, 'CLASS/DELETED'),
          gone: await endpoint('gone', gone.url, 'EVENT/STARTED'),
        };
        for (const [type, action] of [['CLASS', 'CREATED'], ['CLASS', 'UPDATED'], ['CLASS', 'DELETED'], ['EVENT', 'STARTED']]) {
          const pub = await h.api('POST', '/v1/events', { type, action });
          assert.equal(pub.status, 202, pub.text);
        }
        const of = async (ep: string) => (await h.api('GET', `/v1/deliveries?endpoint_id=${ep}`)).json.data[0];
        // Down has had both quick attempts; its next is an hour away.
        const retrying = await until(async () => {
          const d = await of(eps.down);
          return d && d.attempt_count === 2 ? d : null;
        }, 20_000, 'two failed attempts to the down receiver');
        await until(async () => (await of(eps.flaky))?.status === 'succeeded' && (await of(eps.gone))?.status === 'failed' && (await of(eps.fine))?.status === 'succeeded', 20_000, 'the others to settle');

        // API: the status of the view, and each filter.
        assert.equal(retrying.status, 'retrying');
        assert.equal(retrying.last_error, 'HTTP 503: down for maintenance');
        assert.ok(Date.parse(retrying.next_attempt_at) > Date.now() + 30 * 60_000, 'the next attempt is due later');
        assert.equal((await h.api('GET', `/v1/deliveries/${retrying.id}`)).json.status, 'retrying');
        const message = await h.api('GET', `/v1/messages/${retrying.message_id}`);
        assert.deepEqual(message.json.deliveries.map((d: any) => d.status), ['retrying']);
        assert.deepEqual(ids(await h.api('GET', '/v1/deliveries?status=retrying')), [retrying.id]);
        const goneDelivery = await of(eps.gone);
        assert.deepEqual(ids(await h.api('GET', '/v1/deliveries?status=failed')), [goneDelivery.id], 'failed is only what ran out of chances');
        assert.deepEqual(ids(await h.api('GET', '/v1/deliveries?status=pending')), [], 'nothing is pending without a failure');
        const succeeded = await h.api('GET', '/v1/deliveries?status=succeeded');
        assert.deepEqual(ids(succeeded), [(await of(eps.fine)).id, (await of(eps.flaky)).id].sort());
        const bogus = await h.api('GET', '/v1/deliveries?status=failing');
        assert.equal(bogus.status, 422, bogus.text);
        assert.ok(bogus.json.error.details[0].allowed.includes('retrying'), bogus.text);

        // CLI: --failed is both, with a count of each.
        const cli = await herald(h, 'deliveries', '--failed');
        assert.equal(cli.code, 0, cli.stderr);
        const lines = cli.stdout.trimEnd().split('\n');
        assert.match(lines[0]!, /^ID\s+STATUS/);
        const rows = lines.slice(1, -1);
        assert.equal(rows.length, 2, cli.stdout);
        assert.ok(rows.some((l) => l.startsWith(retrying.id) && /\bretrying\b/.test(l)), cli.stdout);
        assert.ok(rows.some((l) => l.startsWith(goneDelivery.id) && /\bfailed\b/.test(l)), cli.stdout);
        assert.equal(lines.at(-1), '1 failed, 1 retrying');
        const json = await herald(h, '--json', 'deliveries', '--failed');
        assert.equal(json.code, 0, json.stderr);
        assert.deepEqual(JSON.parse(json.stdout).data.map((d: any) => d.id), [goneDelivery.id, retrying.id].sort().reverse(), 'newest first');
        const onePage = await herald(h, '--json', 'deliveries', '--failed', '--limit', '1');
        const first = JSON.parse(onePage.stdout);
        assert.equal(first.data.length, 1);
        const next = await herald(h, '--json', 'deliveries', '--failed', '--limit', '1', '--cursor', first.next_cursor);
        const second = JSON.parse(next.stdout);
        assert.deepEqual([...first.data, ...second.data].map((d: any) => d.id).sort(), [goneDelivery.id, retrying.id].sort(), 'pages cover both');
        assert.equal(second.next_cursor, null);

        // Console: the filter offers it and shows only it, with a red badge.
        const get = await consoleGet(h);
        const filtered = await get('/deliveries?status=retrying');
        assert.equal(filtered.status, 200);
        assert.match(filtered.text, /<option value="retrying" selected>retrying<\/option>/);
        const shown = [...filtered.text.matchAll(/<tr data-delivery="([^"]+)" data-status="([^"]+)">/g)].map((m) => [m[1], m[2]]);
        assert.deepEqual(shown, [[retrying.id, 'retrying']]);
        assert.match(filtered.text, /<span class="badge bad">retrying<\/span>/);
        const detail = await get(`/deliveries/${retrying.id}`);
        assert.match(detail.text, /<dd id="delivery-status"><span class="badge bad">retrying<\/span><\/dd>/);

        // Overview: per delivery, not per attempt (five attempts, two of them successes).
        const overview = await get('/');
        const summary = /<p id="delivery-summary" data-failing="(\d+)">(.*?)<\/p>/s.exec(overview.text);
        assert.ok(summary, overview.text.slice(0, 2000));
        assert.equal(summary[1], '2');
        const words = summary[2]!.replace(/<[^>]+>/g, '');
        assert.equal(words, 'Last hour: 2 delivered, 1 needed a retry, 1 failed; 1 retrying now');
        assert.match(overview.text, /<svg class="ring bad"/, 'red: something is failing');
      } finally {
        for (const r of [fine, flaky, down, gone]) await r.close();
        await h.stop();
      }
    });

    test('the overview is not red when every delivery got through, even after retries', { timeout: 60_000 }, async () => {
      const h = await startTestHerald(dialect, { HERALD_RETRY_SCHEDULE: '100ms,100ms' });
      const flaky = await startReceiver((_r, i) => ({ status: i % 2 === 0 ? 500 : 200 }));
      try {
        const ep = await h.api('POST', '/v1/endpoints', { name: 'flaky', url: flaky.url, format: 'strigo' });
        await h.api('POST', '/v1/subscriptions', { endpoint_id: ep.json.id, events: ['CLASS/*'] });
        await h.api('POST', '/v1/events', { type: 'CLASS', action: 'CREATED' });
        await until(async () => (await h.api('GET', '/v1/deliveries?status=succeeded')).json.data.length === 1, 15_000, 'the delivery');
        const get = await consoleGet(h);
        const overview = await get('/');
        const summary = /<p id="delivery-summary" data-failing="(\d+)">(.*?)<\/p>/s.exec(overview.text);
        assert.ok(summary);
        assert.equal(summary[2]!.replace(/<[^>]+>/g, ''), 'Last hour: 1 delivered, 1 needed a retry, 0 failed; 0 retrying now');
        assert.doesNotMatch(summary[2]!, /badge bad/);
        assert.match(overview.text, /<svg class="ring ok"[^>]*aria-label="success rate 100.0%"/);
        assert.doesNotMatch(overview.text, /class="ring bad"/);
      } finally {
        await flaky.close();
        await h.stop();
      }
    });
  });
}
