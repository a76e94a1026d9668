import { sql, type Transaction } from 'kysely';
import type { Capabilities } from '../capabilities.js';
import type { Database } from '../schema.js';

/**
 * Holds, until the transaction ends, the named keys (a coalescing window, an idempotency key). Every
 * transaction takes all of its keys at once, in the order of their lock numbers, before it writes anything:
 * two transactions that share keys then queue behind each other instead of deadlocking, whatever order their
 * jobs named them in. The ordered subquery is not flattened by PostgreSQL, so the locks are taken in its order.
 * SQLite has a single writer and needs none.
 */
export async function lockKeys(trx: Transaction<Database>, caps: Capabilities, keys: readonly string[]): Promise<void> {
  if (!caps.advisoryLocks || keys.length === 0) return;
  await sql`select count(pg_advisory_xact_lock(h)) from (select distinct hashtextextended(k, 0) as h from unnest(${[...keys]}::text[]) as k order by h) as ordered`.execute(trx);
}
