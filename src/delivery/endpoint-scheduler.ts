import type { Logger } from 'pino';
import type { EndpointRow } from './endpoint-render.js';
import { makeRateLimiter } from './rate-limit.js';

/** What the scheduler needs of a job: its endpoint and what it weighs. */
export interface SchedulableJob {
  delivery: { id: string };
  endpoint: EndpointRow;
  messageBytes: number;
}

export interface EndpointSchedulerOptions<J extends SchedulableJob> {
  now(): number;
  leaseMs: number;
  /** Sends at once per endpoint when its row sets no `max_in_flight`. */
  defaultEndpointInFlight: number;
  /** Sends one job; never rejects with anything but a bug (logged). */
  run(job: J): Promise<void>;
  /** Told after each send, once its slot has been given to the next job: `queueLow` when its endpoint wants more. */
  onSettled(queueLow: boolean): void;
  log: Logger;
}

/** Endpoints named at most in one claim's exclusion list (a statement parameter each). */
const MAX_BUSY_LISTED = 500;

/**
 * Per-endpoint isolation: each endpoint has its own queue of claimed jobs and its own number of sends at once
 * (`max_in_flight`), and its `rate_limit` is a token bucket here. A slow or failing endpoint fills only its own
 * queue; the claim loop skips it (`busyEndpoints`) and goes on claiming everyone else's work.
 *
 * Also counts what the worker holds (jobs queued and in flight, and their message bytes) for the claim loop's
 * budgets. Stopping (`close`) starts nothing more and hands back what was still queued.
 */
export function makeEndpointScheduler<J extends SchedulableJob>({ now, leaseMs, defaultEndpointInFlight, run, onSettled, log }: EndpointSchedulerOptions<J>) {
  let open = false;
  let inFlight = 0;
  let queued = 0;
  let heldBytes = 0;
  const perEndpoint = new Map<string, number>();
  /** Claimed, waiting for a slot of their endpoint. */
  const waiting = new Map<string, J[]>();
  const limiter = makeRateLimiter(now);
  /** Endpoints whose queue waits for a rate-limit token, with the timer that will let it move. */
  const drainTimers = new Map<string, NodeJS.Timeout>();

  function capOf(endpoint: EndpointRow): number {
    return endpoint.max_in_flight ?? defaultEndpointInFlight;
  }

  function start(job: J): void {
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
        onSettled((waiting.get(id)?.length ?? 0) < capOf(job.endpoint));
      });
  }

  /** Starts queued jobs of one endpoint while it has a free slot and a rate-limit token. */
  function drain(id: string): void {
    const queue = waiting.get(id);
    while (queue && queue.length > 0 && open && !drainTimers.has(id)) {
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
      queued--;
      start(queue.shift()!);
    }
    if (queue && queue.length === 0) waiting.delete(id);
  }

  return {
    /**
     * False when the job is not to be kept: a rate-limited queue longer than half a lease's worth of tokens would
     * hold jobs past their leases.
     */
    hasRoomFor(job: J): boolean {
      const rate = job.endpoint.rate_limit;
      return rate === null || (waiting.get(job.endpoint.id)?.length ?? 0) < Math.max(1, Math.floor((rate * leaseMs) / 2000));
    },
    /**
     * True when a job for `endpoint` handed over now would start at once or soon: the endpoint has no rate limit
     * and less than a slate (`cap` jobs) queued, counting `coming` jobs on their way to its queue. Rate-limited
     * endpoints are left to the claim loop, which claims only what their tokens allow.
     */
    startsSoon(endpoint: EndpointRow, coming = 0): boolean {
      return open && endpoint.rate_limit === null && (waiting.get(endpoint.id)?.length ?? 0) + coming < capOf(endpoint);
    },
    /** Queues the job behind its endpoint's, and starts it at once if the endpoint has a slot and a token. */
    enqueue(job: J): void {
      const id = job.endpoint.id;
      const queue = waiting.get(id) ?? [];
      queue.push(job);
      waiting.set(id, queue);
      queued++;
      heldBytes += job.messageBytes;
      drain(id);
    },
    /**
     * Endpoints not to claim for now: their local queue already holds two slates of work (2 x `cap` jobs), or
     * their rate limit has no token. Below that, claims keep a queue ahead of the sends so the pipe never runs
     * dry. `known`: the endpoint rows seen so far, whose rate limits are looked at.
     */
    busyEndpoints(known: Iterable<EndpointRow>): string[] {
      const out = new Set<string>();
      for (const [id, jobs] of waiting) {
        const first = jobs[0];
        if (first && jobs.length >= 2 * capOf(first.endpoint)) out.add(id);
      }
      for (const row of known) {
        if (row.rate_limit !== null && limiter.waitMs(row.id, row.rate_limit) > 0) out.add(row.id);
      }
      return [...out].slice(0, MAX_BUSY_LISTED);
    },
    open(): void {
      open = true;
    },
    /** Starts nothing more (sends under way finish); what is queued stays until `close`. */
    pause(): void {
      open = false;
    },
    /** Starts nothing more; answers the jobs still queued (no longer counted) for their leases to be released. */
    close(): J[] {
      open = false;
      const left = [...waiting.values()].flat();
      for (const j of left) heldBytes -= j.messageBytes;
      waiting.clear();
      queued = 0;
      for (const timer of drainTimers.values()) clearTimeout(timer);
      drainTimers.clear();
      return left;
    },
    get inFlight(): number {
      return inFlight;
    },
    /** Jobs queued behind their endpoint, not started yet. */
    get queued(): number {
      return queued;
    },
    /** Message bytes of the jobs queued and in flight. */
    get heldBytes(): number {
      return heldBytes;
    },
  };
}

export type EndpointScheduler<J extends SchedulableJob> = ReturnType<typeof makeEndpointScheduler<J>>;
