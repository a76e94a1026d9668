import type { Kysely } from 'kysely';
import { canonicalEntityState } from '../../incoming/canonical-state.js';
import type { EntityState, InterfaceType, ResourceStatus, ResourceType } from '../../incoming/types.js';
import { prepared } from '../prepared.js';
import type { Database } from '../schema.js';

const selectResources = prepared((db, entityId: string) => db.selectFrom('entity_resources').selectAll().where('entity_id', '=', entityId));
const selectInterfaces = prepared((db, entityId: string) => db.selectFrom('entity_interfaces').selectAll().where('entity_id', '=', entityId));

/**
 * `entity_interfaces.name` is part of the primary key and so cannot be null; an unnamed interface is stored
 * under the empty string, which validation never lets a real name be.
 */
export const UNNAMED_INTERFACE = '';

/** The stored state of one entity, in canonical order (sorted here, not by SQL, whose collation varies). */
export async function loadEntityState(db: Kysely<Database>, entityId: string): Promise<EntityState> {
  const [resources, interfaces] = await Promise.all([
    selectResources(db, entityId),
    selectInterfaces(db, entityId),
  ]);
  return canonicalEntityState({
    resources: resources.map((r) => ({
      id: r.resource_id,
      type: r.type as ResourceType,
      name: r.name,
      status: r.status as ResourceStatus,
      config: r.config === null ? {} : (JSON.parse(r.config) as Record<string, unknown>),
      updated_at: r.updated_at,
      source_ts: r.source_ts,
    })),
    interfaces: interfaces.map((i) => ({
      type: i.type as InterfaceType,
      resource_id: i.resource_id,
      name: i.name === UNNAMED_INTERFACE ? null : i.name,
      config: i.config === null ? {} : (JSON.parse(i.config) as Record<string, unknown>),
    })),
  });
}
