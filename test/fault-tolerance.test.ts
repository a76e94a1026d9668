import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';
import pg from 'pg';
import { describe, it } from 'node:test';
import { freshDatabase, PG_SKIP_REASON, PG_URL } from './helpers/databases.js';
import { startTestHerald, until } from './helpers/herald.js';
import { startReceiver, type Receiver } from './helpers/receiver.js';
import { api, spawnHerald } from './helpers/spawn-herald.js';

const run = promisify(execFile);

/**
 * Faults under load. Both cases need PostgreSQL (one restarts it; the other runs several Herald processes on one
 * store). This file is the only one that stops the shared server, and it waits until the server answers again.
 */
const CLUSTER = existsSync('/etc/postgresql/15/main') ? ['15', 'main'] : null;
const canRestart = PG_URL && CLUSTER && new URL(PG_URL).hostname === '127.0.0.1';

async function pgReady(timeoutMs = 30_000): Promise<void> {
  const { hostname, port } = new URL(PG_URL!);
  await until(
    async () => {
      try {
        await run('pg_isready', ['-h', hostname, '-p', port || '5432']);
        return true;
      } catch {
        return false;
      }
    },
    timeoutMs,
    'PostgreSQL to accept connections',
  );
}

async function pgctl(action: 'stop' | 'start'): Promise<void> {
  await run('pg_ctlcluster', ['--skip-systemctl-redirect', ...CLUSTER!, action, ...(action === 'stop' ? ['-m', 'fast'] : [])]);
}

const deliveredIds = (r: Receiver) => new Set(r.received.map((x) => JSON.parse(x.body).message_id as string));

describe('fault tolerance (postgres)', { skip: PG_URL ? false : PG_SKIP_REASON }, () => {
  it(
    'PostgreSQL restarted under load: 503 while it is away, never a false 2xx, carries on, every accepted event delivered',
    { skip: canRestart ? false : 'needs a local PostgreSQL 15 cluster this test may restart' },
    async () => {
      const h = await startTestHerald('postgres', { HERALD_RETRY_SCHEDULE: '200ms,200ms,200ms,500ms,1s,1s,1s' });
      const r = await startReceiver();
      const accepted: string[] = [];
      const statuses = new Map<number | string, number>();
      const unavailableCodes = new Set<string>();
      let stop = false;
      try {
        const ep = await h.api('POST', '/v1/endpoints', { name: 'backend', url: r.url, format: 'strigo' });
        await h.api('POST', '/v1/subscriptions', { endpoint_id: ep.json.id, events: ['*'] });

        // Four publishers, each publishing without pause.
        const publishers = Array.from({ length: 4 }, async (_, p) => {
          for (let i = 0; !stop; i++) {
            let status: number | string;
            try {
              const res = await h.api('POST', '/v1/events', { type: 'CLASS', action: 'CREATED', entity_ids: [`p${p}-${i}`] });
              status = res.status;
              if (res.status === 202) accepted.push(res.json.id);
              if (res.status === 503) unavailableCodes.add(res.json.error.code);
            } catch (e) {
              status = `network: ${(e as Error).message}`;
            }
            statuses.set(status, (statuses.get(status) ?? 0) + 1);
            if (status !== 202) await new Promise((res) => setTimeout(res, 50));
          }
        });

        await until(async () => accepted.length >= 50, 15_000, 'load before the restart');
        await pgctl('stop');
        const during = accepted.length;
        // While it is away: publishing answers 503, readiness says so, liveness still answers.
        const away = await h.api('POST', '/v1/events', { type: 'CLASS', action: 'CREATED' });
        assert.equal(away.status, 503, away.text);
        assert.equal((await h.api('GET', '/readyz')).status, 503);
        assert.equal((await h.api('GET', '/healthz')).status, 200);
        await new Promise((res) => setTimeout(res, 1500));
        assert.ok(accepted.length - during <= 4, 'no event is accepted while the store is down (beyond commits already in progress)');
        await pgctl('start');
        await pgReady();
        const after = accepted.length;
        await until(async () => accepted.length >= after + 50, 30_000, 'publishing to carry on after the restart');
        stop = true;
        await Promise.all(publishers);

        const unexpected = [...statuses.keys()].filter((s) => s !== 202 && s !== 503);
        assert.deepEqual(unexpected, [], `only 202 and 503: ${JSON.stringify([...statuses])}`);
        assert.ok((statuses.get(503) ?? 0) > 0, 'some publishes were answered 503');
        assert.deepEqual([...unavailableCodes], ['unavailable'], 'every 503 says the store is unavailable');

        await until(async () => deliveredIds(r).size >= accepted.length, 45_000, 'every accepted event delivered');
        const got = deliveredIds(r);
        for (const id of accepted) assert.ok(got.has(id), `${id} was accepted but not delivered`);
        // Every delivered message is one Herald stored: nothing made up, nothing from a refused request.
        const stored = await h.herald.ctx.store.db.selectFrom('messages').select('id').execute();
        const storedIds = new Set(stored.map((m) => m.id));
        for (const id of got) assert.ok(storedIds.has(id));
        console.log(`# postgres restart: ${accepted.length} accepted, statuses ${JSON.stringify([...statuses])}, ${r.received.length} requests`);
      } finally {
        stop = true;
        await pgReady().catch(async () => {
          await pgctl('start');
          await pgReady();
        });
        await r.close();
        await h.stop();
      }
    },
  );

  it('kill -9 of a worker with deliveries leased: a second worker delivers them after the lease, not before', async () => {
    const db = await freshDatabase('postgres');
    const r = await startReceiver(() => ({ status: 200, delayMs: 300 }));
    // A lease long enough that the second worker is up and claiming well before the dead one's leases expire.
    const env = { HERALD_DATA_DIR: db.dataDir, HERALD_DATABASE_URL: db.databaseUrl!, HERALD_LEASE: '6s', HERALD_RETRY_SCHEDULE: '200ms,200ms,200ms' };
    const apiNode = await spawnHerald({ ...env, HERALD_ROLE: 'api' });
    const first = await spawnHerald({ ...env, HERALD_ROLE: 'worker' });
    let second: Awaited<ReturnType<typeof spawnHerald>> | null = null;
    try {
      const ep = await api(apiNode.url, 'POST', '/v1/endpoints', { name: 'backend', url: r.url, format: 'strigo', max_in_flight: 4 });
      assert.equal(ep.status, 201, ep.text);
      await api(apiNode.url, 'POST', '/v1/subscriptions', { endpoint_id: ep.json.id, events: ['*'] });
      const res = await api(apiNode.url, 'POST', '/v1/events', {
        events: Array.from({ length: 60 }, (_, i) => ({ type: 'CLASS', action: 'CREATED', entity_ids: [`c${i}`] })),
      });
      assert.equal(res.status, 202, res.text);
      const accepted: string[] = res.json.data.map((d: { id: string }) => d.id);

      await r.waitFor(6, 15_000);
      first.child.kill('SIGKILL');
      await first.exited;
      const killedAt = Date.now();
      const atKill = r.received.length;
      // The dead worker's leases as it left them: nobody else may send these before they expire.
      const store = new pg.Client({ connectionString: db.databaseUrl! });
      await store.connect();
      const leased = (
        await store.query<{ message_id: string; lease_expires_at: string }>(
          `SELECT message_id, lease_expires_at FROM deliveries WHERE status = 'pending' AND lease_owner IS NOT NULL`,
        )
      ).rows.map((d) => ({ messageId: d.message_id, expiresAt: Number(d.lease_expires_at) }));
      await store.end();
      assert.ok(leased.length > 0, 'deliveries were still leased to the dead worker at the kill');
      assert.ok(Math.min(...leased.map((d) => d.expiresAt)) > Date.now(), 'the second worker starts before those leases expire');

      second = await spawnHerald({ ...env, HERALD_ROLE: 'worker' });
      await until(async () => deliveredIds(r).size >= accepted.length, 45_000, 'every accepted event delivered');
      const got = deliveredIds(r);
      for (const id of accepted) assert.ok(got.has(id), `${id} delivered`);
      const resumed = r.received.slice(atKill);
      assert.ok(resumed.length > 0, 'the rest arrived after the kill');
      assert.ok(Math.min(...resumed.map((x) => x.at)) >= killedAt, 'the rest arrived after the kill');
      const messageOf = (x: { body: string }) => JSON.parse(x.body).message_id as string;
      // Each delivery the dead worker held is sent again (its outcome was never recorded), and only once its lease ran out.
      const resent = leased.map((d) => ({ ...d, arrivals: resumed.filter((x) => messageOf(x) === d.messageId).map((x) => x.at) }));
      assert.deepEqual(resent.filter((d) => d.arrivals.length === 0).map((d) => d.messageId), [], 'every leased delivery sent again');
      const early = resent.filter((d) => Math.min(...d.arrivals) < d.expiresAt);
      assert.deepEqual(early.map((d) => `${d.messageId} ${d.expiresAt - Math.min(...d.arrivals)} ms early`), [], 'no leased delivery sent before its lease expired');
      // At-least-once: only what was in flight at the kill may arrive twice: sent but unanswered (at most
      // max_in_flight = 4), or answered but its outcome not yet recorded (at most one more per slot).
      const duplicates = r.received.length - got.size;
      assert.ok(duplicates <= 2 * 4, `duplicates: ${duplicates}`);
      const beforeKill = new Set(r.received.slice(0, atKill).map(messageOf));
      const arrivals = r.received.map(messageOf);
      const twice = arrivals.filter((id, i) => arrivals.indexOf(id) < i);
      assert.deepEqual(twice.filter((id) => !beforeKill.has(id)), [], 'only what was in flight at the kill arrives twice');
      console.log(`# worker kill: ${accepted.length} accepted, ${atKill} delivered before the kill, ${duplicates} duplicates`);
    } finally {
      for (const p of [first, second, apiNode]) {
        if (p && p.child.exitCode === null) {
          p.child.kill('SIGKILL');
          await p.exited;
        }
      }
      await r.close();
      await db.drop();
    }
  });
});
