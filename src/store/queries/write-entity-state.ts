import type { Transaction } from 'kysely';
import { interfaceKey } from '../../incoming/canonical-state.js';
import { stringifyExact } from '../../util/lossless-json.js';
import type { EntityState, StoredInterface, StoredResource } from '../../incoming/types.js';
import { prepared } from '../prepared.js';
import type { Database } from '../schema.js';
import { UNNAMED_INTERFACE } from './load-entity-state.js';

const insertResource = prepared(
  (db, entityId: string, id: string, type: string, name: string | null, status: string, config: string, sourceTs: string | null, updatedAt: string) =>
    db.insertInto('entity_resources').values({
      entity_id: entityId,
      resource_id: id,
      type,
      name,
      status,
      config,
      source_ts: sourceTs,
      updated_at: updatedAt,
    }),
);

const updateResource = prepared(
  (db, entityId: string, id: string, type: string, name: string | null, status: string, config: string, sourceTs: string | null, updatedAt: string) =>
    db
      .updateTable('entity_resources')
      .set({ type, name, status, config, source_ts: sourceTs, updated_at: updatedAt })
      .where('entity_id', '=', entityId)
      .where('resource_id', '=', id),
);

const deleteResource = prepared((db, entityId: string, id: string) =>
  db.deleteFrom('entity_resources').where('entity_id', '=', entityId).where('resource_id', '=', id),
);

const insertInterface = prepared((db, entityId: string, resourceId: string, type: string, name: string, config: string) =>
  db.insertInto('entity_interfaces').values({ entity_id: entityId, resource_id: resourceId, type, name, config }),
);

const updateInterface = prepared((db, entityId: string, resourceId: string, type: string, name: string, config: string) =>
  db
    .updateTable('entity_interfaces')
    .set({ config })
    .where('entity_id', '=', entityId)
    .where('resource_id', '=', resourceId)
    .where('type', '=', type)
    .where('name', '=', name),
);

const deleteInterface = prepared((db, entityId: string, resourceId: string, type: string, name: string) =>
  db
    .deleteFrom('entity_interfaces')
    .where('entity_id', '=', entityId)
    .where('resource_id', '=', resourceId)
    .where('type', '=', type)
    .where('name', '=', name),
);

const appendChange = prepared((db, entityId: string, incomingId: string, payload: string, createdAt: number) =>
  db.insertInto('entity_changes').values({ entity_id: entityId, incoming_id: incomingId, payload, created_at: createdAt }).returning('seq'),
);

function sameResource(a: StoredResource, b: StoredResource): boolean {
  return (
    a.type === b.type &&
    a.name === b.name &&
    a.status === b.status &&
    a.source_ts === b.source_ts &&
    a.updated_at === b.updated_at &&
    stringifyExact(a.config) === stringifyExact(b.config)
  );
}

/**
 * Turns the stored state of one entity from `before` (as loaded in this transaction, under the entity's lock)
 * into `state`, writing only the rows that differ, and appends the change that produced it; answers the
 * change's seq. `payload` is what watchers are sent for this change, stored so a resumed stream replays the
 * same bytes.
 */
export async function writeEntityState(
  trx: Transaction<Database>,
  change: { entityId: string; incomingId: string; before: EntityState; state: EntityState; payload: string; nowMs: number },
): Promise<number> {
  const { entityId, before, state } = change;

  const oldResources = new Map(before.resources.map((r) => [r.id, r]));
  const keptResources = new Set<string>();
  const oldInterfaces = new Map(before.interfaces.map((i) => [interfaceKey(i), i]));
  const nextInterfaces = new Map(state.interfaces.map((i) => [interfaceKey(i), i]));
  for (const [key, i] of oldInterfaces) {
    if (!nextInterfaces.has(key)) await deleteInterface(trx, entityId, i.resource_id, i.type, i.name ?? UNNAMED_INTERFACE);
  }
  for (const r of state.resources) {
    keptResources.add(r.id);
    const old = oldResources.get(r.id);
    if (old && sameResource(old, r)) continue;
    const write = old ? updateResource : insertResource;
    await write(trx, entityId, r.id, r.type, r.name, r.status, stringifyExact(r.config), r.source_ts, r.updated_at);
  }
  for (const id of oldResources.keys()) {
    if (!keptResources.has(id)) await deleteResource(trx, entityId, id);
  }
  for (const [key, i] of nextInterfaces) {
    const old: StoredInterface | undefined = oldInterfaces.get(key);
    const config = stringifyExact(i.config);
    if (old && stringifyExact(old.config) === config) continue;
    const write = old ? updateInterface : insertInterface;
    await write(trx, entityId, i.resource_id, i.type, i.name ?? UNNAMED_INTERFACE, config);
  }
  const [row] = await appendChange(trx, entityId, change.incomingId, change.payload, change.nowMs);
  if (!row) throw new Error('appending an entity change returned no seq');
  return Number(row.seq);
}
