import { sql } from 'kysely';
import type { ServiceContext } from './context.js';
import { tenantOf, type Principal } from './principal.js';

/**
 * The entities a principal may read, most recently updated first: for a tenant, those its backends reported;
 * for the admin, every entity with state.
 */
export async function listVisibleEntities(ctx: ServiceContext, principal: Principal, limit = 100) {
  const own = tenantOf(principal);
  let q = ctx.store.db
    .selectFrom('entity_resources')
    .select(['entity_id', sql<string>`max(updated_at)`.as('updated_at'), sql<number>`count(*)`.as('resources')])
    .groupBy('entity_id')
    .orderBy(sql`max(updated_at)`, 'desc')
    .limit(limit);
  if (own !== null) q = q.where('entity_id', 'in', (eb) => eb.selectFrom('entity_tenants').select('entity_id').where('tenant', '=', own));
  const rows = await q.execute();
  return rows.map((r) => ({ id: r.entity_id, updated_at: r.updated_at, resources: Number(r.resources) }));
}
