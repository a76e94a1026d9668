/**
 * The steady-rate phase: one event per publish request at a fixed offered rate, the way a platform publishes.
 * The schedule is open-loop: request i is due at start + i / rate by the wall clock, whether or not Herald has
 * answered the ones before it, so a slow Herald cannot slow the offered rate down (and hide its latency).
 * Each event carries `sent_at`, the moment its request was issued, and the receiver measures publish-to-delivery
 * from it.
 */
import { Pool } from 'undici';
import { TEST_TOKEN } from '../test/helpers/herald.js';

/** Enough connections that requests never wait for one unless Herald stops answering for a long while. */
const CONNECTIONS = 512;

/** What this phase needs of the bench's receiver (outgoing.ts starts it). */
export interface SteadyReceiver {
  reset(): Promise<void>;
  stats(): Promise<{ unique: number; duplicates: number }>;
  latencies(): Promise<number[]>;
}

export interface SteadyResult {
  offeredPerSecond: number;
  achievedPerSecond: number;
  seconds: number;
  published: number;
  /** Publish requests not answered 202 (or not answered at all). */
  refused: number;
  /** Publishes in flight at once at the worst moment; at CONNECTIONS, later requests queued in the client. */
  peakInFlight: number;
  connections: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  lost: number;
  duplicates: number;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

const eventBody = (tag: string, i: number) =>
  `{"type":"ONDEMAND_ENROLLMENT","action":"STARTED","entity_ids":["enr_${tag}_${i}"],` +
  `"data":{"sent_at":${Date.now()},"course":"kubernetes-101","student":"student-${i}@example.com"}}`;

/** Waits until `n` distinct messages arrived, or nothing new arrived for `quietMs`: what is missing then is lost. */
async function settle(rx: SteadyReceiver, n: number, quietMs: number) {
  let last = -1;
  let lastChange = Date.now();
  for (;;) {
    const s = await rx.stats();
    if (s.unique >= n) return s;
    if (s.unique !== last) {
      last = s.unique;
      lastChange = Date.now();
    } else if (Date.now() - lastChange > quietMs) return s;
    await new Promise((r) => setTimeout(r, 100));
  }
}

export async function steadyRate(rx: SteadyReceiver, heraldUrl: string, rate: number, seconds: number): Promise<SteadyResult> {
  await rx.reset();
  const pool = new Pool(heraldUrl, { connections: CONNECTIONS });
  const headers = { authorization: `Bearer ${TEST_TOKEN}`, 'content-type': 'application/json' };
  const total = Math.max(1, Math.round(rate * seconds));
  const tag = `r${rate}`;
  let issued = 0;
  let accepted = 0;
  let refused = 0;
  let inFlight = 0;
  let peakInFlight = 0;
  const answers: Promise<void>[] = [];

  const publish = (i: number) => {
    inFlight++;
    if (inFlight > peakInFlight) peakInFlight = inFlight;
    return pool
      .request({ path: '/v1/events', method: 'POST', headers, body: eventBody(tag, i) })
      .then(async (res) => {
        await res.body.dump();
        if (res.statusCode === 202) accepted++;
        else refused++;
      })
      .catch(() => {
        refused++;
      })
      .finally(() => {
        inFlight--;
      });
  };

  const started = performance.now();
  let lastIssuedAt = started;
  await new Promise<void>((resolve) => {
    const tick = () => {
      const now = performance.now();
      // Everything due by now goes out now: after a late timer the schedule catches up rather than drifting.
      const due = Math.min(total, Math.floor(((now - started) * rate) / 1000) + 1);
      while (issued < due) answers.push(publish(issued++));
      lastIssuedAt = now;
      if (issued >= total) return resolve();
      setTimeout(tick, Math.max(0, started + (issued * 1000) / rate - performance.now()));
    };
    tick();
  });
  // Request 0 went out at `started` and the last at `lastIssuedAt`: total - 1 intervals between them.
  const issueSeconds = (lastIssuedAt - started) / 1000;
  await Promise.all(answers);
  await pool.close();

  const s = await settle(rx, accepted, 10_000);
  const sorted = (await rx.latencies()).sort((a, b) => a - b);
  return {
    offeredPerSecond: rate,
    achievedPerSecond: issueSeconds > 0 ? (total - 1) / issueSeconds : NaN,
    seconds,
    published: total,
    refused,
    peakInFlight,
    connections: CONNECTIONS,
    p50Ms: percentile(sorted, 50),
    p99Ms: percentile(sorted, 99),
    maxMs: sorted.length ? sorted[sorted.length - 1]! : NaN,
    lost: Math.max(0, accepted - s.unique),
    duplicates: s.duplicates,
  };
}
