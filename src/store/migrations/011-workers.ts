import type { Kysely } from 'kysely';

/**
 * One row per delivering process (role `worker` or `all`), its `last_seen` moved on by a heartbeat, so an api
 * process can tell an operator that nothing is sending deliveries.
 */
export function workers() {
  return {
    async up(db: Kysely<any>): Promise<void> {
      await db.schema
        .createTable('workers')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('host', 'text', (c) => c.notNull())
        .addColumn('pid', 'integer', (c) => c.notNull())
        .addColumn('started_at', 'bigint', (c) => c.notNull())
        .addColumn('last_seen', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('workers_last_seen').on('workers').column('last_seen').execute();
    },
  };
}
