import type { Transaction } from 'kysely';
import type { Store } from './database.js';
import { commitNowSyncLater } from './relaxed-transaction.js';
import type { Database } from './schema.js';

type Job<T> = (trx: Transaction<Database>) => Promise<T>;
interface Pending {
  job: Job<unknown>;
  resolve: (v: unknown) => void;
  reject: (e: unknown) => void;
}

/**
 * Group commit: writes that arrive while a transaction is committing share the next one, so many publishers pay
 * for one fsync between them. Each caller still gets its own result, and is only answered once its work is durable.
 * If a shared transaction fails, its jobs are retried one by one so one bad job cannot fail its neighbours.
 * On SQLite the next batch commits while the previous one's sync is still on its way to disk.
 */
export function makeGroupCommitter(store: Store, { maxJobs = 512 } = {}) {
  let queue: Pending[] = [];
  let running = false;

  async function runAlone(p: Pending): Promise<void> {
    try {
      const { result, durable } = await commitNowSyncLater(store, (trx) => p.job(trx));
      durable.then(() => p.resolve(result), p.reject);
    } catch (e) {
      p.reject(e);
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
            for (const p of batch) results.push(await p.job(trx));
          });
          durable.then(
            () => batch.forEach((p, i) => p.resolve(results[i])),
            (e) => batch.forEach((p) => p.reject(e)),
          );
        } catch {
          for (const p of batch) await runAlone(p);
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

  return function commit<T>(job: Job<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      queue.push({ job, resolve: resolve as (v: unknown) => void, reject });
      if (!running) {
        running = true;
        gather(queue.length, 0);
      }
    });
  };
}

export type GroupCommit = ReturnType<typeof makeGroupCommitter>;
