import { sql, type Kysely, type Transaction } from 'kysely';
import type { Store } from './database.js';
import type { Database } from './schema.js';

/**
 * A transaction whose commit does not wait for the disk. The worker's bookkeeping (leases, attempt outcomes)
 * commits this way and is never synced on purpose: after an OS crash the newest of those may be lost, which at
 * worst sends a delivery again, the at-least-once promise. Accepted events and callbacks commit this way too, but
 * only through commitNowSyncLater, which answers them after the WAL sync that covers their commit; that sync also
 * puts every relaxed commit before it on disk.
 *
 * On PostgreSQL it runs on the store's relaxed pool (Store.relaxedDb), whose sessions have synchronous_commit
 * off from their start: no statement is spent switching it per transaction.
 *
 * On SQLite the pragma is set and reset on the single connection while it is held, so no other write can slip
 * in between and commit relaxed by accident. Without it each of these commits would block the event loop on an
 * fsync, since better-sqlite3 commits synchronously. (The two pragmas cost a few microseconds, no I/O; leaving
 * the connection at NORMAL instead would make every other write on it, an operator's endpoint among them,
 * durable only on a sync nobody waits for.)
 */
export async function relaxedTransaction<T>(store: Store, fn: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
  if (store.caps.relaxedCommit === 'relaxed-pool') return store.relaxedDb.transaction().execute(fn);
  return relaxedOnSqlite(store, (conn) => conn.transaction().execute(fn));
}

/**
 * One relaxed statement, committed on its own as relaxedTransaction's are. A single statement is atomic without
 * BEGIN and COMMIT, so on PostgreSQL it is one round trip. `fn` must run exactly one statement on the database
 * it is given: two would commit separately.
 */
export async function relaxedStatement<T>(store: Store, fn: (db: Kysely<Database>) => Promise<T>): Promise<T> {
  if (store.caps.relaxedCommit === 'relaxed-pool') return fn(store.relaxedDb);
  return relaxedOnSqlite(store, fn);
}

async function relaxedOnSqlite<T>(store: Store, fn: (conn: Kysely<Database>) => Promise<T>): Promise<T> {
  return store.db.connection().execute(async (conn) => {
    await sql`pragma synchronous = NORMAL`.execute(conn);
    try {
      return await fn(conn);
    } finally {
      await sql`pragma synchronous = FULL`.execute(conn);
    }
  });
}

/**
 * A transaction whose commit is visible when it resolves and durable when `durable` does. On SQLite it commits at
 * `synchronous = NORMAL`, and `durable` is the WAL sync that runs on the thread pool (Store.durable): the event
 * loop keeps reading requests, and the next transaction can commit, while the disk flush is under way. On
 * PostgreSQL the commit itself is durable: it runs on the durable pool.
 */
export async function commitNowSyncLater<T>(store: Store, fn: (trx: Transaction<Database>) => Promise<T>): Promise<{ result: T; durable: Promise<void> }> {
  if (store.caps.relaxedCommit === 'relaxed-pool') return { result: await store.db.transaction().execute(fn), durable: Promise.resolve() };
  const result = await relaxedTransaction(store, fn);
  return { result, durable: store.durable() };
}
