/**
 * `npm run bench`: Herald's figures beside ceilings measured in the same run on the same machine, as ratios.
 * Absolute numbers drift on shared machines; the ratios are what to compare between runs.
 *
 * Environment: BENCH_N (live events, default 20000), BENCH_BACKLOG (queued events, default 100000),
 * BENCH_INCOMING_N (incoming messages, default 20000), HERALD_TEST_DATABASE_URL (adds the PostgreSQL run).
 */
import { execSync } from 'node:child_process';
import { PG_URL } from '../test/helpers/databases.js';
import { benchIncoming } from './incoming.js';
import { benchOutgoing, measureCeiling, startBenchReceiver, type OutgoingResult } from './outgoing.js';

const n = Number(process.env.BENCH_N ?? 20000);
const backlog = Number(process.env.BENCH_BACKLOG ?? 100000);
const incomingN = Number(process.env.BENCH_INCOMING_N ?? 20000);
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
    if (dialect === 'postgres' && !PG_URL) {
      console.log('postgres: skipped (HERALD_TEST_DATABASE_URL not set)');
      continue;
    }
    const r = await benchOutgoing(rx, dialect, n, backlog);
    results.push(r);
    const after = await measureCeiling(rx, ceilingN);
    const ceiling = (before + after) / 2;
    console.log(`ceiling: ${fmt(after)}/s after the ${dialect} run; ${dialect} figures are against the mean of the runs around it, ${fmt(ceiling)}/s`);
    console.log(
      `${dialect}: ${fmt(r.n)} events published and delivered end to end: ${fmt(r.deliveriesPerSecond)}/s = ${fmt(r.deliveriesPerSecond / ceiling, 2)} of ceiling; ` +
        `publish-to-delivery p50 ${fmt(r.p50Ms)} ms, p99 ${fmt(r.p99Ms)} ms; duplicates ${r.duplicates}`,
    );
    console.log(
      `${dialect}: ${fmt(r.backlog)} queued deliveries drained at ${fmt(r.backlogDrainPerSecond)}/s = ${fmt(r.backlogDrainPerSecond / ceiling, 2)} of ceiling; ` +
        `peak RSS ${fmt(r.backlogPeakRssMb)} MB`,
    );
    before = after;
  }
  const inc = await benchIncoming({ n: incomingN });
  console.log(
    `incoming: ${fmt(inc.herald_per_s)}/s valid UPDATED callbacks, 64 in flight, vs bare fastify JSON route ${fmt(inc.ceiling_per_s)}/s = ${fmt(inc.ratio, 2)} ` +
      '(the median of 3 rounds, each against the ceiling rounds around it)',
  );
} finally {
  rx.close();
}
