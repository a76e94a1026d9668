import { sql, type Kysely } from 'kysely';
import type { Capabilities } from '../capabilities.js';

export function initial(caps: Capabilities) {
  return {
    async up(db: Kysely<any>): Promise<void> {
      await db.schema
        .createTable('endpoints')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('url', 'text', (c) => c.notNull())
        .addColumn('format', 'text', (c) => c.notNull())
        .addColumn('tenant', 'text', (c) => c.notNull())
        .addColumn('enabled', 'integer', (c) => c.notNull())
        .addColumn('disabled_reason', 'text')
        .addColumn('auth_user', 'text')
        .addColumn('auth_key', 'text')
        .addColumn('secret', 'text')
        .addColumn('previous_secret', 'text')
        .addColumn('previous_secret_until', 'bigint')
        .addColumn('headers', 'text', (c) => c.notNull())
        .addColumn('body', 'text', (c) => c.notNull())
        .addColumn('msg_key', 'text', (c) => c.notNull())
        .addColumn('lang', 'text', (c) => c.notNull())
        .addColumn('use_template', 'integer', (c) => c.notNull())
        .addColumn('rate_limit', 'integer')
        .addColumn('max_in_flight', 'integer')
        .addColumn('callback_user', 'text', (c) => c.notNull().unique())
        .addColumn('callback_key_hash', 'text', (c) => c.notNull())
        .addColumn('failing_since', 'bigint')
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('endpoints_tenant').on('endpoints').columns(['tenant', 'id']).execute();

      await db.schema
        .createTable('subscriptions')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('endpoint_id', 'text', (c) => c.notNull().references('endpoints.id').onDelete('cascade'))
        .addColumn('events', 'text', (c) => c.notNull())
        .addColumn('topics', 'text', (c) => c.notNull())
        .addColumn('resource_scope', 'text', (c) => c.notNull())
        .addColumn('attribution_id', 'text')
        .addColumn('enabled', 'integer', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('subscriptions_endpoint').on('subscriptions').column('endpoint_id').execute();

      await db.schema
        .createTable('topics')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull().unique())
        .addColumn('patterns', 'text', (c) => c.notNull())
        .addColumn('title_en', 'text')
        .addColumn('title_cn', 'text')
        .addColumn('content_en', 'text')
        .addColumn('content_cn', 'text')
        .addColumn('enabled', 'integer', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('event_types')
        .addColumn('type', 'text', (c) => c.primaryKey())
        .addColumn('actions', 'text', (c) => c.notNull())
        .addColumn('schema', 'text')
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('messages')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('tenant', 'text', (c) => c.notNull())
        .addColumn('type', 'text', (c) => c.notNull())
        .addColumn('action', 'text', (c) => c.notNull())
        .addColumn('result', 'text', (c) => c.notNull())
        .addColumn('event_key', 'text', (c) => c.notNull())
        .addColumn('entity_ids', 'text', (c) => c.notNull())
        .addColumn('data', 'text', (c) => c.notNull())
        .addColumn('scope_domain_id', 'text')
        .addColumn('scope_project_id', 'text')
        .addColumn('idempotency_key', 'text')
        .addColumn('coalesce_key', 'text')
        .addColumn('coalesce_until', 'bigint')
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .execute();
      await sql`create index messages_coalesce on messages (coalesce_key, coalesce_until) where coalesce_key is not null`.execute(db);
      await db.schema.createIndex('messages_created').on('messages').column('created_at').execute();

      await db.schema
        .createTable('deliveries')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('message_id', 'text', (c) => c.notNull())
        .addColumn('endpoint_id', 'text', (c) => c.notNull())
        .addColumn('subscription_id', 'text')
        .addColumn('topic_id', 'text')
        .addColumn('tenant', 'text', (c) => c.notNull())
        .addColumn('event_key', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('attempts', 'integer', (c) => c.notNull())
        .addColumn('next_attempt_at', 'bigint')
        .addColumn('lease_owner', 'text')
        .addColumn('lease_expires_at', 'bigint')
        .addColumn('last_status_code', 'integer')
        .addColumn('last_error', 'text')
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .execute();
      // The claim reads pending rows in due order. An ordinary (status, next_attempt_at) index serves it on both
      // databases: SQLite does not pick a partial index for a bound `status = ?`, and falls back to sorting.
      await db.schema.createIndex('deliveries_due').on('deliveries').columns(['status', 'next_attempt_at']).execute();
      await db.schema.createIndex('deliveries_message').on('deliveries').columns(['message_id', 'endpoint_id']).execute();
      await db.schema.createIndex('deliveries_endpoint').on('deliveries').columns(['endpoint_id', 'id']).execute();
      await db.schema.createIndex('deliveries_status').on('deliveries').columns(['status', 'id']).execute();

      await db.schema
        .createTable('attempts')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('delivery_id', 'text', (c) => c.notNull())
        .addColumn('attempt', 'integer', (c) => c.notNull())
        .addColumn('at', 'bigint', (c) => c.notNull())
        .addColumn('status_code', 'integer')
        .addColumn('error', 'text')
        .addColumn('error_class', 'text')
        .addColumn('duration_ms', 'integer', (c) => c.notNull())
        .addColumn('request', 'text', (c) => c.notNull())
        .addColumn('response_body', 'text')
        .execute();
      await db.schema.createIndex('attempts_delivery').on('attempts').columns(['delivery_id', 'attempt']).execute();

      await db.schema
        .createTable('idempotency')
        .addColumn('tenant', 'text', (c) => c.notNull())
        .addColumn('key', 'text', (c) => c.notNull())
        .addColumn('message_id', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('idempotency_pk', ['tenant', 'key'])
        .execute();

      await db.schema
        .createTable('incoming')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('endpoint_id', 'text')
        .addColumn('source_message_id', 'text')
        .addColumn('action', 'text')
        .addColumn('digest', 'text')
        .addColumn('body', 'text', (c) => c.notNull())
        .addColumn('status_code', 'integer', (c) => c.notNull())
        .addColumn('outcome', 'text', (c) => c.notNull())
        .addColumn('error', 'text')
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('incoming_source').on('incoming').columns(['source_message_id', 'id']).execute();
      await db.schema.createIndex('incoming_endpoint').on('incoming').columns(['endpoint_id', 'id']).execute();

      await db.schema
        .createTable('entity_resources')
        .addColumn('entity_id', 'text', (c) => c.notNull())
        .addColumn('resource_id', 'text', (c) => c.notNull())
        .addColumn('type', 'text', (c) => c.notNull())
        .addColumn('name', 'text')
        .addColumn('status', 'text')
        .addColumn('config', 'text')
        .addColumn('source_ts', 'text')
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('entity_resources_pk', ['entity_id', 'resource_id'])
        .execute();

      await db.schema
        .createTable('entity_interfaces')
        .addColumn('entity_id', 'text', (c) => c.notNull())
        .addColumn('resource_id', 'text', (c) => c.notNull())
        .addColumn('type', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('config', 'text')
        .addPrimaryKeyConstraint('entity_interfaces_pk', ['entity_id', 'resource_id', 'type', 'name'])
        .execute();

      await db.schema
        .createTable('entity_changes')
        .addColumn('seq', caps.serialPrimaryKey, (c) =>
          caps.serialPrimaryKey === 'integer' ? c.primaryKey().autoIncrement() : c.primaryKey(),
        )
        .addColumn('entity_id', 'text', (c) => c.notNull())
        .addColumn('incoming_id', 'text', (c) => c.notNull())
        .addColumn('payload', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('entity_changes_entity').on('entity_changes').columns(['entity_id', 'seq']).execute();

      await db.schema
        .createTable('settings')
        .addColumn('key', 'text', (c) => c.primaryKey())
        .addColumn('value', 'text', (c) => c.notNull())
        .execute();
    },
  };
}
