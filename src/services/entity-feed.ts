import { coerceError } from '../errors.js';
import type { ServiceContext } from './context.js';

/** One applied change as watchers receive it: the seq orders and resumes, the payload is the entity's view. */
export interface EntityChange {
  seq: number;
  payload: string;
}

/** Announced on `ctx.events` as 'entity' once a change is committed. */
export interface EntityEvent {
  entity_id: string;
  seq: number;
}

interface Watcher {
  after: number;
  send: (change: EntityChange) => void;
}

interface Watched {
  watchers: Set<Watcher>;
  fetching: boolean;
  /** A wake-up arrived during a fetch: fetch once more when it ends, or that change would wait for the poll. */
  again: boolean;
}

/**
 * Feeds entity changes to stream watchers. Changes are always read from `entity_changes` in seq order, never
 * taken from the in-process event itself: the event only says "look now". Reading from the table is what lets
 * changes committed by another Herald process (found by the poll) and local ones (announced at once) reach a
 * watcher in one order without gaps; lockEntities makes each entity's seqs commit in increasing order.
 */
export function makeEntityFeed(ctx: ServiceContext, { pollMs = 1000, batch = 500 } = {}) {
  const watched = new Map<string, Watched>();
  let timer: NodeJS.Timeout | null = null;

  async function fetchFor(entityId: string, w: Watched): Promise<void> {
    if (w.fetching) {
      w.again = true;
      return;
    }
    w.fetching = true;
    try {
      do {
        w.again = false;
        if (w.watchers.size === 0) break;
        const after = Math.min(...[...w.watchers].map((x) => x.after));
        const rows = await ctx.store.db
          .selectFrom('entity_changes')
          .select(['seq', 'payload'])
          .where('entity_id', '=', entityId)
          .where('seq', '>', after)
          .orderBy('seq')
          .limit(batch)
          .execute();
        for (const row of rows) {
          const change = { seq: Number(row.seq), payload: row.payload };
          for (const watcher of w.watchers) {
            if (change.seq <= watcher.after) continue;
            watcher.after = change.seq;
            watcher.send(change);
          }
        }
        if (rows.length === batch) w.again = true;
      } while (w.again);
    } catch (e) {
      ctx.log.warn({ err: coerceError(e), entity_id: entityId }, 'reading entity changes failed; the next poll retries');
    } finally {
      w.fetching = false;
    }
  }

  function wake(entityId: string): void {
    const w = watched.get(entityId);
    if (w) void fetchFor(entityId, w);
  }

  const onEvent = (e: EntityEvent) => wake(e.entity_id);
  ctx.events.on('entity', onEvent);

  function startPolling(): void {
    if (timer) return;
    timer = setInterval(() => {
      for (const [id, w] of watched) void fetchFor(id, w);
    }, pollMs);
    timer.unref();
  }

  return {
    /**
     * Sends `send` every change of the entity with a seq greater than `after`, the ones already stored first,
     * until the returned function is called.
     */
    watch(entityId: string, after: number, send: (change: EntityChange) => void): () => void {
      let w = watched.get(entityId);
      if (!w) {
        w = { watchers: new Set(), fetching: false, again: false };
        watched.set(entityId, w);
      }
      const watcher: Watcher = { after, send };
      w.watchers.add(watcher);
      startPolling();
      wake(entityId);
      return () => {
        const current = watched.get(entityId);
        if (!current) return;
        current.watchers.delete(watcher);
        if (current.watchers.size === 0) watched.delete(entityId);
        if (watched.size === 0 && timer) {
          clearInterval(timer);
          timer = null;
        }
      };
    },
    close(): void {
      ctx.events.off('entity', onEvent);
      if (timer) clearInterval(timer);
      timer = null;
      watched.clear();
    },
  };
}

export type EntityFeed = ReturnType<typeof makeEntityFeed>;
