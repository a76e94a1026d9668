import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { DIALECTS, freshDatabase, skipFor } from './helpers/databases.js';
import { startTestHerald, until } from './helpers/herald.js';
import { spawnHerald, type HeraldProcess } from './helpers/spawn-herald.js';

async function get(url: string, token?: string): Promise<{ status: number; text: string }> {
  const res = await fetch(url, token ? { headers: { authorization: `Bearer ${token}` } } : {});
  return { status: res.status, text: await res.text() };
}

async function overviewHtml(url: string, token: string): Promise<string> {
  const res = await fetch(`${url}/overview/panel`, { headers: { cookie: `herald_token=${encodeURIComponent(token)}` } });
  assert.equal(res.status, 200);
  return res.text();
}

/** The start-up line is the last one a start writes: every line before it is in the output once it is. */
async function started(p: HeraldProcess): Promise<void> {
  await until(async () => p.output().includes('"msg":"herald started"'), 60_000, 'the start-up line');
}

async function stop(p: HeraldProcess): Promise<void> {
  p.child.kill('SIGTERM');
  await p.exited;
}

describe('scale-out on PostgreSQL: what several processes share', { skip: skipFor('postgres') }, () => {
  it('two api processes with their own data dirs accept the one generated token; the console warns until a worker is seen, whose port answers /healthz, /readyz and /metrics', { timeout: 240_000 }, async () => {
    const db = await freshDatabase('postgres');
    const dirs = [mkdtempSync(join(tmpdir(), 'herald-api-a-')), mkdtempSync(join(tmpdir(), 'herald-api-b-'))];
    const running: HeraldProcess[] = [];
    try {
      const env = (dir: string, role: string) => ({ HERALD_DATABASE_URL: db.databaseUrl!, HERALD_DATA_DIR: dir, HERALD_ROLE: role, HERALD_ADMIN_TOKEN: '', HERALD_LOG_LEVEL: 'info', HERALD_LOG_FORMAT: 'json' });
      // Started together: both find no token and offer one; the database keeps one of them for both.
      const [a, b] = await Promise.all([spawnHerald(env(dirs[0]!, 'api')), spawnHerald(env(dirs[1]!, 'api'))]);
      running.push(a, b);
      await started(a);
      await started(b);
      const tokens = [a, b].flatMap((p) => p.output().split('\n').filter((l) => l.includes('"admin_token"')).map((l) => JSON.parse(l).admin_token as string));
      assert.equal(tokens.length, 1, `exactly one process shows a generated token:\n${a.output()}\n${b.output()}`);
      const token = tokens[0]!;
      for (const p of [a, b]) {
        assert.equal((await get(`${p.url}/v1/endpoints`, token)).status, 200, 'the shared token is accepted');
        assert.equal((await get(`${p.url}/v1/endpoints`, `${token}x`)).status, 401, 'another one is not');
      }
      for (const dir of dirs) assert.equal(existsSync(join(dir, 'admin-token')), false, 'nothing of the token is kept in a data dir');

      // No worker yet: readiness and the console say so.
      const before = JSON.parse((await get(`${a.url}/readyz`)).text);
      assert.equal(before.status, 'ready');
      assert.equal(before.workers.active, 0);
      assert.equal(before.workers.last_seen, null);
      assert.match(before.workers.warning, /no worker has been seen/);
      assert.match(await overviewHtml(b.url, token), /data-warning="no-worker"[^>]*>No worker has been seen yet: deliveries are not being sent/);

      const worker = await spawnHerald(env(mkdtempSync(join(tmpdir(), 'herald-worker-')), 'worker'));
      running.push(worker);
      assert.equal(JSON.parse((await get(`${worker.url}/healthz`)).text).status, 'ok');
      const ready = await get(`${worker.url}/readyz`);
      assert.equal(ready.status, 200);
      assert.equal(JSON.parse(ready.text).role, 'worker');
      const metrics = await get(`${worker.url}/metrics`);
      assert.equal(metrics.status, 200);
      assert.match(metrics.text, /^herald_queue_depth \d+$/m);
      assert.match(metrics.text, /^herald_worker_claims_paused 0$/m);
      assert.equal((await get(`${worker.url}/v1/endpoints`, token)).status, 404, 'a worker serves no API');

      const after = await until(async () => {
        const r = JSON.parse((await get(`${a.url}/readyz`)).text);
        return r.workers.active >= 1 ? r : null;
      }, 30_000, 'the worker heartbeat');
      assert.equal(after.workers.warning, null);
      assert.ok(Date.parse(after.workers.last_seen) > 0);
      assert.doesNotMatch(await overviewHtml(a.url, token), /no-worker/);
      // Health checks are not request log lines.
      assert.match(a.output(), /"url":"\/v1\/endpoints","status":200/, 'API requests are logged');
      assert.doesNotMatch(a.output() + worker.output(), /"url":"\/(healthz|readyz|metrics)"/);

      // A restart finds the token in the database: nothing new is generated or shown.
      await stop(b);
      const b2 = await spawnHerald(env(dirs[1]!, 'api'));
      running.push(b2);
      await started(b2);
      assert.doesNotMatch(b2.output(), /admin_token/);
      assert.equal((await get(`${b2.url}/v1/endpoints`, token)).status, 200);
    } finally {
      for (const p of running) if (p.child.exitCode === null) await stop(p);
      for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
      await db.drop();
    }
  });
});

for (const dialect of DIALECTS) {
  describe(`a worker's own port (${dialect})`, { skip: skipFor(dialect) }, () => {
    it('answers /healthz, /readyz (with its heartbeat) and /metrics, and nothing of the API', { timeout: 60_000 }, async () => {
      const h = await startTestHerald(dialect, { HERALD_ROLE: 'worker' });
      try {
        assert.equal((await get(`${h.url}/healthz`)).status, 200);
        const ready = JSON.parse((await get(`${h.url}/readyz`)).text);
        assert.equal(ready.status, 'ready');
        assert.equal(ready.store, dialect);
        assert.equal(ready.workers.active, 1, 'its own heartbeat is recorded at start');
        const metrics = await get(`${h.url}/metrics`);
        assert.match(metrics.text, /^herald_queue_depth 0$/m);
        const api = await h.api('GET', '/v1/endpoints');
        assert.equal(api.status, 404);
        assert.match(api.json.error.message, /a worker serves \/healthz, \/readyz and \/metrics only/);
      } finally {
        await h.stop();
      }
    });
  });
}
