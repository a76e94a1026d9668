import { sql, type Transaction } from 'kysely';
import type { Capabilities } from '../capabilities.js';
import type { Database } from '../schema.js';

/**
 * Holds, until the transaction ends, the right to change these entities. Writers of one entity therefore
 * commit one after another, so an entity's change seqs become visible in increasing order: a stream that
 * has sent seq N may resume from N without missing a change committed later under a smaller seq.
 * Locks are taken in sorted order so two transactions naming the same entities cannot deadlock each other.
 */
export async function lockEntities(trx: Transaction<Database>, caps: Capabilities, entityIds: string[]): Promise<void> {
  if (!caps.advisoryLocks) return;
  for (const id of [...new Set(entityIds)].sort()) {
    await sql`select pg_advisory_xact_lock(hashtextextended(${`herald.entity:${id}`}, 0))`.execute(trx);
  }
}
