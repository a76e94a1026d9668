import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import pino from 'pino';
import type { EndpointRow } from '../../src/delivery/endpoint-render.js';
import { makeEndpointScheduler, type SchedulableJob } from '../../src/delivery/endpoint-scheduler.js';
import { endpointRow } from '../helpers/delivery-rows.js';

const log = pino({ level: 'silent' });
const row = (id: string, extra: Partial<EndpointRow> = {}) => endpointRow(id, extra) as EndpointRow;

/** A scheduler whose sends stay open until the test finishes them, so what runs when can be observed. */
function harness(defaultEndpointInFlight = 2, leaseMs = 30_000) {
  const running = new Map<string, () => void>();
  const started: string[] = [];
  const settled: boolean[] = [];
  const scheduler = makeEndpointScheduler<SchedulableJob>({
    now: Date.now,
    leaseMs,
    defaultEndpointInFlight,
    log,
    run: (job) =>
      new Promise<void>((resolve) => {
        started.push(job.delivery.id);
        running.set(job.delivery.id, resolve);
      }),
    onSettled: (queueLow) => settled.push(queueLow),
  });
  scheduler.open();
  let n = 0;
  const job = (endpoint: EndpointRow, bytes = 100): SchedulableJob => ({ delivery: { id: `${endpoint.id}-${n++}` }, endpoint, messageBytes: bytes });
  const finish = async (id: string) => {
    running.get(id)!();
    running.delete(id);
    // The scheduler's bookkeeping runs in the send's `finally`, a few microtasks later.
    await new Promise((r) => setImmediate(r));
  };
  return { scheduler, started, settled, job, finish, running };
}

async function until(check: () => boolean, what: string, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) assert.fail(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe('the endpoint scheduler (per-endpoint queues, in-flight caps and rate limits)', () => {
  it('sends at most max_in_flight at once per endpoint, and starts the next as one finishes', async () => {
    const { scheduler, started, job, finish } = harness();
    const ep = row('a', { max_in_flight: 2 });
    for (let i = 0; i < 5; i++) scheduler.enqueue(job(ep));
    assert.deepEqual(started, ['a-0', 'a-1']);
    assert.deepEqual([scheduler.inFlight, scheduler.queued, scheduler.heldBytes], [2, 3, 500]);
    await finish('a-0');
    assert.deepEqual(started, ['a-0', 'a-1', 'a-2']);
    assert.deepEqual([scheduler.inFlight, scheduler.queued, scheduler.heldBytes], [2, 2, 400]);
  });

  it('a stuck endpoint holds up only its own queue', async () => {
    const { scheduler, started, job, finish } = harness(1);
    const slow = row('slow');
    const fast = row('fast');
    for (let i = 0; i < 3; i++) scheduler.enqueue(job(slow));
    for (let i = 0; i < 3; i++) scheduler.enqueue(job(fast));
    await finish('fast-3');
    await finish('fast-4');
    assert.deepEqual(started, ['slow-0', 'fast-3', 'fast-4', 'fast-5']);
    assert.equal(scheduler.queued, 2, 'the slow endpoint still waits for its one slot');
  });

  it('holds an endpoint to its rate limit: a burst of one second, then a token at a time', async () => {
    const { scheduler, started, job, finish } = harness(100);
    const ep = row('limited', { rate_limit: 2 });
    const other = row('free');
    for (let i = 0; i < 3; i++) scheduler.enqueue(job(ep));
    scheduler.enqueue(job(other));
    assert.deepEqual(started, ['limited-0', 'limited-1', 'free-3']);
    assert.deepEqual(scheduler.busyEndpoints([ep, other]), ['limited'], 'an endpoint without a token is left out of claims');
    await finish('limited-0');
    assert.equal(started.length, 3, 'a free slot is not a token');
    await until(() => started.includes('limited-2'), 'the third send once a token has come');
  });

  it('keeps no more of a rate-limited endpoint than half a lease of tokens', () => {
    const { scheduler, job } = harness(1, 2000);
    const ep = row('limited', { rate_limit: 3, max_in_flight: 1 });
    // 3/s over half a 2 s lease: 3 jobs may wait.
    const kept = Array.from({ length: 6 }, () => job(ep)).filter((j) => {
      if (!scheduler.hasRoomFor(j)) return false;
      scheduler.enqueue(j);
      return true;
    });
    // One started at once and left the queue; three then fill it.
    assert.equal(kept.length, 4);
    assert.equal(scheduler.hasRoomFor(job(row('unlimited'))), true);
  });

  it('names an endpoint busy once its queue holds two slates of work', () => {
    const { scheduler, job } = harness();
    const ep = row('deep', { max_in_flight: 1 });
    scheduler.enqueue(job(ep));
    scheduler.enqueue(job(ep));
    assert.deepEqual(scheduler.busyEndpoints([]), [], 'one queued of a cap of one: not yet');
    scheduler.enqueue(job(ep));
    assert.deepEqual(scheduler.busyEndpoints([]), ['deep']);
  });

  it('tells whether the finished send left its endpoint wanting more', async () => {
    const { scheduler, settled, job, finish } = harness();
    const ep = row('a', { max_in_flight: 1 });
    for (let i = 0; i < 3; i++) scheduler.enqueue(job(ep));
    await finish('a-0');
    await finish('a-1');
    assert.deepEqual(settled, [false, true], 'one queued behind a cap of one is a full slate; none is low');
  });

  it('on close starts nothing more and hands back the queued jobs, no longer counted', async () => {
    const { scheduler, started, job, finish } = harness(1);
    const ep = row('a');
    for (let i = 0; i < 3; i++) scheduler.enqueue(job(ep, 10));
    scheduler.pause();
    await finish('a-0');
    assert.deepEqual(started, ['a-0'], 'paused: a freed slot starts nothing');
    const left = scheduler.close();
    assert.deepEqual(left.map((j) => j.delivery.id), ['a-1', 'a-2']);
    assert.deepEqual([scheduler.inFlight, scheduler.queued, scheduler.heldBytes], [0, 0, 0]);
  });
});
