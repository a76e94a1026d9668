/**
 * End-to-end outgoing deliveries: Herald (its own process) publishes through the batch API to one strigo endpoint
 * whose receiver runs in another process. Beside it, in the same run, the ceiling: raw undici POSTs of the same
 * payload to the same receiver, 64 in flight. Herald's figure is reported as a ratio of that ceiling.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { Pool } from 'undici';
import { freshDatabase, type Dialect } from '../test/helpers/databases.js';
import { api, spawnHerald } from '../test/helpers/spawn-herald.js';
import { HERALD_ENTRY } from './herald-entry.js';
import { steadyRate, type SteadyResult } from './steady-rate.js';
import { cpuPerDelivery, lookAtWaits, sampleCpu, threadRoles, type CpuRow } from './thread-cpu.js';

/** Herald runs as `npm start` runs it: the built JavaScript (bench/run.ts builds it first). */

export interface ReceiverStats {
  count: number;
  unique: number;
  duplicates: number;
  firstAt: number;
  lastAt: number;
}

export interface Receiver {
  url: string;
  origin: string;
  reset(): Promise<void>;
  stats(): Promise<ReceiverStats>;
  /** Publish-to-delivery latency of every Herald message since the last reset, in ms. */
  latencies(): Promise<number[]>;
  close(): void;
}

export async function startBenchReceiver(): Promise<Receiver> {
  const child: ChildProcess = fork(new URL('./receiver.ts', import.meta.url).pathname, [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const port = await new Promise<number>((resolve) => child.once('message', (m: any) => resolve(m.port)));
  const ask = <T>(cmd: string) =>
    new Promise<T>((resolve) => {
      child.once('message', (m: any) => resolve(m as T));
      child.send({ cmd });
    });
  const origin = `http://127.0.0.1:${port}`;
  return {
    url: `${origin}/herald`,
    origin,
    reset: () => ask('reset').then(() => undefined),
    stats: () => ask<ReceiverStats>('stats'),
    latencies: () => ask<{ latencies: number[] }>('latencies').then((m) => m.latencies),
    close: () => child.send({ cmd: 'exit' }),
  };
}

function sampleBody(i: number): string {
  return JSON.stringify({
    message_id: `msg_${String(i).padStart(26, '0')}`,
    type: 'ONDEMAND_ENROLLMENT',
    status: 'STARTED',
    entity_ids: [`enr_${i}`],
    timestamp: new Date().toISOString(),
    context: { course: 'kubernetes-101', student: `student-${i}@example.com` },
    callback: 'http://localhost:8080/v1/incoming',
  });
}

/** Raw undici POSTs of a Herald-sized payload, 64 in flight: what this machine and receiver can take. */
export async function measureCeiling(rx: Receiver, n: number): Promise<number> {
  await rx.reset();
  const pool = new Pool(rx.origin, { connections: 64 });
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: 64 }, async () => {
      while (next < n) {
        const i = next++;
        const res = await pool.request({ path: '/ceiling', method: 'POST', headers: { 'content-type': 'application/json' }, body: sampleBody(i) });
        await res.body.dump();
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  await pool.close();
  return n / seconds;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

function peakRssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const m = /VmHWM:\s+(\d+) kB/.exec(status);
  return m ? Number(m[1]) / 1024 : NaN;
}

async function publishAll(url: string, n: number, batchSize = 1000, concurrency = 4): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < n) {
        const start = next;
        next += batchSize;
        const events = Array.from({ length: Math.min(batchSize, n - start) }, (_, k) => ({
          type: 'ONDEMAND_ENROLLMENT',
          action: 'STARTED',
          entity_ids: [`enr_${start + k}`],
          data: { course: 'kubernetes-101', student: `student-${start + k}@example.com` },
        }));
        const res = await api(url, 'POST', '/v1/events', { events });
        if (res.status !== 202) throw new Error(`publish answered ${res.status}: ${res.text.slice(0, 300)}`);
      }
    }),
  );
}

async function waitForDeliveries(rx: Receiver, n: number, timeoutMs: number): Promise<ReceiverStats> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const s = await rx.stats();
    if (s.unique >= n) return s;
    if (Date.now() > deadline) throw new Error(`only ${s.unique} of ${n} delivered in ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export interface OutgoingResult {
  dialect: Dialect;
  n: number;
  deliveriesPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  duplicates: number;
  backlog: number;
  backlogDrainPerSecond: number;
  backlogPeakRssMb: number;
  steady: SteadyResult[];
  /** CPU per delivery during phase 1, by thread role (with `cpu` asked for). */
  cpu?: { rows: CpuRow[]; totalUs: number; exitedUs: number };
}

export interface OutgoingOptions {
  n: number;
  backlog: number;
  /** Offered rates of the steady-rate phase, events per second. */
  rates: number[];
  steadySeconds: number;
  cpu: boolean;
}

/**
 * Phase 1: publish `n` events in batches while Herald delivers them (throughput and latency), optionally with the
 * CPU each of Herald's threads spent on it.
 * Steady rate: one event per request at each of `rates` in turn, on the same Herald (steady-rate.ts).
 * Phase 2: queue `backlog` events with only the API running, then start a worker and let it drain them
 * (throughput from a deep queue, and the process's peak RSS with that many deliveries queued).
 */
export async function benchOutgoing(rx: Receiver, dialect: Dialect, opts: OutgoingOptions): Promise<OutgoingResult> {
  const { n, backlog } = opts;
  const db = await freshDatabase(dialect);
  const env = { HERALD_DATA_DIR: db.dataDir, HERALD_LOG_LEVEL: 'warn', ...(db.databaseUrl ? { HERALD_DATABASE_URL: db.databaseUrl } : {}) };
  let herald = await spawnHerald(env, undefined, HERALD_ENTRY);
  try {
    const ep = await api(herald.url, 'POST', '/v1/endpoints', { name: 'bench', url: rx.url, format: 'strigo', auth: { user: 'bench', key: 'secret' } });
    if (ep.status !== 201) throw new Error(ep.text);
    await api(herald.url, 'POST', '/v1/subscriptions', { endpoint_id: ep.json.id, events: ['ONDEMAND_ENROLLMENT/*'] });

    await rx.reset();
    const pid = herald.child.pid!;
    // Threads' roles come from what they wait in at rest, before and after the phase (thread-cpu.ts).
    const waits = opts.cpu ? await lookAtWaits(pid) : null;
    const cpuBefore = waits ? sampleCpu(pid) : null;
    const started = Date.now();
    await publishAll(herald.url, n);
    const live = await waitForDeliveries(rx, n, 300_000);
    const seconds = (live.lastAt - started) / 1000;
    let cpu: OutgoingResult['cpu'];
    if (waits && cpuBefore) {
      // Outcomes are written in batches a little after the send: part of what a delivery costs.
      await new Promise((r) => setTimeout(r, 500));
      const cpuAfter = sampleCpu(pid);
      const roles = threadRoles(cpuBefore, await lookAtWaits(pid, waits), dialect === 'sqlite' ? ['checkpoint thread'] : [], 'send thread');
      cpu = cpuPerDelivery(cpuBefore, cpuAfter, roles, n);
    }
    const sorted = (await rx.latencies()).sort((a, b) => a - b);

    const steady: SteadyResult[] = [];
    for (const rate of opts.rates) {
      await new Promise((r) => setTimeout(r, 1000));
      steady.push(await steadyRate(rx, herald.url, rate, opts.steadySeconds));
    }
    herald.child.kill('SIGTERM');
    await herald.exited;

    herald = await spawnHerald({ ...env, HERALD_ROLE: 'api' }, undefined, HERALD_ENTRY);
    await publishAll(herald.url, backlog);
    herald.child.kill('SIGTERM');
    await herald.exited;

    await rx.reset();
    const drainStart = Date.now();
    herald = await spawnHerald(env, undefined, HERALD_ENTRY);
    const drained = await waitForDeliveries(rx, backlog, 600_000);
    // From the first delivery: the worker's start-up is not delivery throughput.
    const drainSeconds = (drained.lastAt - Math.max(drainStart, drained.firstAt)) / 1000;
    const rss = peakRssMb(herald.child.pid!);
    return {
      dialect,
      n,
      deliveriesPerSecond: n / seconds,
      p50Ms: percentile(sorted, 50),
      p99Ms: percentile(sorted, 99),
      duplicates: live.duplicates + drained.duplicates,
      backlog,
      backlogDrainPerSecond: backlog / drainSeconds,
      backlogPeakRssMb: rss,
      steady,
      cpu,
    };
  } finally {
    herald.child.kill('SIGTERM');
    await herald.exited;
    await db.drop();
  }
}
