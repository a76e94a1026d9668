import { sql, type Kysely } from 'kysely';
import { canonicalEntityState } from '../../incoming/canonical-state.js';
import type { EntityState, InterfaceType, ResourceStatus, ResourceType } from '../../incoming/types.js';
import { parseLossless } from '../../util/lossless-json.js';
import { prepared } from '../prepared.js';
import type { Database, EntityResourcesTable } from '../schema.js';

/** A resource row, or an interface row padded to its columns; `kind` says which ('r' or 'i'). */
type StateRow = { kind: 'r' | 'i'; updated_at: string | null } & Omit<EntityResourcesTable, 'entity_id' | 'updated_at'>;

/** Resources and interfaces of one entity in one statement: this runs for every incoming message. */
const selectState = prepared(
  (_db, entityId: string) =>
    sql<StateRow>`select 'r' as kind, resource_id, type, name, status, config, source_ts, updated_at from entity_resources where entity_id = ${entityId}
    union all
    select 'i', resource_id, type, name, null, config, null, null from entity_interfaces where entity_id = ${entityId}`,
);

/**
 * `entity_interfaces.name` is part of the primary key and so cannot be null; an unnamed interface is stored
 * under the empty string, which validation never lets a real name be.
 */
export const UNNAMED_INTERFACE = '';

/** The stored state of one entity, in canonical order (sorted here, not by SQL, whose collation varies). */
export async function loadEntityState(db: Kysely<Database>, entityId: string): Promise<EntityState> {
  const rows = await selectState(db, entityId);
  const state: EntityState = { resources: [], interfaces: [] };
  for (const r of rows) {
    // Read losslessly: the numbers a backend reported are shown as it wrote them.
    const config = r.config === null ? {} : (parseLossless(r.config) as Record<string, unknown>);
    if (r.kind === 'r') {
      state.resources.push({
        id: r.resource_id,
        type: r.type as ResourceType,
        name: r.name,
        status: r.status as ResourceStatus,
        config,
        updated_at: r.updated_at!,
        source_ts: r.source_ts,
      });
    } else {
      state.interfaces.push({ type: r.type as InterfaceType, resource_id: r.resource_id, name: r.name === UNNAMED_INTERFACE ? null : r.name, config });
    }
  }
  return canonicalEntityState(state);
}
