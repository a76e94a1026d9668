import type { Transaction } from 'kysely';
import { connectionLost } from './connection-lost.js';
import type { Store } from './database.js';
import { lockKeys } from './queries/lock-keys.js';
import { commitNowSyncLater } from './relaxed-transaction.js';
import type { Database } from './schema.js';

type Job<T> = (trx: Transaction<Database>) => Promise<T>;

export interface JobOptions {
  /** Keys the job must hold alone until its transaction ends (see lockKeys); taken before any job of the batch runs. */
  locks?: readonly string[];
  /**
   * The job writes the same rows however often it runs (its ids were chosen before the first try, its inserts
   * skip rows already there). Such a job is run once more when its transaction fails, which covers a commit
   * whose answer was lost with the connection: it may have committed, and the second run then adds nothing.
   */
  idempotent?: boolean;
  /**
   * Told the job's result as soon as its transaction has committed, before the commit is durable (the promise
   * waits for that). What this process does with committed rows meanwhile (hand them to its own worker) cannot
   * be undone by a process crash; only an OS crash before the sync could lose them.
   */
  onCommit?: (result: unknown) => void;
}

/**
 * Jobs of one kind that a shared transaction runs as one call: publishes that arrive together are stored with
 * multi-row inserts, as one request with all their events would be, instead of a few statements each (on
 * PostgreSQL every statement is a round trip). `run` answers one result per input, in order.
 */
export interface Batcher<I, R> {
  run(trx: Transaction<Database>, inputs: I[]): Promise<R[]>;
}

interface Pending {
  job: Job<unknown>;
  /** Set for a job a batcher can run together with its neighbours of the same batcher. */
  batched?: { batcher: Batcher<unknown, unknown>; input: unknown };
  opts: JobOptions;
  resolve: (v: unknown) => void;
  reject: (e: unknown) => void;
}

/**
 * Group commit: writes that arrive while a transaction is committing share the next one, so many publishers pay
 * for one fsync between them. Each caller still gets its own result, and is only answered once its work is durable.
 * If a shared transaction fails, its jobs are retried one by one so one bad job cannot fail its neighbours.
 * On SQLite the next batch commits while the previous one's sync is still on its way to disk.
 */
export function makeGroupCommitter(
  store: Store,
  { maxJobs = 512, onListenerError = () => {} }: { maxJobs?: number; onListenerError?: (e: unknown) => void } = {},
) {
  let queue: Pending[] = [];
  let running = false;

  function locksOf(batch: Pending[]): string[] {
    return batch.flatMap((p) => p.opts.locks ?? []);
  }

  function committed(p: Pending, result: unknown): void {
    try {
      p.opts.onCommit?.(result);
    } catch (e) {
      // A listener's failure is its own: the commit stands and its caller is still answered.
      onListenerError(e);
    }
  }

  async function runAlone(p: Pending): Promise<void> {
    for (let tries = p.opts.idempotent ? 2 : 1; ; tries--) {
      try {
        const { result, durable } = await commitNowSyncLater(store, async (trx) => {
          await lockKeys(trx, store.caps, locksOf([p]));
          return p.job(trx);
        });
        committed(p, result);
        // The answer waits for the sync that covers this commit: nobody is told "stored" before it is on disk.
        durable.then(() => p.resolve(result), p.reject);
        return;
      } catch (e) {
        if (tries <= 1) {
          p.reject(e);
          return;
        }
      }
    }
  }

  async function drain(): Promise<void> {
    running = true;
    try {
      while (queue.length > 0) {
        const batch = queue.slice(0, maxJobs);
        queue = queue.slice(batch.length);
        if (batch.length === 1) {
          await runAlone(batch[0]!);
          continue;
        }
        const results: unknown[] = [];
        try {
          const { durable } = await commitNowSyncLater(store, async (trx) => {
            await lockKeys(trx, store.caps, locksOf(batch));
            for (let i = 0; i < batch.length; ) {
              const batcher = batch[i]!.batched?.batcher;
              if (!batcher) {
                results.push(await batch[i]!.job(trx));
                i++;
                continue;
              }
              let j = i + 1;
              while (j < batch.length && batch[j]!.batched?.batcher === batcher) j++;
              const outs = await batcher.run(trx, batch.slice(i, j).map((p) => p.batched!.input));
              if (outs.length !== j - i) throw new Error(`a batcher answered ${outs.length} results for ${j - i} jobs`);
              results.push(...outs);
              i = j;
            }
          });
          batch.forEach((p, i) => committed(p, results[i]));
          durable.then(
            () => batch.forEach((p, i) => p.resolve(results[i])),
            (e) => batch.forEach((p) => p.reject(e)),
          );
        } catch (e) {
          // A lost connection leaves unknown whether the shared transaction committed: only the jobs that write
          // the same rows when run again are run again; the others are told the store failed, as it did.
          const unknownOutcome = connectionLost(e);
          for (const p of batch) {
            if (unknownOutcome && !p.opts.idempotent) p.reject(e);
            else await runAlone(p);
          }
        }
      }
    } finally {
      running = false;
    }
  }

  // better-sqlite3 runs a whole transaction without yielding, so draining at once would commit each job alone.
  // Waiting while the queue still grows, a few turns of the event loop at most, lets the requests already read
  // from sockets join the batch; an idle server pays one turn.
  function gather(seen: number, turns: number): void {
    setImmediate(() => {
      if (queue.length > seen && turns < 4) gather(queue.length, turns + 1);
      else void drain();
    });
  }

  function enqueue(p: Pending): void {
    queue.push(p);
    if (!running) {
      running = true;
      gather(queue.length, 0);
    }
  }

  function commit<T>(job: Job<T>, opts: JobOptions = {}): Promise<T> {
    return new Promise<T>((resolve, reject) => enqueue({ job, opts, resolve: resolve as (v: unknown) => void, reject }));
  }

  /**
   * A job that runs together with the other jobs of `batcher` in the same shared transaction. Alone (or when the
   * shared transaction fails and each job is tried by itself) it is `batcher.run` of its input alone.
   */
  function batched<I, R>(batcher: Batcher<I, R>, input: I, opts: JobOptions = {}): Promise<R> {
    const job: Job<R> = async (trx) => {
      const [out] = await batcher.run(trx, [input]);
      return out as R;
    };
    return new Promise<R>((resolve, reject) =>
      enqueue({ job, opts, batched: { batcher: batcher as Batcher<unknown, unknown>, input }, resolve: resolve as (v: unknown) => void, reject }),
    );
  }

  return Object.assign(commit, { batched });
}

export type GroupCommit = ReturnType<typeof makeGroupCommitter>;
