import type { Kysely } from 'kysely';

/**
 * Portal sessions. A session starts as a one-time entry link (`entry_hash`, the SHA-256 of the link's token);
 * opening it stamps `entered_at` and stores the SHA-256 of the session cookie (`session_hash`). Neither token is
 * kept, and every request reads the row, so a revocation holds at once on every process.
 */
export function portalSessions() {
  return {
    async up(db: Kysely<any>): Promise<void> {
      await db.schema
        .createTable('portal_sessions')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('tenant', 'text', (c) => c.notNull())
        .addColumn('entry_hash', 'text', (c) => c.notNull().unique())
        .addColumn('session_hash', 'text', (c) => c.unique())
        .addColumn('read_only', 'integer', (c) => c.notNull())
        .addColumn('brand', 'text', (c) => c.notNull())
        .addColumn('expires_at', 'bigint', (c) => c.notNull())
        .addColumn('entered_at', 'bigint')
        .addColumn('revoked_at', 'bigint')
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('portal_sessions_tenant').on('portal_sessions').columns(['tenant']).execute();
    },
  };
}
