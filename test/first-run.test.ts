import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { prettyLine } from '../src/log-format.js';
import { until } from './helpers/herald.js';
import { spawnHerald, type HeraldProcess } from './helpers/spawn-herald.js';

async function stop(p: HeraldProcess): Promise<void> {
  p.child.kill('SIGTERM');
  assert.equal(await p.exited, 0, p.output());
}

/** An address of this machine other than loopback, if it has one. */
function externalAddress(): string | null {
  for (const list of Object.values(networkInterfaces())) for (const a of list ?? []) if (a.family === 'IPv4' && !a.internal) return a.address;
  return null;
}

describe('a first run', () => {
  it('reads as text on a terminal: the console URL, the generated token on a line of its own, once; loopback only; health checks unlogged', { timeout: 180_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'herald-first-run-'));
    // As `npm start` would run it: no token, no host, the data dir fresh; the format a terminal gets.
    const env = { HERALD_DATA_DIR: dir, HERALD_ADMIN_TOKEN: '', HERALD_HOST: '', HERALD_LOG_LEVEL: 'info', HERALD_LOG_FORMAT: 'pretty' };
    let p: HeraldProcess | null = null;
    try {
      p = await spawnHerald(env);
      const first = p;
      await until(async () => / herald started /.test(first.output()), 60_000, 'the start-up line');
      const token = readFileSync(join(dir, 'admin-token'), 'utf8').trim();
      const lines = p.output().split('\n');
      assert.ok(lines.includes(token), `the token is a line of its own:\n${p.output()}`);
      assert.match(p.output(), /INFO {2}admin token generated, kept in .*admin-token; it is shown only this once:\n\nhrld_/);
      const port = new URL(p.url).port;
      assert.match(p.output(), new RegExp(`herald started .*console=http://127\\.0\\.0\\.1:${port}/`));
      assert.equal(lines.filter((l) => l.startsWith('{')).length, 0, 'no JSON lines');

      for (const path of ['/healthz', '/readyz', '/metrics']) assert.equal((await fetch(p.url + path)).status, 200);
      assert.equal((await fetch(`${p.url}/v1/endpoints`, { headers: { authorization: `Bearer ${token}` } })).status, 200);
      await until(async () => first.output().includes('request method=GET url=/v1/endpoints status=200'), 10_000, 'the request line');
      assert.doesNotMatch(p.output(), /url=\/(healthz|readyz|metrics)/, 'health checks are not logged');

      const other = externalAddress();
      if (other) await assert.rejects(fetch(`http://${other}:${port}/healthz`), `not reachable on ${other}`);

      await stop(p);
      // Started again, with output that is not a terminal and no format asked for: JSON lines, no token shown.
      p = await spawnHerald({ ...env, HERALD_LOG_FORMAT: '' });
      const second = p;
      await until(async () => second.output().includes('"msg":"herald started"'), 60_000, 'the start-up line');
      for (const line of p.output().trim().split('\n')) assert.doesNotThrow(() => JSON.parse(line), line);
      assert.doesNotMatch(p.output(), /admin_token|hrld_/);
      assert.equal(JSON.parse(p.output().split('\n').find((l) => l.includes('herald started'))!).console, `${p.url}/`);
    } finally {
      if (p && p.child.exitCode === null) await stop(p);
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a pretty line keeps what a record says: level, message, fields, an error by its message', () => {
    const line = prettyLine(JSON.stringify({ level: 40, time: Date.UTC(2024, 0, 1), pid: 1, hostname: 'h', msg: 'checkpoint failed', error: 'disk full', n: 3, err: { type: 'Error', message: 'boom', stack: 'Error: boom\n    at x' } }));
    assert.match(line, /^\d\d:\d\d:\d\d WARN  checkpoint failed error="disk full" n=3 err="boom"\n$/);
    assert.equal(prettyLine('not json\n'), 'not json\n');
  });
});
