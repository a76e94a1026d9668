import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError, loadConfig } from '../src/config.js';
import { DIALECTS, freshDatabase, skipFor } from './helpers/databases.js';
import { until } from './helpers/herald.js';
import { startReceiver } from './helpers/receiver.js';
import { api, spawnHerald, type HeraldProcess } from './helpers/spawn-herald.js';

/** Resolves with the exit code, or rejects when the process is still running after `ms`. */
function exitWithin(p: HeraldProcess, ms: number): Promise<number | null> {
  return Promise.race([
    p.exited,
    new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`still running ${ms} ms after the signal:\n${p.output()}`)), ms).unref()),
  ]);
}

/** A receiver whose first request is never answered; every later one gets 200. */
const hangFirst = () => startReceiver((_r, i) => (i === 0 ? new Promise<never>(() => {}) : { status: 200 }));

async function publishOne(url: string, receiverUrl: string): Promise<string> {
  const ep = await api(url, 'POST', '/v1/endpoints', { name: 'stuck', url: receiverUrl, format: 'strigo' });
  assert.equal(ep.status, 201, ep.text);
  const sub = await api(url, 'POST', '/v1/subscriptions', { endpoint_id: ep.json.id, events: ['*'] });
  assert.equal(sub.status, 201, sub.text);
  const res = await api(url, 'POST', '/v1/events', { type: 'CLASS', action: 'CREATED', entity_ids: ['c1'] });
  assert.equal(res.status, 202, res.text);
  return res.json.id as string;
}

describe('HERALD_SHUTDOWN_TIMEOUT', () => {
  it('defaults to 30 s, takes a duration, and a bad value names the variable', () => {
    assert.equal(loadConfig({}).shutdownTimeoutMs, 30_000);
    assert.equal(loadConfig({ HERALD_SHUTDOWN_TIMEOUT: '5s' }).shutdownTimeoutMs, 5000);
    assert.throws(
      () => loadConfig({ HERALD_SHUTDOWN_TIMEOUT: 'soon' }),
      (e: unknown) => e instanceof ConfigError && e.variable === 'HERALD_SHUTDOWN_TIMEOUT' && /duration/.test(e.message),
    );
  });
});

for (const dialect of DIALECTS) {
  describe(`shutdown with a receiver that never answers (${dialect})`, { skip: skipFor(dialect) }, () => {
    it('SIGTERM: exits by the deadline, and the unanswered delivery is released for the next Herald at once', async () => {
      const db = await freshDatabase(dialect);
      const r = await hangFirst();
      // The request timeout and the lease are far longer than the test waits: only the shutdown deadline can end
      // the stop, and only a released lease lets the next process send the delivery in time.
      const env = {
        HERALD_DATA_DIR: db.dataDir,
        HERALD_SHUTDOWN_TIMEOUT: '2s',
        HERALD_REQUEST_TIMEOUT: '10m',
        HERALD_LEASE: '10m',
        HERALD_LOG_LEVEL: 'info',
        ...(db.databaseUrl ? { HERALD_DATABASE_URL: db.databaseUrl } : {}),
      };
      const first = await spawnHerald(env);
      let second: HeraldProcess | null = null;
      try {
        const messageId = await publishOne(first.url, r.url);
        await r.waitFor(1, 15_000);

        const signalledAt = Date.now();
        first.child.kill('SIGTERM');
        const code = await exitWithin(first, 2000 + 8000);
        const tookMs = Date.now() - signalledAt;
        assert.equal(code, 0, first.output());
        assert.ok(tookMs >= 1900, `the stop waited for the in-flight delivery until its deadline (exited after ${tookMs} ms)`);
        assert.match(first.output(), /shutdown deadline passed with deliveries in flight; their leases are released/);

        second = await spawnHerald(env);
        // Well inside the 10-minute lease: the row came back released, not expired.
        await r.waitFor(2, 20_000);
        assert.equal(JSON.parse(r.received[1]!.body).message_id, messageId);
        const delivered = await until(async () => {
          const list = await api(second!.url, 'GET', `/v1/deliveries?message_id=${messageId}`);
          return list.json.data[0]?.status === 'succeeded' ? list.json.data : null;
        }, 10_000, 'the delivery recorded as succeeded');
        assert.equal(delivered.length, 1);
      } finally {
        for (const p of [first, second]) {
          if (p && p.child.exitCode === null) {
            p.child.kill('SIGKILL');
            await p.exited;
          }
        }
        await r.close();
        await db.drop();
      }
    });

    it('a second signal during the stop exits at once, non-zero', async () => {
      const db = await freshDatabase(dialect);
      const r = await hangFirst();
      // The default deadline (30 s) is far beyond the wait below: only the second signal can end the process.
      const env = {
        HERALD_DATA_DIR: db.dataDir,
        HERALD_REQUEST_TIMEOUT: '10m',
        HERALD_LOG_LEVEL: 'info',
        ...(db.databaseUrl ? { HERALD_DATABASE_URL: db.databaseUrl } : {}),
      };
      const h = await spawnHerald(env);
      try {
        await publishOne(h.url, r.url);
        await r.waitFor(1, 15_000);
        h.child.kill('SIGTERM');
        await until(async () => h.output().includes('stopping: no new work'), 10_000, 'the first signal handled');
        h.child.kill('SIGINT');
        const code = await exitWithin(h, 10_000);
        assert.equal(code, 130, h.output());
        assert.match(h.output(), /second signal: exiting now/);
      } finally {
        if (h.child.exitCode === null) {
          h.child.kill('SIGKILL');
          await h.exited;
        }
        await r.close();
        await db.drop();
      }
    });
  });
}
