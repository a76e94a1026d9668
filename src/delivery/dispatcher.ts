import { randomUUID } from 'node:crypto';
import type { MessageView, TopicTemplates } from '../formats/types.js';
import type { ServiceContext } from '../services/context.js';
import { endpointForRender, type EndpointRow } from '../services/endpoint-view.js';
import { claimDueDeliveries, nextDueAt, releaseLeases, releaseUnknownLeases, type ClaimedDelivery } from '../store/queries/claim-due-deliveries.js';
import { idListParam, inIdList, inIds } from '../store/id-list.js';
import { preparedPerStore } from '../store/prepared.js';
import { relaxedTransaction } from '../store/relaxed-transaction.js';
import { recordOutcomes, type AttemptOutcome, type RecordResult } from '../store/queries/record-outcomes.js';
import { failedBeforeSend, type RunAttempt } from './attempt.js';
import { traceAttempt } from './attempt-trace.js';
import { messageView } from './message-cache.js';
import { makeRateLimiter } from './rate-limit.js';
import { parseRetrySchedule } from './retry-policy.js';

/**
 * The dispatcher: claim due deliveries -> render -> send -> record, over and over.
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
  ctx: ServiceContext;
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

interface Job {
  delivery: ClaimedDelivery;
  message: MessageView;
  messageBytes: number;
  endpoint: EndpointRow;
  templates: TopicTemplates | null;
}

/** What a claim assumes a job holds before it has seen any: large, so a first claim of large events stays small. */
const FIRST_GUESS_JOB_BYTES = 256 * 1024;

/** How often a claim may walk past the due rows of endpoints whose queue is full (see loop). */
const WALK_EVERY_MS = 250;

/** How often a claim looks at every due row, not only those after where the last claim stopped (see loop). */
const FULL_SCAN_EVERY_MS = 1000;

/** The messages of a claimed batch, in one prepared statement whatever the batch's size. */
const selectMessages = preparedPerStore((caps) => (db, ids: unknown) => db.selectFrom('messages').selectAll().where(inIdList(caps.idListParam, 'id', ids)));

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
  const { store, config, log } = ctx;
  const schedule = parseRetrySchedule(config.retrySchedule);
  let running = false;
  /** Set once stop has recorded or released everything: an answer arriving after that has no lease to record on. */
  let stopped = false;
  /** When (a `Date.now()` time) a stopping dispatcher stops retrying outcomes the store refuses (their leases then expire). */
  let giveUpAt = Infinity;
  let loopDone: Promise<void> = Promise.resolve();
  let inFlight = 0;
  /** Message bytes of the jobs queued and in flight (see maxHeldBytes). */
  let heldBytes = 0;
  /** The mean size of the jobs of the last claim, which sizes the next. */
  let jobBytes = FIRST_GUESS_JOB_BYTES;
  /** Set while the loop waits for held bytes to drain below the budget. */
  let waitingForBytes = false;
  const perEndpoint = new Map<string, number>();
  /** Claimed, waiting for a slot of their endpoint. */
  const waiting = new Map<string, Job[]>();
  let buffer: AttemptOutcome[] = [];
  /** Outcomes not written yet: buffered, or in a flush that has not succeeded. */
  let unwritten = 0;
  /** When outcomes last failed to be written, while they still cannot be; null while they flow. */
  let blockedSince: number | null = null;
  let flushing: Promise<void> = Promise.resolve();
  let flushTimer: NodeJS.Timeout | null = null;
  let wakeUp: (() => void) | null = null;
  const endpointCache = new Map<string, { row: EndpointRow; at: number }>();
  const limiter = makeRateLimiter(() => ctx.now());
  /** Endpoints whose queue waits for a rate-limit token, with the timer that will let it move. */
  const drainTimers = new Map<string, NodeJS.Timeout>();

  /**
   * Deliveries this worker holds a lease on: waiting for a slot, in flight, or sent but not yet recorded. Their
   * leases are renewed while held, so a long local queue or a slow receiver never lets another worker (or this
   * one) claim them a second time. Only a worker that stops renewing (it died) gives its deliveries away.
   * Each maps to the attempt count it was claimed with: with the owner, that names the lease a release holds for.
   */
  const held = new Map<string, number>();
  let heartbeat: NodeJS.Timeout | null = null;

  async function renewLeases(): Promise<void> {
    const ids = [...held.keys()];
    for (let i = 0; i < ids.length; i += 5000) {
      await relaxedTransaction(store, (trx) =>
        trx
        .updateTable('deliveries')
        .set({ lease_expires_at: ctx.now() + config.leaseMs })
        .where('lease_owner', '=', owner)
        .where(inIds(store.caps, 'id', ids.slice(i, i + 5000)))
        .execute(),
      );
    }
  }

  // Endpoint rows are cached for a second; their render view (parsed headers, opened secrets) lives as long as
  // the row object, unless a rotated-out secret has expired since it was made.
  const views = new WeakMap<EndpointRow, { view: ReturnType<typeof endpointForRender>; until: number }>();
  function renderView(row: EndpointRow, at: number) {
    const cached = views.get(row);
    if (cached && at < cached.until) return cached.view;
    const view = endpointForRender(row, ctx.secrets, at);
    const until = row.previous_secret_until !== null && row.previous_secret_until > at ? row.previous_secret_until : Number.MAX_SAFE_INTEGER;
    views.set(row, { view, until });
    return view;
  }

  const onWake = () => wakeUp?.();
  const onEndpointChanged = (id: string) => endpointCache.delete(id);

  function capOf(endpoint: EndpointRow): number {
    return endpoint.max_in_flight ?? defaultEndpointInFlight;
  }

  /**
   * Endpoints not to claim for now: their local queue already holds two slates of work (2 x `cap` jobs), or their
   * rate limit has no token. Below that, claims keep a queue ahead of the sends so the pipe never runs dry.
   */
  function busyEndpoints(): string[] {
    const out = new Set<string>();
    for (const [id, jobs] of waiting) {
      const first = jobs[0];
      if (first && jobs.length >= 2 * capOf(first.endpoint)) out.add(id);
    }
    for (const [id, { row }] of endpointCache) {
      if (row.rate_limit !== null && limiter.waitMs(id, row.rate_limit) > 0) out.add(id);
    }
    return [...out].slice(0, 500);
  }

  function waitingCount(): number {
    let n = 0;
    for (const q of waiting.values()) n += q.length;
    return n;
  }

  async function loadEndpoints(ids: string[]): Promise<Map<string, EndpointRow>> {
    const now = ctx.now();
    const missing = ids.filter((id) => {
      const c = endpointCache.get(id);
      return !c || now - c.at > 1000;
    });
    if (missing.length > 0) {
      const rows = await store.db.selectFrom('endpoints').selectAll().where('id', 'in', missing).execute();
      for (const row of rows) endpointCache.set(row.id, { row, at: now });
    }
    const out = new Map<string, EndpointRow>();
    for (const id of ids) {
      const c = endpointCache.get(id);
      if (c) out.set(id, c.row);
    }
    return out;
  }

  async function prepare(claimed: ClaimedDelivery[]): Promise<Job[]> {
    const views = new Map<string, { view: MessageView; bytes: number }>();
    const unread: string[] = [];
    for (const id of new Set(claimed.map((d) => d.message_id))) {
      const entry = ctx.recentMessages?.entry(id);
      if (entry) views.set(id, entry);
      else unread.push(id);
    }
    const messages = unread.length > 0 ? await selectMessages(store.caps)(store.db, idListParam(store.caps, unread)) : [];
    const unreadable = new Map<string, unknown>();
    for (const m of messages) {
      try {
        const view = messageView(m, JSON.parse(m.entity_ids) as string[]);
        views.set(m.id, { view, bytes: m.data.length + m.entity_ids.length + 256 });
      } catch (e) {
        unreadable.set(m.id, new Error(`message ${m.id} cannot be read: ${(e as Error).message}`));
      }
    }
    const endpoints = await loadEndpoints([...new Set(claimed.map((d) => d.endpoint_id))]);
    const topicIds = [...new Set(claimed.map((d) => d.topic_id).filter((t): t is string => t !== null))];
    const topics = topicIds.length
      ? await store.db.selectFrom('topics').select(['id', 'title_en', 'title_cn', 'content_en', 'content_cn', 'template_mode']).where('id', 'in', topicIds).execute()
      : [];
    const topicById = new Map(topics.map((t) => [t.id, t]));
    const jobs: Job[] = [];
    const orphans: ClaimedDelivery[] = [];
    for (const d of claimed) {
      const message = views.get(d.message_id);
      const endpoint = endpoints.get(d.endpoint_id);
      const broken = unreadable.get(d.message_id);
      if (broken !== undefined) {
        // Held until its outcome is recorded, like any claimed delivery.
        held.set(d.id, d.attempts);
        failed(d, d.endpoint_id, endpoint?.url ?? null, broken);
        continue;
      }
      if (!message || !endpoint) {
        orphans.push(d);
        continue;
      }
      jobs.push({ delivery: d, endpoint, templates: d.topic_id ? (topicById.get(d.topic_id) ?? null) : null, message: message.view, messageBytes: message.bytes });
    }
    if (orphans.length > 0) {
      const now = ctx.now();
      await store.db
        .updateTable('deliveries')
        .set({ status: 'cancelled', last_error: 'endpoint or message no longer exists', lease_owner: null, next_attempt_at: null, updated_at: now })
        .where('lease_owner', '=', owner)
        .where('id', 'in', orphans.map((o) => o.id))
        .execute();
    }
    return jobs;
  }

  function scheduleFlush(): void {
    if (buffer.length >= flushEvery) {
      void flush();
      return;
    }
    flushTimer ??= setTimeout(() => void flush(), 25);
  }

  function reportBackPressure(): void {
    ctx.events.emit('outcome-backpressure', { paused: blockedSince !== null, unwritten });
  }

  function flush(): Promise<void> {
    if (flushTimer) {
      clearTimeout(flushTimer);
      flushTimer = null;
    }
    const batch = buffer;
    buffer = [];
    flushing = flushing.then(async () => {
      if (batch.length === 0) return;
      let result: RecordResult;
      for (let attempt = 0; ; attempt++) {
        try {
          result = await recordOutcomes(store, owner, ctx.now(), batch);
          break;
        } catch (e) {
          // The store is away, or refuses every write: keep the outcomes, claim nothing new, try again. If this
          // process dies meanwhile, the leases expire and the deliveries are sent again (at-least-once).
          if (blockedSince === null) {
            blockedSince = ctx.now();
            log.error({ err: e, unwritten }, 'delivery outcomes cannot be written; claiming paused until they can');
          } else {
            log.warn({ err: e, unwritten }, 'delivery outcomes still cannot be written; retrying');
          }
          reportBackPressure();
          await new Promise((r) => setTimeout(r, Math.min(5000, 100 * 2 ** attempt)));
          if (!running && (attempt > 50 || Date.now() >= giveUpAt)) {
            log.error({ outcomes: batch.length }, 'stopping with delivery outcomes unwritten; their leases expire and they are sent again');
            unwritten -= batch.length;
            return;
          }
        }
      }
      unwritten -= batch.length;
      if (blockedSince !== null) {
        log.warn({ pausedMs: ctx.now() - blockedSince, unwritten }, 'delivery outcomes written again; claiming resumed');
        blockedSince = null;
        reportBackPressure();
        wakeUp?.();
      }
      for (const o of batch) held.delete(o.deliveryId);
      for (const { outcome, reason } of result.reduced) {
        log.warn({ delivery: outcome.deliveryId, reason }, 'the store refused an attempt record; it was written in reduced form');
      }
      for (const { outcome, reason } of result.refused) {
        log.error({ delivery: outcome.deliveryId, reason }, 'the store refused an outcome in every form; its lease expires and it is sent again');
      }
      if (result.stale.length > 0) {
        log.warn({ deliveries: result.stale.map((o) => o.deliveryId) }, 'outcomes dropped: their deliveries were re-queued or taken over since they were sent');
      }
      for (const o of [...result.recorded, ...result.reduced.map((r) => r.outcome)]) {
        ctx.events.emit('delivery-outcome', o);
        if (o.disableReason) ctx.events.emit('endpoint-changed', o.endpointId);
      }
    });
    return flushing;
  }

  /**
   * Whatever breaks between claim and send (a sealed value this key cannot open, a damaged row, a send thread
   * that cannot take the job, a bug) is a failed attempt like a refused request: recorded with its class, then
   * retried on schedule or failed. Left unrecorded, the delivery would stay pending with its lease renewed.
   */
  function failed(delivery: ClaimedDelivery, endpointId: string, url: string | null, e: unknown): void {
    const outcome = failedBeforeSend({ deliveryId: delivery.id, attemptsMade: delivery.attempts, endpointId, url }, e, schedule, ctx.now);
    log.warn({ delivery: delivery.id, endpoint: endpointId, error_class: outcome.attempt.error_class, error: outcome.attempt.error }, 'delivery failed before sending');
    keep(outcome);
  }

  /** An outcome to write with the next flush; counted until it is written (see back-pressure). */
  function keep(outcome: AttemptOutcome): void {
    if (stopped) return;
    buffer.push(outcome);
    unwritten++;
    scheduleFlush();
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
        endpoint: renderView(endpoint, ctx.now()),
        templates: job.templates,
      });
    } catch (e) {
      failed(delivery, endpoint.id, endpoint.url, e);
      return;
    }
    keep(outcome);
    // Tracing, when configured: the attempt's span, made from its outcome.
    if (ctx.telemetry) traceAttempt(ctx.telemetry, message, endpoint.format, outcome);
  }

  function start(job: Job): void {
    const id = job.endpoint.id;
    inFlight++;
    perEndpoint.set(id, (perEndpoint.get(id) ?? 0) + 1);
    void run(job)
      .catch((e) => log.error({ err: e, delivery: job.delivery.id }, 'delivery crashed'))
      .finally(() => {
        inFlight--;
        heldBytes -= job.messageBytes;
        const n = (perEndpoint.get(id) ?? 1) - 1;
        if (n === 0) perEndpoint.delete(id);
        else perEndpoint.set(id, n);
        drain(id);
        // Claim more only when this endpoint's queue runs low: waking on every completion would make the
        // claim loop query the store once per delivery.
        if ((waiting.get(id)?.length ?? 0) < capOf(job.endpoint) || (waitingForBytes && heldBytes <= maxHeldBytes / 2)) wakeUp?.();
      });
  }

  /** Starts queued jobs of one endpoint while it has a free slot and a rate-limit token. */
  function drain(id: string): void {
    const queue = waiting.get(id);
    while (queue && queue.length > 0 && running && !drainTimers.has(id)) {
      const endpoint = queue[0]!.endpoint;
      if ((perEndpoint.get(id) ?? 0) >= capOf(endpoint)) return;
      if (!limiter.take(id, endpoint.rate_limit)) {
        drainTimers.set(
          id,
          setTimeout(() => {
            drainTimers.delete(id);
            drain(id);
          }, limiter.waitMs(id, endpoint.rate_limit)),
        );
        return;
      }
      start(queue.shift()!);
    }
    if (queue && queue.length === 0) waiting.delete(id);
  }

  /** False when the job is not kept: a rate-limited queue longer than the lease allows would outlive its leases. */
  function admit(job: Job): boolean {
    const id = job.endpoint.id;
    const queue = waiting.get(id) ?? [];
    const rate = job.endpoint.rate_limit;
    if (rate !== null && queue.length >= Math.max(1, Math.floor((rate * config.leaseMs) / 2000))) return false;
    queue.push(job);
    waiting.set(id, queue);
    held.set(job.delivery.id, job.delivery.attempts);
    heldBytes += job.messageBytes;
    drain(id);
    return true;
  }

  async function idle(ms: number): Promise<void> {
    await new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        wakeUp = null;
        resolve();
      }
      wakeUp = done;
    });
  }

  async function loop(): Promise<void> {
    let failures = 0;
    // Set when a claim (or the reads after it) failed: the store may have leased deliveries to this worker
    // without this worker learning which.
    let unknownLeases = false;
    let lastWalkAt = -Infinity;
    let floor = 0;
    let lastFullScanAt = -Infinity;
    while (running) {
      if (blockedSince !== null) {
        // Back-pressure: a successful flush wakes the loop.
        await idle(1000);
        continue;
      }
      // Jobs waiting locally count too: a worker holds at most twice what it may send at once.
      const capacity = 2 * maxInFlight - inFlight - waitingCount();
      const bytesLeft = maxHeldBytes - heldBytes;
      if (capacity <= 0 || bytesLeft <= 0) {
        waitingForBytes = bytesLeft <= 0;
        await idle(1000);
        waitingForBytes = false;
        continue;
      }
      try {
        if (unknownLeases) {
          const released = await releaseUnknownLeases(store, owner, [...held.keys()]);
          if (released > 0) log.warn({ released }, 'released leases a failed claim left behind');
          unknownLeases = false;
        }
        const exclude = busyEndpoints();
        if (exclude.length > 0) {
          // A claim that skips busy endpoints walks all of their due rows to find anyone else's: with a deep
          // backlog that is the costliest statement the worker runs. Other endpoints' work is looked for at most
          // every WALK_EVERY_MS while some endpoint's queue is full; a freed slot still wakes the loop at once.
          const wait = lastWalkAt + WALK_EVERY_MS - ctx.now();
          if (wait > 0) {
            await idle(wait);
            continue;
          }
          lastWalkAt = ctx.now();
        }
        const nowMs = ctx.now();
        // A claim holds what it takes until it is sent: sized so its messages fit the bytes left, by the last claim's.
        const limit = Math.min(capacity, claimBatch, Math.max(1, Math.floor(bytesLeft / jobBytes)));
        const full = floor === 0 || nowMs - lastFullScanAt >= FULL_SCAN_EVERY_MS;
        const claimed = await claimDueDeliveries(store, {
          owner,
          nowMs,
          leaseMs: config.leaseMs,
          limit,
          excludeEndpoints: exclude,
          fromMs: full ? 0 : floor,
        });
        failures = 0;
        if (full) lastFullScanAt = nowMs;
        // The floor is where the last claim stopped. Every due row before it is then done, held by this worker,
        // or leased by another; whatever else turns up there (a lease released or expired, a row written with a
        // clock behind this one) waits at most for the next full scan. A claim that skipped endpoints leaves the
        // floor where it was: their rows it walked past are not behind the old floor, but would be behind a new one.
        if (exclude.length === 0) for (const d of claimed) if (d.next_attempt_at > floor) floor = d.next_attempt_at;
        // A short answer above the floor may only mean the rest is behind it: look there next time.
        if (!full && claimed.length < limit) lastFullScanAt = -Infinity;
        if (claimed.length === 0) {
          if (exclude.length > 0) {
            // Whatever is due belongs to endpoints with a full queue, and finding that out meant walking all of
            // their due rows: claiming again before one of them frees a slot (which wakes this loop), new work
            // arrives, or a second passes would repeat that walk for nothing.
            await idle(1000);
            continue;
          }
          const next = await nextDueAt(store);
          // Something due that this claim did not take (its endpoint was disabled after it was queued, or it lies
          // behind the floor until the next full scan) must not make the loop spin: wait a moment first.
          const wait = next === null ? 1000 : Math.max(50, Math.min(1000, next - ctx.now()));
          if (wait > 0) await idle(wait);
          continue;
        }
        // A delivery this worker already holds is never started twice, whatever the store says.
        const jobs = await prepare(claimed.filter((d) => !held.has(d.id)));
        if (jobs.length > 0) jobBytes = Math.max(1024, jobs.reduce((n, j) => n + j.messageBytes, 0) / jobs.length);
        if (!running) {
          await releaseLeases(store, owner, jobs.map((j) => j.delivery));
          break;
        }
        const surplus = jobs.filter((job) => !admit(job)).map((job) => job.delivery);
        if (surplus.length > 0) await releaseLeases(store, owner, surplus);
      } catch (e) {
        failures++;
        unknownLeases = true;
        log.error({ err: e }, 'claiming deliveries failed; the store may be away');
        await idle(Math.min(5000, 100 * 2 ** failures));
      }
    }
  }

  return {
    owner,
    start(): void {
      if (running) return;
      running = true;
      stopped = false;
      giveUpAt = Infinity;
      ctx.events.on('wake', onWake);
      ctx.events.on('endpoint-changed', onEndpointChanged);
      heartbeat = setInterval(() => {
        if (held.size > 0) renewLeases().catch((e) => log.warn({ err: e }, 'renewing leases failed'));
      }, Math.max(100, Math.floor(config.leaseMs / 3)));
      loopDone = loop();
    },
    /**
     * Stops claiming, lets in-flight sends finish until `deadline` (and at most the request timeout) and records
     * them. What is still unanswered then is given up: its lease is released with the queued ones', so another
     * worker may send it at once instead of after the lease; an answer that comes later is not recorded.
     */
    async stop(deadline: number = Date.now() + config.shutdownTimeoutMs): Promise<void> {
      if (!running) return;
      running = false;
      giveUpAt = deadline;
      wakeUp?.();
      await loopDone;
      const queuedJobs = [...waiting.values()].flat();
      const queued = queuedJobs.map((j) => j.delivery);
      for (const j of queuedJobs) heldBytes -= j.messageBytes;
      waiting.clear();
      for (const d of queued) held.delete(d.id);
      for (const timer of drainTimers.values()) clearTimeout(timer);
      drainTimers.clear();
      const waitUntil = Math.min(deadline, Date.now() + config.requestTimeoutMs + 1000);
      while (inFlight > 0 && Date.now() < waitUntil) await new Promise((r) => setTimeout(r, 20));
      await flush();
      stopped = true;
      if (heartbeat) clearInterval(heartbeat);
      heartbeat = null;
      const abandoned = [...held].map(([id, attempts]) => ({ id, attempts }));
      held.clear();
      if (abandoned.length > 0) log.warn({ deliveries: abandoned.length }, 'shutdown deadline passed with deliveries in flight; their leases are released');
      try {
        await releaseLeases(store, owner, [...queued, ...abandoned]);
      } catch (e) {
        log.warn({ err: e }, 'could not release leases; they will expire');
      }
      ctx.events.off('wake', onWake);
      ctx.events.off('endpoint-changed', onEndpointChanged);
    },
    stats: () => ({ inFlight, waiting: [...waiting.values()].reduce((n, q) => n + q.length, 0), unwritten, claimsPaused: blockedSince !== null }),
  };
}

export type Dispatcher = ReturnType<typeof makeDispatcher>;
