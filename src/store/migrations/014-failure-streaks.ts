import type { Kysely } from 'kysely';

/**
 * An endpoint's failure streak, kept on its row by the same transaction that records each outcome, so every
 * worker sharing the database counts the same streak: `consecutive_failures` (failed attempts in a row) and
 * `failing_announced_at` (set by the one conditional update that wins the right to announce ENDPOINT/FAILING,
 * cleared by the success that announces ENDPOINT/RECOVERED).
 */
export function failureStreaks() {
  return {
    async up(db: Kysely<any>): Promise<void> {
      await db.schema.alterTable('endpoints').addColumn('consecutive_failures', 'integer', (c) => c.notNull().defaultTo(0)).execute();
      await db.schema.alterTable('endpoints').addColumn('failing_announced_at', 'bigint').execute();
    },
  };
}
