import { sql } from 'kysely';
import { prepared } from '../prepared.js';

/** Records that the endpoint's tenant reported the entity; a second report of the same pair changes nothing. */
export const noteEntityTenant = prepared(
  (_db, entityId: string, endpointId: string) =>
    sql`insert into entity_tenants (entity_id, tenant)
      select ${entityId}, e.tenant from endpoints e where e.id = ${endpointId}
      on conflict do nothing`,
);

/** Whether the tenant's backends reported the entity. */
export const entityOfTenant = prepared((db, entityId: string, tenant: string) =>
  db.selectFrom('entity_tenants').select('entity_id').where('entity_id', '=', entityId).where('tenant', '=', tenant),
);
