import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { makePeriodic } from '../util/periodic.js';
import type { ServiceContext } from './context.js';

/**
 * Heartbeats of the processes that deliver (HERALD_ROLE=worker or all): each keeps a row in `workers` whose
 * `last_seen` it moves on every HEARTBEAT_MS, so any process sharing the store can tell when nothing has been
 * sending deliveries for a while. Times are each process's own clock: hosts are expected to keep theirs in sync.
 */
export const HEARTBEAT_MS = 15_000;
/** No heartbeat for this long and the workers count as gone (four beats missed). */
export const WORKER_STALE_MS = 60_000;
/** Rows of workers not seen for this long are removed by the beats of the others. */
const FORGET_AFTER_MS = 7 * 24 * 3600_000;

export interface Heartbeat {
  id: string;
  stop(): Promise<void>;
}

/** Records this process as a worker now, then every HEARTBEAT_MS until stopped. */
export async function startHeartbeat(ctx: ServiceContext, everyMs = HEARTBEAT_MS): Promise<Heartbeat> {
  const id = `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
  const startedAt = ctx.now();
  const beat = async () => {
    const now = ctx.now();
    await ctx.store.db
      .insertInto('workers')
      .values({ id, host: hostname(), pid: process.pid, started_at: startedAt, last_seen: now })
      .onConflict((oc) => oc.column('id').doUpdateSet({ last_seen: now }))
      .execute();
    await ctx.store.db.deleteFrom('workers').where('last_seen', '<', now - FORGET_AFTER_MS).execute();
  };
  await beat();
  const periodic = makePeriodic(everyMs, beat, (e) => ctx.log.warn({ err: e }, 'worker heartbeat could not be recorded'));
  periodic.start();
  return { id, stop: () => periodic.stop() };
}

export interface WorkerLiveness {
  /** When any worker was last seen (ms since the epoch), or null when none ever was. */
  lastSeen: number | null;
  /** Workers seen within WORKER_STALE_MS. */
  active: number;
  /** True when no worker has been seen within WORKER_STALE_MS: deliveries are not being sent. */
  stale: boolean;
}

export async function workerLiveness(ctx: ServiceContext): Promise<WorkerLiveness> {
  const since = ctx.now() - WORKER_STALE_MS;
  const row = await ctx.store.db
    .selectFrom('workers')
    .select((eb) => [eb.fn.max('last_seen').as('last'), eb.fn.countAll<string | number>().filterWhere('last_seen', '>=', since).as('active')])
    .executeTakeFirst();
  const lastSeen = row?.last == null ? null : Number(row.last);
  const active = Number(row?.active ?? 0);
  return { lastSeen, active, stale: active === 0 };
}
