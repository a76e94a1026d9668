import type { ClaimedDelivery } from '../store/queries/claim-due-deliveries.js';

/**
 * A worker in the process that publishes: deliveries it has room for are stored already leased to it, in the
 * publish's own transaction, and handed to it once that transaction has committed (on SQLite, before the WAL
 * sync its 202 waits for). They then reach their send without a wake-up, a claim statement or a poll. What it
 * has no room for (or an ordered or rate-limited endpoint's) is stored unleased and claimed as before.
 *
 * A lease given here lives in the rows like a claimed one: if the process dies before sending, the lease expires
 * and any worker claims the delivery again (at-least-once).
 */
export interface HandOver {
  /**
   * The lease for delivery `deliveryId` of `endpointId`, about to be stored in a transaction under way; null when
   * the worker would not start it soon (stopping, outcomes blocked, its queue or the endpoint's is full, the
   * endpoint is rate-limited), when its message (`messageBytes`, as the worker's byte budget counts it) would
   * not fit what the worker may hold, or when the endpoint is one the worker does not know yet.
   */
  lease(endpointId: string, deliveryId: string, messageBytes: number): { owner: string; expiresAt: number } | null;
  /** Deliveries stored under leases from `lease`, in a transaction that has committed: they are this worker's. */
  adopt(rows: ClaimedDelivery[]): void;
}
