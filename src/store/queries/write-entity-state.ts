import type { Transaction } from 'kysely';
import type { EntityState } from '../../incoming/types.js';
import type { Database } from '../schema.js';
import { UNNAMED_INTERFACE } from './load-entity-state.js';

/**
 * Replaces the stored state of one entity and appends the change that produced it; answers the change's seq.
 * `payload` is what watchers are sent for this change, stored so a resumed stream replays the same bytes.
 */
export async function writeEntityState(
  trx: Transaction<Database>,
  change: { entityId: string; incomingId: string; state: EntityState; payload: string; nowMs: number },
): Promise<number> {
  const { entityId, state } = change;
  await trx.deleteFrom('entity_interfaces').where('entity_id', '=', entityId).execute();
  await trx.deleteFrom('entity_resources').where('entity_id', '=', entityId).execute();
  for (const resources of chunks(state.resources)) {
    await trx
      .insertInto('entity_resources')
      .values(
        resources.map((r) => ({
          entity_id: entityId,
          resource_id: r.id,
          type: r.type,
          name: r.name,
          status: r.status,
          config: JSON.stringify(r.config),
          source_ts: r.source_ts,
          updated_at: r.updated_at,
        })),
      )
      .execute();
  }
  for (const interfaces of chunks(state.interfaces)) {
    await trx
      .insertInto('entity_interfaces')
      .values(
        interfaces.map((i) => ({
          entity_id: entityId,
          resource_id: i.resource_id,
          type: i.type,
          name: i.name ?? UNNAMED_INTERFACE,
          config: JSON.stringify(i.config),
        })),
      )
      .execute();
  }
  const row = await trx
    .insertInto('entity_changes')
    .values({ entity_id: entityId, incoming_id: change.incomingId, payload: change.payload, created_at: change.nowMs })
    .returning('seq')
    .executeTakeFirstOrThrow();
  return Number(row.seq);
}

/** 500 rows of at most 8 columns stay under either database's limit on bound parameters. */
function chunks<T>(items: T[], size = 500): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
