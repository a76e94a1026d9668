import { sql, type Kysely } from 'kysely';

/**
 * Tenant API keys, stored as the SHA-256 of the key (the key itself is shown once and never kept), looked up by
 * that hash on every request so a revocation holds at once on every process.
 *
 * `entity_tenants` records which tenants' backends reported each entity, so a tenant's key can read the state
 * its own backends reported and nothing else. It is filled from the existing history: an entity change, the
 * incoming message that caused it, and that message's endpoint.
 */
export function apiKeys() {
  return {
    async up(db: Kysely<any>): Promise<void> {
      await db.schema
        .createTable('api_keys')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('tenant', 'text', (c) => c.notNull())
        .addColumn('scopes', 'text', (c) => c.notNull())
        .addColumn('prefix', 'text', (c) => c.notNull())
        .addColumn('key_hash', 'text', (c) => c.notNull().unique())
        .addColumn('expires_at', 'bigint')
        .addColumn('revoked_at', 'bigint')
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('entity_tenants')
        .addColumn('entity_id', 'text', (c) => c.notNull())
        .addColumn('tenant', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('entity_tenants_pk', ['entity_id', 'tenant'])
        .execute();
      await sql`insert into entity_tenants (entity_id, tenant)
        select distinct c.entity_id, e.tenant
        from entity_changes c
        join incoming i on i.id = c.incoming_id
        join endpoints e on e.id = i.endpoint_id`.execute(db);

      // A tenant's delivery log, newest first.
      await db.schema.createIndex('deliveries_tenant').on('deliveries').columns(['tenant', 'id']).execute();
    },
  };
}
