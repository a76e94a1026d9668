import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Insertable } from 'kysely';
import { openStore, type Store } from '../../src/store/database.js';
import type { EndpointsTable } from '../../src/store/schema.js';

/**
 * A real SQLite store in a temp dir, with rows written the way Herald's own tables hold them, for unit tests of
 * the delivery parts that read and write the store.
 */
export async function tempStore(): Promise<{ store: Store; close(): Promise<void> }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'herald-unit-'));
  const store = await openStore({ dataDir, databaseUrl: null });
  return {
    store,
    async close() {
      await store.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export function endpointRow(id: string, extra: Partial<Insertable<EndpointsTable>> = {}): Insertable<EndpointsTable> {
  return {
    id,
    name: id,
    url: `http://127.0.0.1:9/${id}`,
    format: 'strigo',
    tenant: 'default',
    enabled: 1,
    disabled_reason: null,
    auth_user: null,
    auth_key: null,
    secret: null,
    previous_secret: null,
    previous_secret_until: null,
    headers: '{}',
    body: '{}',
    msg_key: 'message',
    lang: 'en',
    use_template: 0,
    template_mode: null,
    rate_limit: null,
    max_in_flight: null,
    callback_user: `cb_${id}`,
    callback_key_hash: `hash_${id}`,
    failing_since: null,
    created_at: 0,
    updated_at: 0,
    ...extra,
  };
}

/** Writes one endpoint, one message and `count` pending deliveries of it to that endpoint, all due at `dueAt`. */
export async function seedDeliveries(store: Store, endpointId: string, count: number, dueAt = 1, data = '{"n":1}'): Promise<string[]> {
  const existing = await store.db.selectFrom('endpoints').select('id').where('id', '=', endpointId).executeTakeFirst();
  if (!existing) await store.db.insertInto('endpoints').values(endpointRow(endpointId)).execute();
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const messageId = `msg_${endpointId}_${i}`;
    await store.db
      .insertInto('messages')
      .values({ id: messageId, tenant: 'default', type: 'CLASS', action: 'CREATED', result: 'succeeded', event_key: 'CLASS/CREATED', entity_ids: '["c1"]', data, scope_domain_id: null, scope_project_id: null, idempotency_key: null, coalesce_key: null, coalesce_until: null, created_at: dueAt })
      .execute();
    const id = `dlv_${endpointId}_${String(i).padStart(4, '0')}`;
    await store.db
      .insertInto('deliveries')
      .values({ id, message_id: messageId, endpoint_id: endpointId, subscription_id: null, topic_id: null, tenant: 'default', event_key: 'CLASS/CREATED', status: 'pending', attempts: 0, next_attempt_at: dueAt, lease_owner: null, lease_expires_at: null, last_status_code: null, last_error: null, created_at: dueAt, updated_at: dueAt })
      .execute();
    ids.push(id);
  }
  return ids;
}

export async function deliveryRows(store: Store) {
  return store.db.selectFrom('deliveries').selectAll().orderBy('id').execute();
}
