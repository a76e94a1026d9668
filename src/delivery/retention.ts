import { idFloor } from '../ids.js';
import type { ServiceContext } from '../services/context.js';
import { makePeriodic } from '../util/periodic.js';

/**
 * Retention (HERALD_RETENTION): keeps the store from growing without bound.
 * - Attempts older than the retention lose their request and response bodies (the status, error and timing stay).
 * - Finished messages older than it (no delivery still pending) are deleted with their deliveries and attempts.
 *
 * Work is done in batches of `batch` rows per statement with a pause between batches, so a large backlog never
 * holds the database (SQLite has a single writer) long enough to delay deliveries. Ids begin with their creation
 * time, so "older than" is a range on the primary key and needs no extra index.
 */
export interface RetentionOptions {
  ctx: ServiceContext;
  /** How often to run; defaults to a quarter of HERALD_RETENTION, between 250 ms and one hour. */
  intervalMs?: number;
  batch?: number;
  /** Pause between batches. */
  pauseMs?: number;
}

/** What a pruned attempt's request becomes: still a JSON object, saying why the details are gone. */
export const PRUNED_REQUEST = '{"pruned":true}';

export function makeRetention({ ctx, intervalMs, batch = 500, pauseMs = 20 }: RetentionOptions) {
  const { store, config, log } = ctx;
  const every = intervalMs ?? Math.min(3_600_000, Math.max(250, Math.floor(config.retentionMs / 4)));
  let stopped = false;
  // Attempts already stripped stay stripped: resuming after them keeps each pass from rescanning the whole log.
  let attemptCursor = '';

  const pause = () => new Promise((resolve) => setTimeout(resolve, pauseMs));

  async function pruneAttemptBodies(cutoff: number): Promise<number> {
    const floor = idFloor('att', cutoff);
    let total = 0;
    for (;;) {
      const rows = await store.db
        .selectFrom('attempts')
        .select('id')
        .where('id', '<', floor)
        .where('id', '>', attemptCursor)
        .where((eb) => eb.or([eb('response_body', 'is not', null), eb('request', '!=', PRUNED_REQUEST)]))
        .orderBy('id')
        .limit(batch)
        .execute();
      if (rows.length === 0) return total;
      await store.db
        .updateTable('attempts')
        .set({ request: PRUNED_REQUEST, response_body: null })
        .where('id', 'in', rows.map((r) => r.id))
        .execute();
      total += rows.length;
      attemptCursor = rows[rows.length - 1]!.id;
      if (rows.length < batch || stopped) return total;
      await pause();
    }
  }

  async function deleteFinishedMessages(cutoff: number): Promise<number> {
    const floor = idFloor('msg', cutoff);
    let cursor = '';
    let total = 0;
    for (;;) {
      const rows = await store.db
        .selectFrom('messages as m')
        .select('m.id')
        .where('m.id', '<', floor)
        .where('m.id', '>', cursor)
        .where((eb) =>
          eb.not(
            eb.exists(eb.selectFrom('deliveries as d').select('d.id').whereRef('d.message_id', '=', 'm.id').where('d.status', '=', 'pending')),
          ),
        )
        .orderBy('m.id')
        .limit(batch)
        .execute();
      if (rows.length === 0) return total;
      const ids = rows.map((r) => r.id);
      await store.db.transaction().execute(async (trx) => {
        await trx
          .deleteFrom('attempts')
          .where('delivery_id', 'in', trx.selectFrom('deliveries').select('id').where('message_id', 'in', ids))
          .execute();
        // A retry requested meanwhile makes a delivery pending again: its message is kept, whole.
        const kept = await trx.selectFrom('deliveries').select('message_id').where('message_id', 'in', ids).where('status', '=', 'pending').execute();
        const keep = new Set(kept.map((k) => k.message_id));
        const gone = ids.filter((id) => !keep.has(id));
        if (gone.length === 0) return;
        await trx.deleteFrom('deliveries').where('message_id', 'in', gone).execute();
        await trx.deleteFrom('messages').where('id', 'in', gone).execute();
        total += gone.length;
      });
      cursor = ids[ids.length - 1]!;
      if (rows.length < batch || stopped) return total;
      await pause();
    }
  }

  /** One pass over both kinds of old data. */
  async function run(): Promise<{ attemptsPruned: number; messagesDeleted: number }> {
    const cutoff = ctx.now() - config.retentionMs;
    const attemptsPruned = await pruneAttemptBodies(cutoff);
    const messagesDeleted = await deleteFinishedMessages(cutoff);
    if (attemptsPruned + messagesDeleted > 0) log.info({ attempts_pruned: attemptsPruned, messages_deleted: messagesDeleted }, 'retention pass');
    return { attemptsPruned, messagesDeleted };
  }

  const job = makePeriodic(every, run, (e) => log.error({ err: e }, 'retention pass failed; trying again later'));
  return {
    run,
    start: job.start,
    async stop(): Promise<void> {
      // A pass in progress ends after its current batch.
      stopped = true;
      await job.stop();
    },
  };
}

export type Retention = ReturnType<typeof makeRetention>;
