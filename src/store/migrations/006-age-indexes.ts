import type { Kysely } from 'kysely';

/**
 * Indexes on the ages queries filter by: the delivery log's `since` (when a delivery last changed), and the
 * retention of idempotency keys and entity changes, which would otherwise scan their whole table on every pass.
 */
export function ageIndexes() {
  return {
    async up(db: Kysely<any>): Promise<void> {
      await db.schema.createIndex('deliveries_updated').on('deliveries').column('updated_at').execute();
      await db.schema.createIndex('idempotency_created').on('idempotency').column('created_at').execute();
      await db.schema.createIndex('entity_changes_created').on('entity_changes').column('created_at').execute();
    },
  };
}
