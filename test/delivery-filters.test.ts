import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { describe, it } from 'node:test';
import { DIALECTS, skipFor } from './helpers/databases.js';
import { startTestHerald, TEST_TOKEN, until, type TestHerald } from './helpers/herald.js';
import { startReceiver } from './helpers/receiver.js';

const HOUR = 3_600_000;
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

const ids = (page: { json: { data: { id: string }[] } }) => page.json.data.map((d) => d.id);

/** Every page of a listing, following next_cursor to its end. */
async function allPages(h: TestHerald, query: string): Promise<{ ids: string[]; pages: number; sizes: number[] }> {
  const out: string[] = [];
  const sizes: number[] = [];
  let cursor: string | null = null;
  do {
    const page = await h.api('GET', `/v1/deliveries?${query}${cursor ? `&cursor=${cursor}` : ''}`);
    assert.equal(page.status, 200, page.text);
    out.push(...ids(page));
    sizes.push(page.json.data.length);
    cursor = page.json.next_cursor;
  } while (cursor !== null && sizes.length < 200);
  return { ids: out, pages: sizes.length, sizes };
}

for (const dialect of DIALECTS) {
  describe(`the delivery log's filters (${dialect})`, { skip: skipFor(dialect) }, () => {
    it('`since` is when a delivery last changed, `created_since` when it was made; both take ISO times and ages', async () => {
      const h = await startTestHerald(dialect, { HERALD_RETRY_SCHEDULE: '50ms' });
      const r = await startReceiver(() => ({ status: 500, body: 'down' }));
      try {
        const ep = await h.api('POST', '/v1/endpoints', { name: 'down', url: r.url, format: 'strigo' });
        await h.api('POST', '/v1/subscriptions', { endpoint_id: ep.json.id, events: ['CLASS/*'] });
        for (const action of ['CREATED', 'UPDATED', 'DELETED']) await h.api('POST', '/v1/events', { type: 'CLASS', action });
        const failed = await until(async () => {
          const list = await h.api('GET', '/v1/deliveries?status=failed');
          return list.json.data.length === 3 ? list.json.data : null;
        }, 15_000, 'three deliveries to run out of retries');
        const byEvent = new Map<string, string>(failed.map((d: any) => [d.event, d.id]));
        const [longAgo, lately, fresh] = ['CLASS/CREATED', 'CLASS/UPDATED', 'CLASS/DELETED'].map((k) => byEvent.get(k)!) as [string, string, string];
        // Two deliveries were made five hours ago: one ran out of retries four hours ago, the other just now.
        const db = h.herald.ctx.store.db;
        const now = Date.now();
        await db.updateTable('deliveries').set({ created_at: now - 5 * HOUR, updated_at: now - 4 * HOUR }).where('id', '=', longAgo).execute();
        await db.updateTable('deliveries').set({ created_at: now - 5 * HOUR }).where('id', '=', lately).execute();

        assert.deepEqual(ids(await h.api('GET', '/v1/deliveries?status=failed&since=2h')), [fresh, lately]);
        const iso = new Date(now - 2 * HOUR).toISOString();
        assert.deepEqual(ids(await h.api('GET', `/v1/deliveries?status=failed&since=${iso}`)), [fresh, lately]);
        assert.deepEqual(ids(await h.api('GET', '/v1/deliveries?status=failed&created_since=2h')), [fresh]);
        assert.deepEqual(ids(await h.api('GET', '/v1/deliveries?status=failed&since=6h&created_since=6h')), [fresh, lately, longAgo]);
        assert.deepEqual(ids(await h.api('GET', '/v1/deliveries?status=failed&since=90m&limit=1')), [fresh]);

        for (const field of ['since', 'created_since']) {
          const bad = await h.api('GET', `/v1/deliveries?${field}=yesterday`);
          assert.equal(bad.status, 422);
          assert.equal(bad.json.error.details[0].path, `/${field}`);
          assert.match(bad.json.error.details[0].message, /ISO-8601.*2h/);
        }

        const cli = await herald(h, '--json', 'deliveries', '--failed', '--since', '2h');
        assert.equal(cli.code, 0, cli.stderr);
        assert.deepEqual(JSON.parse(cli.stdout).data.map((d: any) => d.id), [fresh, lately]);
        const created = await herald(h, '--json', 'deliveries', '--failed', '--created-since', '2h');
        assert.equal(created.code, 0, created.stderr);
        assert.deepEqual(JSON.parse(created.stdout).data.map((d: any) => d.id), [fresh]);
      } finally {
        await r.close();
        await h.stop();
      }
    });

    it('a pattern filter pages through every older match, however many newer deliveries do not match', async () => {
      const h = await startTestHerald(dialect, { HERALD_RETRY_SCHEDULE: '1h' });
      const r = await startReceiver();
      try {
        const ep = await h.api('POST', '/v1/endpoints', { name: 'all', url: r.url, format: 'strigo' });
        await h.api('POST', '/v1/subscriptions', { endpoint_id: ep.json.id, events: ['*'] });
        assert.equal((await h.api('POST', '/v1/event-types', { type: 'JOB', actions: ['FAILED', 'CREATED'] })).status, 201);
        // Old matches of */FAILED first, then many newer JOB/CREATED/FAILED, which a LIKE on '%/FAILED' also
        // finds but the pattern (one segment before FAILED) does not match.
        const publish = async (n: number, event: Record<string, string>) =>
          assert.equal((await h.api('POST', '/v1/events', { events: Array.from({ length: n }, () => event) })).status, 202);
        await publish(3, { type: 'JOB', action: 'FAILED' });
        await publish(45, { type: 'JOB', action: 'CREATED', result: 'failed' });
        await publish(30, { type: 'EVENT_WORKSPACE', action: 'CREATED' });
        const everything = await allPages(h, 'limit=500');
        assert.equal(everything.ids.length, 78);
        const all = (await Promise.all(everything.ids.map((id) => h.api('GET', `/v1/deliveries/${id}`)))).map((d) => d.json);
        const expect = (match: (event: string) => boolean) => all.filter((d) => match(d.event)).map((d) => d.id);

        const failedOnly = await allPages(h, 'event=*/FAILED&limit=1');
        assert.deepEqual(failedOnly.ids, expect((e) => e === 'JOB/FAILED'));
        assert.ok(failedOnly.sizes.every((n) => n <= 1));

        const threeSegments = await allPages(h, 'event=JOB/*/FAILED&limit=7');
        assert.deepEqual(threeSegments.ids, expect((e) => e === 'JOB/CREATED/FAILED'));
        assert.deepEqual(threeSegments.sizes.slice(0, -1), Array(threeSegments.pages - 1).fill(7), 'every page but the last is full');

        const workspace = await allPages(h, 'event=event_workspace/*&limit=4');
        assert.deepEqual(workspace.ids, expect((e) => e === 'EVENT_WORKSPACE/CREATED'));
        const none = await allPages(h, 'event=EVENTXWORKSPACE/*&limit=4');
        assert.deepEqual(none, { ids: [], pages: 1, sizes: [0] });
      } finally {
        await r.close();
        await h.stop();
      }
    });
  });
}
