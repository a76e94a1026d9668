import type { Kysely } from 'kysely';

/**
 * Trace context. `messages.traceparent`: the W3C context of the publish that made the message (null when it was
 * published without tracing), so its attempts join that trace in whichever worker sends them, however much later.
 * `endpoints.trace_context`: 1 when the endpoint's deliveries carry a `traceparent` header.
 */
export function traceContext() {
  return {
    async up(db: Kysely<any>): Promise<void> {
      await db.schema.alterTable('messages').addColumn('traceparent', 'text').execute();
      await db.schema.alterTable('endpoints').addColumn('trace_context', 'integer', (c) => c.notNull().defaultTo(0)).execute();
    },
  };
}
