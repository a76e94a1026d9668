import type { EventEmitter } from 'node:events';
import type { Logger } from 'pino';
import type { Store } from '../store/database.js';
import { recordOutcomes, type AttemptOutcome, type RecordResult } from '../store/queries/record-outcomes.js';

export interface OutcomeWriterOptions {
  store: Store;
  /** Outcomes are written only under this owner's leases (a lease lost meanwhile makes its outcome stale). */
  owner: string;
  now(): number;
  log: Logger;
  /** Gets `delivery-outcome`, `endpoint-changed` and `operational-changes` for what was recorded, and `outcome-backpressure`. */
  events: EventEmitter;
  /** A batch this large is written at once; a smaller one after FLUSH_DELAY_MS. */
  flushEvery: number;
  /** Consecutive failed attempts after which an endpoint is announced as failing (HERALD_FAILING_AFTER). */
  failingAfter: number;
  /** Told the outcomes of each batch the store has taken (in any form, or as stale or refused). */
  onWritten(batch: readonly AttemptOutcome[]): void;
  /** Told when outcomes are written again after a pause. */
  onResumed(): void;
}

/** How long a partial batch waits for company: outcomes written one by one would cost a commit each. */
const FLUSH_DELAY_MS = 25;

/**
 * Writes delivery outcomes in batches, in order, one batch at a time. While the store cannot take them (it is
 * away, or refuses every write) it keeps them and retries with back-off, and says so (`paused`): the claim loop
 * then claims nothing new, since sends whose results cannot be recorded would only be sent again. If the process
 * dies meanwhile the leases expire and the deliveries are sent again (at-least-once).
 *
 * States: open (keeps and writes) -> stopping (still writes; gives up a batch the store refuses past the deadline)
 * -> closed (an outcome arriving now has no lease left to record on, and is dropped).
 */
export function makeOutcomeWriter({ store, owner, now, log, events, flushEvery, failingAfter, onWritten, onResumed }: OutcomeWriterOptions) {
  let buffer: AttemptOutcome[] = [];
  /** Outcomes not written yet: buffered, or in a flush that has not succeeded. */
  let unwritten = 0;
  /** When outcomes last failed to be written, while they still cannot be; null while they flow. */
  let blockedSince: number | null = null;
  let flushing: Promise<void> = Promise.resolve();
  let flushTimer: NodeJS.Timeout | null = null;
  let stopping = false;
  let closed = false;
  /** When (a `Date.now()` time) a stopping writer stops retrying outcomes the store refuses (their leases then expire). */
  let giveUpAt = Infinity;

  function reportBackPressure(): void {
    events.emit('outcome-backpressure', { paused: blockedSince !== null, unwritten });
  }

  function report(result: RecordResult): void {
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
      events.emit('delivery-outcome', o);
      if (o.disableReason) events.emit('endpoint-changed', o.endpointId);
    }
    // Operational events (FAILING, RECOVERED, EXHAUSTED): see services/operational-events.ts.
    events.emit('operational-changes', result.operational);
  }

  async function write(batch: AttemptOutcome[]): Promise<void> {
    if (batch.length === 0) return;
    let result: RecordResult;
    for (let attempt = 0; ; attempt++) {
      try {
        result = await recordOutcomes(store, owner, now(), batch, { failingAfter });
        break;
      } catch (e) {
        if (blockedSince === null) {
          blockedSince = now();
          log.error({ err: e, unwritten }, 'delivery outcomes cannot be written; claiming paused until they can');
        } else {
          log.warn({ err: e, unwritten }, 'delivery outcomes still cannot be written; retrying');
        }
        reportBackPressure();
        await new Promise((r) => setTimeout(r, Math.min(5000, 100 * 2 ** attempt)));
        if (stopping && (attempt > 50 || Date.now() >= giveUpAt)) {
          log.error({ outcomes: batch.length }, 'stopping with delivery outcomes unwritten; their leases expire and they are sent again');
          unwritten -= batch.length;
          return;
        }
      }
    }
    unwritten -= batch.length;
    if (blockedSince !== null) {
      log.warn({ pausedMs: now() - blockedSince, unwritten }, 'delivery outcomes written again; claiming resumed');
      blockedSince = null;
      reportBackPressure();
      onResumed();
    }
    onWritten(batch);
    report(result);
  }

  /** Writes what is buffered after whatever is being written; resolves once that is done (or given up). */
  function flush(): Promise<void> {
    if (flushTimer) {
      clearTimeout(flushTimer);
      flushTimer = null;
    }
    const batch = buffer;
    buffer = [];
    flushing = flushing.then(() => write(batch));
    return flushing;
  }

  return {
    /** An outcome to write with the next flush; counted until it is written (see `paused`). */
    keep(outcome: AttemptOutcome): void {
      if (closed) return;
      buffer.push(outcome);
      unwritten++;
      if (buffer.length >= flushEvery) void flush();
      else flushTimer ??= setTimeout(() => void flush(), FLUSH_DELAY_MS);
    },
    flush,
    open(): void {
      stopping = false;
      closed = false;
      giveUpAt = Infinity;
    },
    /** From now on a batch the store refuses is given up once `deadline` (a `Date.now()` time) has passed. */
    stopping(deadline: number): void {
      stopping = true;
      giveUpAt = deadline;
    },
    close(): void {
      closed = true;
    },
    /** True while outcomes cannot be written: claim nothing new. */
    get paused(): boolean {
      return blockedSince !== null;
    },
    get unwritten(): number {
      return unwritten;
    },
  };
}

export type OutcomeWriter = ReturnType<typeof makeOutcomeWriter>;
