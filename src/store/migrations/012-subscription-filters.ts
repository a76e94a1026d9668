import type { Kysely } from 'kysely';

/**
 * A subscription's payload filter (its JSON text, null for none), and per message the subscriptions whose
 * filter passed it over (a JSON array of {subscription_id, endpoint_id}, null when none did): a filtered
 * subscription creates no delivery, so the message is the only place that remembers it was considered.
 */
export function subscriptionFilters() {
  return {
    async up(db: Kysely<any>): Promise<void> {
      await db.schema.alterTable('subscriptions').addColumn('filter', 'text').execute();
      await db.schema.alterTable('messages').addColumn('filtered_out', 'text').execute();
    },
  };
}
