import type { Kysely } from 'kysely';

/**
 * The response headers of an attempt: a JSON object's text, capped and masked as the sender keeps them. Null for
 * an attempt without an answer, and for every attempt recorded before this column.
 */
export function responseHeaders() {
  return {
    async up(db: Kysely<any>): Promise<void> {
      await db.schema.alterTable('attempts').addColumn('response_headers', 'text').execute();
    },
  };
}
