import type { Logger } from 'pino';
import type { Store } from '../store/database.js';
import { inIds } from '../store/id-list.js';
import { releaseLeases, releaseUnknownLeases, type HeldLease } from '../store/queries/claim-due-deliveries.js';
import { relaxedStatement } from '../store/relaxed-transaction.js';

export interface LeaseKeeperOptions {
  store: Store;
  /** The worker's lease owner: only leases under it are renewed, cancelled or released. */
  owner: string;
  now(): number;
  leaseMs: number;
  log: Logger;
}

/** Ids per renewal statement: bounded so a deep local queue never makes one statement (or parameter list) huge. */
const RENEW_CHUNK = 5000;

/**
 * The leases a worker holds: waiting for a slot, in flight, or sent but not yet recorded. They are renewed while
 * held, so a long local queue or a slow receiver never lets another worker (or this one) claim them a second time;
 * only a worker that stops renewing (it died) gives its deliveries away. Each maps to the attempt count it was
 * claimed with: with the owner, that names the lease a release holds for.
 */
export function makeLeaseKeeper({ store, owner, now, leaseMs, log }: LeaseKeeperOptions) {
  const held = new Map<string, number>();
  let heartbeat: NodeJS.Timeout | null = null;

  async function renew(): Promise<void> {
    const ids = [...held.keys()];
    for (let i = 0; i < ids.length; i += RENEW_CHUNK) {
      await relaxedStatement(store, (db) =>
        db
          .updateTable('deliveries')
          .set({ lease_expires_at: now() + leaseMs })
          .where('lease_owner', '=', owner)
          .where(inIds(store.caps, 'id', ids.slice(i, i + RENEW_CHUNK)))
          .execute(),
      );
    }
  }

  return {
    hold(lease: HeldLease): void {
      held.set(lease.id, lease.attempts);
    },
    forget(id: string): void {
      held.delete(id);
    },
    holds: (id: string): boolean => held.has(id),
    get size(): number {
      return held.size;
    },
    renew,
    /** Renews every third of the lease, so one missed beat never lets a lease lapse. */
    startRenewing(): void {
      heartbeat ??= setInterval(() => {
        if (held.size > 0) renew().catch((e) => log.warn({ err: e }, 'renewing leases failed'));
      }, Math.max(100, Math.floor(leaseMs / 3)));
    },
    stopRenewing(): void {
      if (heartbeat) clearInterval(heartbeat);
      heartbeat = null;
    },
    /** Deliveries whose endpoint or message is gone: nothing could ever send them, so they end as cancelled. */
    async cancelOrphans(ids: readonly string[]): Promise<void> {
      if (ids.length === 0) return;
      await store.db
        .updateTable('deliveries')
        .set({ status: 'cancelled', last_error: 'endpoint or message no longer exists', lease_owner: null, next_attempt_at: null, updated_at: now() })
        .where('lease_owner', '=', owner)
        .where('id', 'in', ids)
        .execute();
    },
    /** Gives back leases taken but not kept (never held here), so others can claim them at once. */
    release: (leases: readonly HeldLease[]): Promise<void> => releaseLeases(store, owner, leases),
    /** After a claim whose answer was lost: gives back whatever the store leased to this owner that is not held. */
    releaseUnknown: (): Promise<number> => releaseUnknownLeases(store, owner, [...held.keys()]),
    /** Stops holding everything, answering what was held (for a release). */
    takeAll(): HeldLease[] {
      const all = [...held].map(([id, attempts]) => ({ id, attempts }));
      held.clear();
      return all;
    },
  };
}

export type LeaseKeeper = ReturnType<typeof makeLeaseKeeper>;
