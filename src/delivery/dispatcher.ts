import { randomUUID } from 'node:crypto';
import type { ClaimedDelivery } from '../store/queries/claim-due-deliveries.js';
import { failedBeforeSend, type RunAttempt } from './attempt.js';
import { makeClaimLoop } from './claim-loop.js';
import { makeJobReader, type Job } from './claimed-jobs.js';
import type { DeliveryContext } from './context.js';
import { makeRenderViews } from './endpoint-render.js';
import { makeEndpointScheduler } from './endpoint-scheduler.js';
import type { HandOver } from './hand-over.js';
import { makeLeaseKeeper } from './lease-keeper.js';
import { makeOutcomeWriter } from './outcome-writer.js';
import { traceAttempt } from './attempt-trace.js';
import { parseRetrySchedule } from './retry-policy.js';

/**
 * The dispatcher: claim due deliveries -> render -> send -> record, over and over. It wires four parts, each with
 * one job:
 * - the claim loop (claim-loop.ts) claims while the worker has room, and turns rows into jobs (claimed-jobs.ts);
 * - the endpoint scheduler (endpoint-scheduler.ts) queues jobs per endpoint and starts them within each
 *   endpoint's `max_in_flight` and `rate_limit`;
 * - the lease keeper (lease-keeper.ts) holds, renews and gives back the leases of everything claimed;
 * - the outcome writer (outcome-writer.ts) writes outcomes in batches, and pauses claiming while it cannot.
 *
 * States: running (claiming and sending) -> stopping (no new claims; in-flight sends finish and are recorded;
 * anything claimed but not started is released) -> stopped. Every claimed delivery MUST end recorded or released:
 * otherwise it would wait for its lease to expire before anyone retried it.
 *
 * Back-pressure: while outcomes cannot be written (the store is away or refuses every write), the worker claims
 * nothing new. What it already holds is still sent, and every outcome is kept until the store takes it: claiming
 * on would only pile up sends whose results cannot be recorded, and whose receivers would get them again.
 */
export interface DispatcherOptions {
  ctx: DeliveryContext;
  /** Renders, sends and judges one attempt: in this thread or on a send thread. */
  runAttempt: RunAttempt;
  maxInFlight?: number;
  defaultEndpointInFlight?: number;
  claimBatch?: number;
  flushEvery?: number;
  /**
   * Message bytes (stored JSON) this worker holds at most in claimed jobs, queued or in flight. Counts bound
   * nothing when events are large: 512 jobs of 200 KiB events would not fit the heap `npm start` gives. A message
   * sent to several endpoints counts once per job, which overestimates: a budget errs towards the heap.
   */
  maxHeldBytes?: number;
}

export function makeDispatcher({
  ctx,
  runAttempt,
  maxInFlight = 256,
  defaultEndpointInFlight = 64,
  claimBatch = 256,
  flushEvery = 256,
  maxHeldBytes = 32 * 1024 * 1024,
}: DispatcherOptions) {
  const owner = `wkr_${randomUUID()}`;
  const { store, config, log, now } = ctx;
  const schedule = parseRetrySchedule(config.retrySchedule);
  const renderView = makeRenderViews(ctx.secrets);
  let running = false;

  const leases = makeLeaseKeeper({ store, owner, now, leaseMs: config.leaseMs, log });
  const outcomes = makeOutcomeWriter({
    store,
    owner,
    now,
    log,
    events: ctx.events,
    flushEvery,
    failingAfter: config.failingAfter,
    onWritten: (batch) => {
      let orderedSettled = false;
      for (const o of batch) {
        leases.forget(o.deliveryId);
        if (orderedOut.delete(o.deliveryId)) orderedSettled = true;
      }
      // The next delivery of a key whose head has just been recorded is due now (record-outcomes makes it so).
      if (orderedSettled) claims.wake();
    },
    onResumed: () => claims.wake(),
  });
  const reader = makeJobReader({ store, now, recentMessages: ctx.recentMessages });
  const scheduler = makeEndpointScheduler<Job>({
    now,
    leaseMs: config.leaseMs,
    defaultEndpointInFlight,
    run,
    // Claim more only when this endpoint's queue runs low: waking on every completion would make the claim loop
    // query the store once per delivery.
    onSettled: (queueLow) => (queueLow ? claims.roomFreed() : claims.bytesFreed()),
    log,
  });
  const claims = makeClaimLoop<Job>({
    store,
    owner,
    now,
    leaseMs: config.leaseMs,
    log,
    maxInFlight,
    claimBatch,
    maxHeldBytes,
    // Leases promised to publishes count as held: a claim and the hand-overs under way share one budget.
    load: () => ({ inFlight: scheduler.inFlight, queued: scheduler.queued + promised.size, heldBytes: scheduler.heldBytes + promisedBytes }),
    paused: () => outcomes.paused,
    busyEndpoints: () => scheduler.busyEndpoints(reader.knownEndpoints()),
    holds: leases.holds,
    prepare,
    admit,
    release: leases.release,
    releaseUnknown: leases.releaseUnknown,
  });

  /** Ordered deliveries sent and not yet recorded: recording one lets the next of its key go. */
  const orderedOut = new Set<string>();

  function admit(job: Job): boolean {
    if (!scheduler.hasRoomFor(job)) return false;
    leases.hold(job.delivery);
    if (job.delivery.ordering_key !== null) orderedOut.add(job.delivery.id);
    scheduler.enqueue(job);
    return true;
  }

  /**
   * Leases promised to publishes under way, by delivery id, with when: counted against the worker's room until
   * adopted. A publish whose transaction failed never adopts; its promises are dropped after PROMISE_TTL_MS.
   */
  const promised = new Map<string, { at: number; bytes: number; endpointId: string }>();
  let promisedBytes = 0;
  /** Promised leases by endpoint: a queue about to grow by these is not to be handed more. */
  const promisedFor = new Map<string, number>();
  const PROMISE_TTL_MS = 5000;
  const ADOPT_RETRY_MS = 500;
  function unpromise(id: string): void {
    const p = promised.get(id);
    if (!p) return;
    promised.delete(id);
    promisedBytes -= p.bytes;
    const n = (promisedFor.get(p.endpointId) ?? 1) - 1;
    if (n <= 0) promisedFor.delete(p.endpointId);
    else promisedFor.set(p.endpointId, n);
  }
  const handOver: HandOver = {
    lease(endpointId, deliveryId, messageBytes) {
      if (!running || outcomes.paused) return null;
      const at = now();
      for (const [id, p] of promised) {
        if (at - p.at < PROMISE_TTL_MS) break;
        unpromise(id);
      }
      // Within maxInFlight, not the claim loop's twice that: what is handed over is meant to start now. Bytes
      // count as they do for claims, but against half the budget: a claim sized before these hand-overs may still
      // be reading its rows, and the two together must stay near the budget when events are large.
      if (scheduler.inFlight + scheduler.queued + promised.size >= maxInFlight) return null;
      if (scheduler.heldBytes + promisedBytes + messageBytes > maxHeldBytes / 2) return null;
      const endpoint = reader.endpoint(endpointId);
      unpromise(deliveryId);
      if (!endpoint || !scheduler.startsSoon(endpoint, promisedFor.get(endpointId) ?? 0)) return null;
      promised.set(deliveryId, { at, bytes: messageBytes, endpointId });
      promisedBytes += messageBytes;
      promisedFor.set(endpointId, (promisedFor.get(endpointId) ?? 0) + 1);
      return { owner, expiresAt: at + config.leaseMs };
    },
    adopt(rows) {
      // Still promised until queued: adoption reads before it queues, and publishes go on meanwhile.
      void adoptRows(rows).finally(() => {
        for (const r of rows) unpromise(r.id);
      });
    },
  };

  /**
   * Takes handed-over rows as claimed ones are taken. Their leases are held (and renewed) from the start, so
   * nothing else claims them while this worker gets to them. When they cannot be read into jobs (the store is
   * away and an endpoint row is due for a re-read) they are tried again every ADOPT_RETRY_MS while the worker
   * runs: left alone they would wait out their leases. A worker that stops releases them with the rest it holds.
   */
  async function adoptRows(rows: ClaimedDelivery[]): Promise<void> {
    if (!running) {
      await leases.release(rows).catch(() => {});
      return;
    }
    for (const d of rows) leases.hold(d);
    try {
      const jobs = await prepare(rows);
      const surplus = running ? jobs.filter((job) => !admit(job)).map((job) => job.delivery) : jobs.map((job) => job.delivery);
      for (const d of surplus) leases.forget(d.id);
      if (surplus.length > 0) await leases.release(surplus);
    } catch (e) {
      log.warn({ err: e, deliveries: rows.length }, 'could not take up deliveries just published; trying again');
      await new Promise((r) => setTimeout(r, ADOPT_RETRY_MS));
      if (!running) return;
      // Still held, unless stopping took them meanwhile (then they are released, or expire).
      const still = rows.filter((d) => leases.holds(d.id));
      for (const d of still) leases.forget(d.id);
      if (still.length > 0) await adoptRows(still);
    }
  }

  async function prepare(claimed: ClaimedDelivery[]): Promise<Job[]> {
    const { jobs, unreadable, orphans } = await reader.read(claimed);
    for (const { delivery, url, error } of unreadable) {
      // Held until its outcome is recorded, like any claimed delivery.
      leases.hold(delivery);
      failed(delivery, delivery.endpoint_id, url, error);
    }
    await leases.cancelOrphans(orphans.map((d) => d.id));
    // Handed-over rows are held before they are read; an orphan has nothing left to hold.
    for (const d of orphans) leases.forget(d.id);
    return jobs;
  }

  /**
   * Whatever breaks between claim and send (a sealed value this key cannot open, a damaged row, a send thread
   * that cannot take the job, a bug) is a failed attempt like a refused request: recorded with its class, then
   * retried on schedule or failed. Left unrecorded, the delivery would stay pending with its lease renewed.
   */
  function failed(delivery: ClaimedDelivery, endpointId: string, url: string | null, e: unknown): void {
    const outcome = failedBeforeSend({ deliveryId: delivery.id, attemptsMade: delivery.attempts, endpointId, url }, e, schedule, now);
    log.warn({ delivery: delivery.id, endpoint: endpointId, error_class: outcome.attempt.error_class, error: outcome.attempt.error }, 'delivery failed before sending');
    outcomes.keep(outcome);
  }

  async function run(job: Job): Promise<void> {
    const { delivery, endpoint, message } = job;
    let outcome;
    try {
      outcome = await runAttempt({
        deliveryId: delivery.id,
        attemptsMade: delivery.attempts,
        message,
        messageBytes: job.messageBytes,
        endpoint: renderView(endpoint, now()),
        templates: job.templates,
      });
    } catch (e) {
      failed(delivery, endpoint.id, endpoint.url, e);
      return;
    }
    outcomes.keep(outcome);
    // Tracing, when configured: the attempt's span, made from its outcome.
    if (ctx.telemetry) traceAttempt(ctx.telemetry, message, endpoint.format, outcome);
  }

  const onWake = () => claims.wake();
  const onEndpointChanged = (id: string) => reader.forget(id);

  return {
    owner,
    start(): void {
      if (running) return;
      running = true;
      outcomes.open();
      scheduler.open();
      ctx.events.on('wake', onWake);
      ctx.events.on('endpoint-changed', onEndpointChanged);
      leases.startRenewing();
      claims.start();
    },
    /** For the publisher of this process (DeliveryContext.handOver): deliveries stored already leased to this worker. */
    handOver,
    /**
     * Stops claiming, lets in-flight sends finish until `deadline` (and at most the request timeout) and records
     * them. What is still unanswered then is given up: its lease is released with the queued ones', so another
     * worker may send it at once instead of after the lease; an answer that comes later is not recorded.
     */
    async stop(deadline: number = Date.now() + config.shutdownTimeoutMs): Promise<void> {
      if (!running) return;
      running = false;
      outcomes.stopping(deadline);
      scheduler.pause();
      await claims.stop();
      const queued = scheduler.close().map((j) => j.delivery);
      for (const d of queued) leases.forget(d.id);
      const waitUntil = Math.min(deadline, Date.now() + config.requestTimeoutMs + 1000);
      while (scheduler.inFlight > 0 && Date.now() < waitUntil) await new Promise((r) => setTimeout(r, 20));
      await outcomes.flush();
      outcomes.close();
      leases.stopRenewing();
      const abandoned = leases.takeAll();
      if (abandoned.length > 0) log.warn({ deliveries: abandoned.length }, 'shutdown deadline passed with deliveries in flight; their leases are released');
      try {
        await leases.release([...queued, ...abandoned]);
      } catch (e) {
        log.warn({ err: e }, 'could not release leases; they will expire');
      }
      ctx.events.off('wake', onWake);
      ctx.events.off('endpoint-changed', onEndpointChanged);
    },
    stats: () => ({ inFlight: scheduler.inFlight, waiting: scheduler.queued, unwritten: outcomes.unwritten, claimsPaused: outcomes.paused }),
  };
}

export type Dispatcher = ReturnType<typeof makeDispatcher>;
