import { idFloor } from '../ids.js';
import { IDEMPOTENCY_WINDOW_MS } from '../store/idempotency-window.js';
import type { DeliveryContext } from './context.js';
import { makePeriodic } from '../util/periodic.js';

/**
 * Retention (HERALD_RETENTION): keeps the store from growing without bound.
 * - Attempts older than the retention lose their request and response bodies (the status, error and timing stay).
 * - Finished messages older than it (no delivery still pending) are deleted with their deliveries and attempts.
 * - Incoming log rows older than it are deleted: refusals always, answered callbacks once their source message is
 *   gone (while it exists, they are what recognises a callback sent again).
 * - Entity changes older than it are deleted, except each entity's latest (its state's time and stream position).
 * - Idempotency keys are deleted once their window (24 h) has passed: publishing the key again is then new anyway.
 *
 * Work is done in batches of `batch` rows per statement with a pause between batches, so a large backlog never
 * holds the database (SQLite has a single writer) long enough to delay deliveries. Ids begin with their creation
 * time, so "older than" is a range on the primary key and needs no extra index.
 */
export interface RetentionOptions {
  ctx: DeliveryContext;
  /** How often to run; defaults to a quarter of HERALD_RETENTION, between 250 ms and one hour. */
  intervalMs?: number;
  batch?: number;
  /** Pause between batches. */
  pauseMs?: number;
  /** Told the size of every batch written, in order (tests check that the work is done in bounded batches). */
  onBatch?: (table: RetainedTable, rows: number) => void;
}

export type RetainedTable = 'attempts' | 'messages' | 'incoming' | 'entity_changes' | 'idempotency';

export interface RetentionPass {
  attemptsPruned: number;
  messagesDeleted: number;
  incomingDeleted: number;
  entityChangesDeleted: number;
  idempotencyDeleted: number;
}

/** What a pruned attempt's request becomes: still a JSON object, saying why the details are gone. */
export const PRUNED_REQUEST = '{"pruned":true}';

export function makeRetention({ ctx, intervalMs, batch = 500, pauseMs = 20, onBatch }: RetentionOptions) {
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
        .set({ request: PRUNED_REQUEST, response_body: null, response_headers: null })
        .where('id', 'in', rows.map((r) => r.id))
        .execute();
      onBatch?.('attempts', rows.length);
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
        onBatch?.('messages', gone.length);
        total += gone.length;
      });
      cursor = ids[ids.length - 1]!;
      if (rows.length < batch || stopped) return total;
      await pause();
    }
  }

  /**
   * Deletes, `batch` rows per statement, the rows `select` names (oldest first, after the last key of the batch
   * before), until a batch comes back short.
   */
  async function deleteInBatches<K>(
    table: RetainedTable,
    select: (after: K | null) => Promise<K[]>,
    remove: (keys: K[]) => Promise<unknown>,
  ): Promise<number> {
    let after: K | null = null;
    let total = 0;
    for (;;) {
      const keys = await select(after);
      if (keys.length === 0) return total;
      await remove(keys);
      onBatch?.(table, keys.length);
      total += keys.length;
      after = keys[keys.length - 1]!;
      if (keys.length < batch || stopped) return total;
      await pause();
    }
  }

  function deleteOldIncoming(cutoff: number): Promise<number> {
    const floor = idFloor('in', cutoff);
    return deleteInBatches<string>(
      'incoming',
      async (after) =>
        (
          await store.db
            .selectFrom('incoming as i')
            .select('i.id')
            .where('i.id', '<', floor)
            .where('i.id', '>', after ?? '')
            .where((eb) =>
              eb.or([
                eb('i.outcome', '=', 'refused'),
                eb('i.source_message_id', 'is', null),
                eb.not(eb.exists(eb.selectFrom('messages as m').select('m.id').whereRef('m.id', '=', 'i.source_message_id'))),
              ]),
            )
            .orderBy('i.id')
            .limit(batch)
            .execute()
        ).map((r) => r.id),
      (ids) => store.db.deleteFrom('incoming').where('id', 'in', ids).execute(),
    );
  }

  function deleteOldEntityChanges(cutoff: number): Promise<number> {
    return deleteInBatches<number>(
      'entity_changes',
      async (after) =>
        (
          await store.db
            .selectFrom('entity_changes as c')
            .select('c.seq')
            .where('c.created_at', '<', cutoff)
            .where('c.seq', '>', after ?? 0)
            .where((eb) =>
              eb.exists(eb.selectFrom('entity_changes as n').select('n.seq').whereRef('n.entity_id', '=', 'c.entity_id').whereRef('n.seq', '>', 'c.seq')),
            )
            .orderBy('c.seq')
            .limit(batch)
            .execute()
        ).map((r) => Number(r.seq)),
      (seqs) => store.db.deleteFrom('entity_changes').where('seq', 'in', seqs).execute(),
    );
  }

  function deleteExpiredIdempotencyKeys(now: number): Promise<number> {
    const cutoff = now - IDEMPOTENCY_WINDOW_MS;
    // A deleted batch is gone, so each select starts from the oldest again; the age check on the delete keeps
    // a key published anew meanwhile.
    return deleteInBatches<{ tenant: string; key: string }>(
      'idempotency',
      () => store.db.selectFrom('idempotency').select(['tenant', 'key']).where('created_at', '<', cutoff).orderBy('created_at').limit(batch).execute(),
      (pairs) =>
        store.db
          .deleteFrom('idempotency')
          .where('created_at', '<', cutoff)
          .where((eb) => eb.or(pairs.map((p) => eb.and([eb('tenant', '=', p.tenant), eb('key', '=', p.key)]))))
          .execute(),
    );
  }

  /** One pass over every kind of old data. */
  async function run(): Promise<RetentionPass> {
    const now = ctx.now();
    const cutoff = now - config.retentionMs;
    const pass: RetentionPass = {
      attemptsPruned: await pruneAttemptBodies(cutoff),
      messagesDeleted: await deleteFinishedMessages(cutoff),
      incomingDeleted: await deleteOldIncoming(cutoff),
      entityChangesDeleted: await deleteOldEntityChanges(cutoff),
      idempotencyDeleted: await deleteExpiredIdempotencyKeys(now),
    };
    if (Object.values(pass).some((n) => n > 0)) {
      log.info(
        {
          attempts_pruned: pass.attemptsPruned,
          messages_deleted: pass.messagesDeleted,
          incoming_deleted: pass.incomingDeleted,
          entity_changes_deleted: pass.entityChangesDeleted,
          idempotency_deleted: pass.idempotencyDeleted,
        },
        'retention pass',
      );
    }
    return pass;
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
