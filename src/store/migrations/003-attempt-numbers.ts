import { sql, type Kysely } from 'kysely';

/**
 * An attempt number is unique per delivery: outcomes are recorded only under the lease they were sent with, and
 * the index makes a second row with the same number impossible whatever a bug or a race does. Before outcomes
 * were conditioned on the lease's attempt count, a delivery re-queued by hand while a worker held it could be
 * sent twice under one number; of such twins the first recorded (lowest id, ids grow with time) is kept, so the
 * unique index can be built on an existing log.
 */
export function uniqueAttemptNumbers() {
  return {
    async up(db: Kysely<any>): Promise<void> {
      await sql`
        delete from attempts
        where exists (
          select 1 from attempts earlier
          where earlier.delivery_id = attempts.delivery_id and earlier.attempt = attempts.attempt and earlier.id < attempts.id
        )`.execute(db);
      await db.schema.dropIndex('attempts_delivery').execute();
      await db.schema.createIndex('attempts_delivery_attempt').unique().on('attempts').columns(['delivery_id', 'attempt']).execute();
    },
  };
}
