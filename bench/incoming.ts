/**
 * Incoming messages per second: valid UPDATED callbacks, each for its own entity, 64 in flight, against Herald on
 * SQLite as `npm start` runs it; beside it, in the same run and measured the same way, a bare fastify route that
 * parses JSON and answers 200, the ceiling this machine and HTTP stack allow. Each server runs in a process of its
 * own, apart from the load generator. The ratio is what Herald's checks and durable writes cost.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Pool } from 'undici';
import { newId } from '../src/ids.js';
import { openStore } from '../src/store/database.js';
import { api, spawnHerald, type HeraldProcess } from '../test/helpers/spawn-herald.js';
import { HERALD_ENTRY } from './herald-entry.js';

const IN_FLIGHT = 64;

interface Target {
  origin: string;
  path: string;
  headers: Record<string, string>;
}

/** Sends every body once, IN_FLIGHT at a time over as many connections; answers requests per second. */
async function measure(target: Target, bodies: string[]): Promise<number> {
  const pool = new Pool(target.origin, { connections: IN_FLIGHT, pipelining: 1 });
  let next = 0;
  let failed: string | null = null;
  const worker = async () => {
    while (next < bodies.length && failed === null) {
      const body = bodies[next++]!;
      const res = await pool.request({ path: target.path, method: 'POST', headers: target.headers, body });
      const text = await res.body.text();
      if (res.statusCode !== 200) failed = `${res.statusCode} ${text}`;
    }
  };
  try {
    const started = process.hrtime.bigint();
    await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    if (failed !== null) throw new Error(`benchmark request refused: ${failed}`);
    return bodies.length / seconds;
  } finally {
    await pool.close();
  }
}

function updated(messageId: string, i: number, round = 0): string {
  return JSON.stringify({
    source_message_id: messageId,
    type: 'RESOURCE',
    action: 'UPDATED',
    data: {
      resources: [
        { id: `vm-${i}-server`, type: 'VM', name: 'server', status: 'READY', config: { ip: `10.0.${(i >> 8) & 255}.${i & 255}`, round } },
        { id: `vm-${i}-client`, type: 'VM', name: 'client', status: 'READY' },
      ],
      interfaces: [{ type: 'TERMINAL', resource_id: `vm-${i}-server`, config: { url: `wss://labs.example/t/${i}` } }],
    },
  });
}

interface Subject {
  /** Sends one round of n requests; answers requests per second. */
  round(index: number): Promise<number>;
  close(): Promise<void>;
}

/** Herald as `npm start` runs it, in its own process (role api), with messages already delivered to reply to. */
export async function startHeraldSubject(n: number): Promise<Subject> {
  const dataDir = mkdtempSync(join(tmpdir(), 'herald-bench-incoming-'));
  const env = { HERALD_DATA_DIR: dataDir, HERALD_ROLE: 'api', HERALD_LOG_LEVEL: 'warn' };
  let herald: HeraldProcess | null = await spawnHerald(env, undefined, HERALD_ENTRY);
  const close = async () => {
    if (herald) {
      herald.child.kill('SIGTERM');
      await herald.exited;
    }
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    const res = await api(herald.url, 'POST', '/v1/endpoints', { name: 'bench backend', url: 'http://127.0.0.1:9/hook', format: 'strigo' });
    const endpoint = res.json as { id: string; tenant: string; callback: { user: string; key: string } };
    if (res.status !== 201) throw new Error(`creating the bench endpoint failed: ${res.text}`);
    // Setup only: messages already delivered to the endpoint, one entity each, written straight to the store
    // while Herald is stopped.
    herald.child.kill('SIGTERM');
    await herald.exited;
    herald = null;
    const messageIds = await seedDelivered(dataDir, endpoint, n);
    herald = await spawnHerald(env, undefined, HERALD_ENTRY);
    const target = {
      origin: herald.url,
      path: '/v1/incoming',
      headers: { authorization: `Bearer ${endpoint.callback.user}:${endpoint.callback.key}`, 'content-type': 'application/json' },
    };
    // Each round reports a new config for every entity, so every request is a real change, never a duplicate.
    return { round: (index) => measure(target, messageIds.map((id, i) => updated(id, i, index))), close };
  } catch (e) {
    await close();
    throw e;
  }
}

async function seedDelivered(dataDir: string, endpoint: { id: string; tenant: string }, n: number): Promise<string[]> {
  const store = await openStore({ dataDir, databaseUrl: null });
  try {
    const now = Date.now();
    const messageIds = Array.from({ length: n }, () => newId('msg', now));
    for (let start = 0; start < n; start += 500) {
      const ids = messageIds.slice(start, start + 500);
      await store.db.transaction().execute(async (trx) => {
        await trx
          .insertInto('messages')
          .values(ids.map((id, k) => ({
            id,
            tenant: endpoint.tenant,
            type: 'ONDEMAND_ENROLLMENT',
            action: 'STARTED',
            result: 'succeeded',
            event_key: 'ONDEMAND_ENROLLMENT/STARTED',
            entity_ids: JSON.stringify([`enr_bench_${start + k}`]),
            data: '{}',
            scope_domain_id: null,
            scope_project_id: null,
            idempotency_key: null,
            coalesce_key: null,
            coalesce_until: null,
            created_at: now,
          })))
          .execute();
        await trx
          .insertInto('deliveries')
          .values(ids.map((id) => ({
            id: newId('dlv', now),
            message_id: id,
            endpoint_id: endpoint.id,
            subscription_id: null,
            topic_id: null,
            tenant: endpoint.tenant,
            event_key: 'ONDEMAND_ENROLLMENT/STARTED',
            status: 'succeeded',
            attempts: 1,
            next_attempt_at: null,
            lease_owner: null,
            lease_expires_at: null,
            last_status_code: 200,
            last_error: null,
            created_at: now,
            updated_at: now,
          })))
          .execute();
      });
    }
    return messageIds;
  } finally {
    await store.close();
  }
}

/** The bare route (bare-fastify.ts), in its own process as Herald is, so neither shares the load generator's thread. */
export async function startCeilingSubject(n: number): Promise<Subject> {
  const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('./bare-fastify.ts', import.meta.url))], { stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (c: Buffer) => {
      out += c;
      if (out.includes('\n')) resolve(Number(out.trim()));
    });
    child.once('exit', (code) => reject(new Error(`the bare fastify route exited with ${code} before listening`)));
  });
  const target = { origin: `http://127.0.0.1:${port}`, path: '/incoming', headers: { 'content-type': 'application/json' } };
  return {
    round: (index) => measure(target, Array.from({ length: n }, (_, i) => updated(`msg_${i}`, i, index))),
    close: async () => {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/**
 * Rounds alternate between the two, and each Herald round is set against the mean of the ceiling rounds just
 * before and just after it: the machine's speed drifts, and a ceiling round (a few seconds) is much shorter than
 * a Herald round, so comparing each side's best round would favour the ceiling, whose best short round catches a
 * fast moment more easily. The median of those ratios is reported. The first round of each is a warm-up (JIT,
 * statement cache, connections).
 */
export async function benchIncoming(opts: { n: number; rounds?: number }): Promise<{ herald_per_s: number; ceiling_per_s: number; ratio: number }> {
  const rounds = opts.rounds ?? 3;
  const ceiling = await startCeilingSubject(opts.n);
  let herald: Subject | null = null;
  try {
    herald = await startHeraldSubject(opts.n);
    await ceiling.round(0);
    await herald.round(0);
    const pairs: { herald: number; ceiling: number; ratio: number }[] = [];
    let before = await ceiling.round(1);
    for (let r = 1; r <= rounds; r++) {
      const h = await herald.round(r);
      const after = await ceiling.round(r + 1);
      const c = (before + after) / 2;
      pairs.push({ herald: h, ceiling: c, ratio: h / c });
      before = after;
    }
    const median = pairs.sort((a, b) => a.ratio - b.ratio)[Math.floor(pairs.length / 2)]!;
    return {
      herald_per_s: Math.round(median.herald),
      ceiling_per_s: Math.round(median.ceiling),
      ratio: Math.round(median.ratio * 1000) / 1000,
    };
  } finally {
    await herald?.close();
    await ceiling.close();
  }
}
