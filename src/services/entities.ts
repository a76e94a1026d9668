import { notFound } from '../errors.js';
import type { EntityState } from '../incoming/types.js';
import { loadEntityState } from '../store/queries/load-entity-state.js';
import type { ServiceContext } from './context.js';
import { entityOfTenant } from '../store/queries/entity-tenants.js';
import { ADMIN, tenantOf, type Principal } from './principal.js';

/**
 * What clients see of an entity: GET /v1/entities/:id and every `state` event of its stream. Keys are built in
 * a fixed order from a canonical state, so one state always serialises to the same bytes; `source_ts` is
 * Herald's bookkeeping for ordering reports and stays inside.
 */
export function entityView(entityId: string, state: EntityState, updatedAtMs: number | null) {
  return {
    id: entityId,
    resources: state.resources.map((r) => ({
      id: r.id,
      type: r.type,
      name: r.name,
      status: r.status,
      config: r.config,
      updated_at: r.updated_at,
    })),
    interfaces: state.interfaces.map((i) => ({ type: i.type, resource_id: i.resource_id, name: i.name, config: i.config })),
    updated_at: updatedAtMs === null ? null : new Date(updatedAtMs).toISOString(),
  };
}

export type EntityView = ReturnType<typeof entityView>;

/** The latest change of an entity: its seq and the view it produced. Null while no report has reached it. */
export async function latestEntityChange(ctx: ServiceContext, entityId: string) {
  const row = await ctx.store.db
    .selectFrom('entity_changes')
    .select(['seq', 'payload', 'created_at'])
    .where('entity_id', '=', entityId)
    .orderBy('seq', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row ? { seq: Number(row.seq), payload: row.payload, createdAt: row.created_at } : null;
}

/** An entity's state, read from the state tables. An entity no incoming message has reached is a 404. */
export async function getEntity(ctx: ServiceContext, entityId: string, principal: Principal = ADMIN): Promise<EntityView> {
  await requireEntityVisible(ctx, entityId, principal);
  const [state, latest] = await Promise.all([loadEntityState(ctx.store.db, entityId), latestEntityChange(ctx, entityId)]);
  if (!latest && state.resources.length === 0) throw notFound('entity', entityId);
  return entityView(entityId, state, latest?.createdAt ?? null);
}

/**
 * A confined principal sees only the entities its tenant's backends reported; any other entity is the same 404
 * as one nobody reported. The admin sees every entity, reported or not.
 */
export async function requireEntityVisible(ctx: ServiceContext, entityId: string, principal: Principal): Promise<void> {
  const own = tenantOf(principal);
  if (own === null) return;
  const [row] = await entityOfTenant(ctx.store.db, entityId, own);
  if (!row) throw notFound('entity', entityId);
}
