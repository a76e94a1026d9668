/**
 * `npm run bench`: Herald's figures beside ceilings measured in the same run on the same machine, as ratios.
 * Absolute numbers drift on shared machines; the ratios are what to compare between runs.
 *
 * Environment:
 * - BENCH_N: events published in batches while Herald delivers them (the burst), default 20000.
 * - BENCH_RATES: offered rates of the steady-rate phase, events per second, one event per publish request,
 *   comma-separated; default "100,1000,2000"; empty skips the phase.
 * - BENCH_STEADY_SECONDS: how long each steady rate is offered, default 10.
 * - BENCH_BACKLOG: events queued before a worker starts and drains them, default 100000.
 * - BENCH_CPU=1: also print the CPU each of Herald's threads spent per delivery during the burst.
 * - BENCH_INCOMING_N: incoming messages, default 20000.
 * - BENCH_ORDERING_N: events per case of the ordering phase (none beside entity ordering over 50 and 1,000 keys),
 *   default 10000; 0 skips it. BENCH_ONLY=ordering runs that phase alone.
 * - HERALD_TEST_DATABASE_URL: adds the PostgreSQL run.
 */
import { execSync } from 'node:child_process';
import { PG_URL } from '../test/helpers/databases.js';
import { benchIncoming } from './incoming.js';
import { benchOrdering } from './ordering.js';
import { benchOutgoing, measureCeiling, startBenchReceiver, type OutgoingResult } from './outgoing.js';

const n = Number(process.env.BENCH_N ?? 20000);
const backlog = Number(process.env.BENCH_BACKLOG ?? 100000);
const incomingN = Number(process.env.BENCH_INCOMING_N ?? 20000);
const rates = (process.env.BENCH_RATES ?? '100,1000,2000').split(',').filter((r) => r.trim() !== '').map(Number);
const steadySeconds = Number(process.env.BENCH_STEADY_SECONDS ?? 10);
const cpu = process.env.BENCH_CPU === '1';
const orderingN = Number(process.env.BENCH_ORDERING_N ?? 10000);
const only = process.env.BENCH_ONLY ?? '';
if (!Number.isInteger(orderingN) || orderingN < 0) throw new Error(`BENCH_ORDERING_N must be a whole number of events (0 skips the phase); got "${process.env.BENCH_ORDERING_N}"`);
if (only !== '' && only !== 'ordering') throw new Error(`BENCH_ONLY must be "ordering" or unset; got "${only}"`);
if (rates.some((r) => !Number.isFinite(r) || r <= 0)) throw new Error(`BENCH_RATES must be positive numbers separated by commas, e.g. "100,1000,2000"; got "${process.env.BENCH_RATES}"`);
if (!Number.isFinite(steadySeconds) || steadySeconds <= 0) throw new Error(`BENCH_STEADY_SECONDS must be a positive number of seconds; got "${process.env.BENCH_STEADY_SECONDS}"`);
const fmt = (x: number, digits = 0) => x.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

execSync('npm run build --silent', { stdio: 'inherit' });
const rx = await startBenchReceiver();
try {
  console.log(`machine: ${(await import('node:os')).cpus().length} cores, node ${process.version}`);
  // The machine's speed drifts over minutes, so each dialect's run is bracketed by ceiling runs, and its ratio is
  // to their mean: a ceiling measured only before it could be taken in a faster or slower minute than it ran in.
  const ceilingN = Math.max(n, 20000);
  let before = await measureCeiling(rx, ceilingN);
  console.log(`ceiling: raw undici POSTs, 64 in flight, same payload and receiver: ${fmt(before)}/s`);
  const results: OutgoingResult[] = [];
  for (const dialect of ['sqlite', 'postgres'] as const) {
    if (only === 'ordering') break;
    if (dialect === 'postgres' && !PG_URL) {
      console.log('postgres: skipped (HERALD_TEST_DATABASE_URL not set)');
      continue;
    }
    const r = await benchOutgoing(rx, dialect, { n, backlog, rates, steadySeconds, cpu });
    results.push(r);
    const after = await measureCeiling(rx, ceilingN);
    const ceiling = (before + after) / 2;
    console.log(`ceiling: ${fmt(after)}/s after the ${dialect} run; ${dialect} figures are against the mean of the runs around it, ${fmt(ceiling)}/s`);
    console.log(
      `${dialect}: ${fmt(r.n)} events published and delivered end to end: ${fmt(r.deliveriesPerSecond)}/s = ${fmt(r.deliveriesPerSecond / ceiling, 2)} of ceiling; ` +
        `publish-to-delivery p50 ${fmt(r.p50Ms)} ms, p99 ${fmt(r.p99Ms)} ms; duplicates ${r.duplicates}`,
    );
    if (r.cpu) {
      console.log(`${dialect}: CPU per delivery over those ${fmt(r.n)}: ${fmt(r.cpu.totalUs)} µs in all, by thread:`);
      for (const row of r.cpu.rows) console.log(`  ${row.role.padEnd(36)} ${String(row.threads).padStart(2)} thread${row.threads === 1 ? ' ' : 's'} ${fmt(row.usPerDelivery).padStart(6)} µs`);
      if (r.cpu.exitedUs >= 1) console.log(`  ${'threads that exited meanwhile'.padEnd(46)} ${fmt(r.cpu.exitedUs).padStart(6)} µs`);
    }
    for (const s of r.steady) {
      console.log(
        `${dialect}: steady ${fmt(s.offeredPerSecond)}/s offered (${fmt(s.achievedPerSecond)}/s achieved) for ${fmt(s.seconds)} s: ` +
          `publish-to-delivery p50 ${fmt(s.p50Ms)} ms, p99 ${fmt(s.p99Ms)} ms, max ${fmt(s.maxMs)} ms; lost ${s.lost}, duplicates ${s.duplicates}` +
          (s.refused > 0 ? `; ${s.refused} of ${fmt(s.published)} publishes refused` : '') +
          (s.peakInFlight >= s.connections ? `; all ${s.connections} publish connections busy at once, so some publishes queued in the client (counted in the latency)` : ''),
      );
    }
    console.log(
      `${dialect}: ${fmt(r.backlog)} queued deliveries drained at ${fmt(r.backlogDrainPerSecond)}/s = ${fmt(r.backlogDrainPerSecond / ceiling, 2)} of ceiling; ` +
        `peak RSS ${fmt(r.backlogPeakRssMb)} MB`,
    );
    before = after;
  }
  if (orderingN > 0) {
    for (const dialect of ['sqlite', 'postgres'] as const) {
      if (dialect === 'postgres' && !PG_URL) continue;
      const cases = await benchOrdering(rx, dialect, orderingN);
      const none = cases.find((c) => c.ordering === 'none')!.deliveriesPerSecond;
      for (const c of cases) {
        console.log(
          `${dialect}: ordering ${c.label}: ${fmt(orderingN)} events delivered end to end at ${fmt(c.deliveriesPerSecond)}/s = ${fmt(c.deliveriesPerSecond / none, 2)} of none; duplicates ${c.duplicates}`,
        );
      }
    }
  }
  if (only !== 'ordering') {
    const inc = await benchIncoming({ n: incomingN });
    console.log(
      `incoming: ${fmt(inc.herald_per_s)}/s valid UPDATED callbacks, 64 in flight, vs bare fastify JSON route ${fmt(inc.ceiling_per_s)}/s = ${fmt(inc.ratio, 2)} ` +
        '(the median of 3 rounds, each against the ceiling rounds around it)',
    );
  }
} finally {
  rx.close();
}
