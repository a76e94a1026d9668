import type { Kysely } from 'kysely';

/**
 * Duplicate detection looks up (endpoint, source message, digest) on every incoming message. The indexes of 001
 * lead with the source message or the endpoint alone, and SQLite's planner, without statistics, chose the
 * endpoint one: a scan of everything the endpoint ever sent, growing with the log.
 */
export function incomingDigestIndex() {
  return {
    async up(db: Kysely<any>): Promise<void> {
      await db.schema
        .createIndex('incoming_digest')
        .on('incoming')
        .columns(['source_message_id', 'endpoint_id', 'digest'])
        .execute();
    },
  };
}
