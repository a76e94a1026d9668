/**
 * Ordered delivery per endpoint: `none` sends deliveries side by side; `entity` sends those that share an
 * ordering key one at a time, in publish order (the key is the event's `ordering_key`, else its first entity
 * id; an event with neither goes unordered); `endpoint` sends the whole endpoint's deliveries one at a time.
 * Pure: which key a delivery is created with. The claim keeps the order (see claim-due-deliveries).
 */
export const ORDERINGS = ['none', 'entity', 'endpoint'] as const;
export type Ordering = (typeof ORDERINGS)[number];

/** The one key of an endpoint ordered as a whole. Event keys are never empty, so it cannot meet one. */
export const ENDPOINT_ORDERING_KEY = '';

/** The stored column (null on endpoints from before ordering existed) as an ordering. */
export function orderingOf(stored: string | null): Ordering {
  return stored === 'entity' || stored === 'endpoint' ? stored : 'none';
}

/** The key a new delivery of an event is ordered by on an endpoint; null: unordered. */
export function orderingKeyFor(ordering: Ordering, event: { orderingKey: string | null; entityIds: readonly string[] }): string | null {
  if (ordering === 'endpoint') return ENDPOINT_ORDERING_KEY;
  if (ordering === 'entity') return event.orderingKey ?? event.entityIds[0] ?? null;
  return null;
}
