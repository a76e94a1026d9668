import { sql, type Kysely } from 'kysely';
import type { Capabilities } from '../capabilities.js';

/**
 * Ordered delivery. `endpoints.ordering` is `none` (null on rows from before), `entity` or `endpoint`.
 * `deliveries.ordering_key` is the key a delivery is ordered by (null: unordered), fixed when it is created.
 *
 * Publish order is the order the database stored the deliveries in, not their ids: ids carry each process's
 * clock, and two api processes (or hosts) a millisecond apart could store a later event under a smaller id.
 * PostgreSQL numbers rows from a sequence as they are inserted (`ordering_seq`); SQLite has one writer and
 * its rowid already grows with every insert (a new rowid is always above every stored one). The partial index
 * holds only pending ordered rows, so "is an earlier one of this key still pending?" is one short probe that
 * does not grow with the key's history, and unordered endpoints never touch it.
 */
export function ordering(caps: Capabilities) {
  return {
    async up(db: Kysely<any>): Promise<void> {
      await db.schema.alterTable('endpoints').addColumn('ordering', 'text').execute();
      await db.schema.alterTable('deliveries').addColumn('ordering_key', 'text').execute();
      if (caps.dialect === 'postgres') {
        await sql`create sequence deliveries_ordering_seq`.execute(db);
        // Added without a default first, so existing rows stay null (they have no key) and the table is not rewritten.
        await sql`alter table deliveries add column ordering_seq bigint`.execute(db);
        await sql`alter table deliveries alter column ordering_seq set default nextval('deliveries_ordering_seq')`.execute(db);
        await sql`create index deliveries_ordered on deliveries (endpoint_id, ordering_key, ordering_seq) where status = 'pending' and ordering_key is not null`.execute(db);
      } else {
        await sql`create index deliveries_ordered on deliveries (endpoint_id, ordering_key) where status = 'pending' and ordering_key is not null`.execute(db);
      }
    },
  };
}
