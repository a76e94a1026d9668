import type { Logger } from 'pino';
import type { Store } from '../store/database.js';
import { claimDueDeliveries, nextDueAt, type ClaimedDelivery } from '../store/queries/claim-due-deliveries.js';

/** What the claim loop needs of a job it made from a claimed row. */
export interface ClaimedJob {
  delivery: ClaimedDelivery;
  messageBytes: number;
}

/** What the worker holds right now, which bounds the next claim. */
export interface HeldLoad {
  inFlight: number;
  /** Claimed, waiting for their endpoint. */
  queued: number;
  /** Message bytes of the jobs queued and in flight. */
  heldBytes: number;
}

export interface ClaimLoopOptions<J extends ClaimedJob> {
  store: Store;
  owner: string;
  now(): number;
  leaseMs: number;
  log: Logger;
  /** Sends at once at most; the worker holds at most twice that, counting jobs queued locally. */
  maxInFlight: number;
  claimBatch: number;
  /** Message bytes held at most in jobs queued and in flight. */
  maxHeldBytes: number;
  load(): HeldLoad;
  /** True while outcomes cannot be written (back-pressure): nothing is claimed then. */
  paused(): boolean;
  /** Endpoints to leave out of the next claim (their queue is full, or their rate limit has no token). */
  busyEndpoints(): string[];
  /** True for a delivery this worker already holds: it is never started twice, whatever the store says. */
  holds(deliveryId: string): boolean;
  /** Turns claimed rows into jobs (deliveries it cannot make a job of are its to settle). */
  prepare(claimed: ClaimedDelivery[]): Promise<J[]>;
  /** Hands a job on; false when it is not kept (its lease is then released). */
  admit(job: J): boolean;
  release(deliveries: readonly ClaimedDelivery[]): Promise<void>;
  /** After a failed claim: releases whatever the store may have leased to this worker without it learning which. */
  releaseUnknown(): Promise<number>;
}

/** What a claim assumes a job holds before it has seen any: large, so a first claim of large events stays small. */
const FIRST_GUESS_JOB_BYTES = 256 * 1024;

/** How often a claim may walk past the due rows of endpoints whose queue is full (see loop). */
const WALK_EVERY_MS = 250;

/** How often a claim looks at every due row, not only those after where the last claim stopped (see loop). */
const FULL_SCAN_EVERY_MS = 1000;

/**
 * Claims due deliveries as long as the worker has room: in count (twice `maxInFlight`, queued jobs included) and
 * in message bytes. It sleeps when there is nothing to do and is woken (`wake`) when work may be due or room has
 * come free. States: stopped -> running -> stopping (the claim under way finishes; what it took is released).
 */
export function makeClaimLoop<J extends ClaimedJob>(o: ClaimLoopOptions<J>) {
  const { store, owner, log } = o;
  let running = false;
  let done: Promise<void> = Promise.resolve();
  let wakeUp: (() => void) | null = null;
  /** A wake that came while the loop was busy (claiming, reading): the next wait is skipped, not slept through. */
  let wokenMeanwhile = false;
  /** The mean size of the jobs of the last claim, which sizes the next. */
  let jobBytes = FIRST_GUESS_JOB_BYTES;
  /** Set while the loop waits for held bytes to drain below the budget. */
  let waitingForBytes = false;
  /**
   * Set while the loop sleeps because nothing it may claim is due: a freed slot then finds nothing more, so it
   * does not wake the loop (new work does, through `wake`, and a retry falls due at the end of the sleep).
   */
  let nothingDue = false;

  async function idle(ms: number): Promise<void> {
    if (wokenMeanwhile) {
      wokenMeanwhile = false;
      return;
    }
    await new Promise<void>((resolve) => {
      const timer = setTimeout(finish, ms);
      function finish() {
        clearTimeout(timer);
        wakeUp = null;
        resolve();
      }
      wakeUp = finish;
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
      if (o.paused()) {
        // Back-pressure: outcomes written again wake the loop.
        await idle(1000);
        continue;
      }
      const load = o.load();
      const capacity = 2 * o.maxInFlight - load.inFlight - load.queued;
      const bytesLeft = o.maxHeldBytes - load.heldBytes;
      if (capacity <= 0 || bytesLeft <= 0) {
        waitingForBytes = bytesLeft <= 0;
        await idle(1000);
        waitingForBytes = false;
        continue;
      }
      try {
        if (unknownLeases) {
          const released = await o.releaseUnknown();
          if (released > 0) log.warn({ released }, 'released leases a failed claim left behind');
          unknownLeases = false;
        }
        const exclude = o.busyEndpoints();
        if (exclude.length > 0) {
          // A claim that skips busy endpoints walks all of their due rows to find anyone else's: with a deep
          // backlog that is the costliest statement the worker runs. Other endpoints' work is looked for at most
          // every WALK_EVERY_MS while some endpoint's queue is full; a freed slot still wakes the loop at once.
          const wait = lastWalkAt + WALK_EVERY_MS - o.now();
          if (wait > 0) {
            await idle(wait);
            continue;
          }
          lastWalkAt = o.now();
        }
        const nowMs = o.now();
        // A claim holds what it takes until it is sent: sized so its messages fit the bytes left, by the last claim's.
        const limit = Math.min(capacity, o.claimBatch, Math.max(1, Math.floor(bytesLeft / jobBytes)));
        const full = floor === 0 || nowMs - lastFullScanAt >= FULL_SCAN_EVERY_MS;
        const claimed = await claimDueDeliveries(store, { owner, nowMs, leaseMs: o.leaseMs, limit, excludeEndpoints: exclude, fromMs: full ? 0 : floor });
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
          const wait = next === null ? 1000 : Math.max(50, Math.min(1000, next - o.now()));
          nothingDue = true;
          if (wait > 0) await idle(wait);
          nothingDue = false;
          continue;
        }
        const jobs = await o.prepare(claimed.filter((d) => !o.holds(d.id)));
        if (jobs.length > 0) jobBytes = Math.max(1024, jobs.reduce((n, j) => n + j.messageBytes, 0) / jobs.length);
        if (!running) {
          await o.release(jobs.map((j) => j.delivery));
          break;
        }
        const surplus = jobs.filter((job) => !o.admit(job)).map((job) => job.delivery);
        if (surplus.length > 0) await o.release(surplus);
      } catch (e) {
        failures++;
        unknownLeases = true;
        log.error({ err: e }, 'claiming deliveries failed; the store may be away');
        await idle(Math.min(5000, 100 * 2 ** failures));
      }
    }
  }

  /** A send has finished: wakes the loop if it waits for held bytes and they are down to half the budget. */
  function bytesFreed(): void {
    if (waitingForBytes && o.load().heldBytes <= o.maxHeldBytes / 2) wakeUp?.();
  }

  return {
    start(): void {
      if (running) return;
      running = true;
      done = loop();
    },
    /** Ends the loop after the claim under way (whose jobs are released, not admitted). */
    async stop(): Promise<void> {
      running = false;
      wakeUp?.();
      await done;
    },
    /** Work may be due, or room has come free: claim now rather than at the end of the current wait. */
    wake(): void {
      if (wakeUp) wakeUp();
      else if (running) wokenMeanwhile = true;
    },
    /**
     * A send has finished and its endpoint wants more: wakes the loop if it sleeps for want of room (a full worker,
     * a busy endpoint's queue), not when it sleeps because nothing is due.
     */
    roomFreed(): void {
      if (waitingForBytes) bytesFreed();
      else if (!nothingDue) wakeUp?.();
    },
    bytesFreed,
  };
}

export type ClaimLoop = ReturnType<typeof makeClaimLoop>;
