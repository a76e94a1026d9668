/**
 * "Send a test event": one sample message delivered to one endpoint only, whatever it subscribes to, so a tenant
 * can see an attempt and its answer without their other endpoints (or anyone else's) receiving anything.
 */
import { sql } from 'kysely';
import { eventKey } from '../catalog/event-key.js';
import { newId } from '../ids.js';
import type { CatalogService } from './catalog.js';
import type { ServiceContext } from './context.js';
import { getEndpointRow } from './endpoints.js';
import { ADMIN, type Principal } from './principal.js';
import { NOTIFY_CHANNEL } from './publish.js';
import { sampleEventFor } from './sample-event.js';

export async function sendTestEvent(ctx: ServiceContext, catalog: CatalogService, endpointId: string, principal: Principal = ADMIN) {
  const row = await getEndpointRow(ctx, endpointId, principal);
  const subs = await ctx.store.db.selectFrom('subscriptions').select('events').where('endpoint_id', '=', row.id).execute();
  const patterns = subs.flatMap((s) => JSON.parse(s.events) as string[]);
  const ev = sampleEventFor(patterns, catalog.entries(), row.format);
  const now = ctx.now();
  const key = eventKey(ev);
  const messageId = newId('msg', now);
  const deliveryId = newId('dlv', now);
  await ctx.store.db.transaction().execute(async (trx) => {
    await trx
      .insertInto('messages')
      .values({
        id: messageId,
        tenant: row.tenant,
        type: ev.type,
        action: ev.action,
        result: ev.result,
        event_key: key,
        entity_ids: '[]',
        data: JSON.stringify({ ...ev.data, test: true }),
        scope_domain_id: null,
        scope_project_id: null,
        idempotency_key: null,
        coalesce_key: null,
        coalesce_until: null,
        filtered_out: null,
        created_at: now,
      })
      .execute();
    await trx
      .insertInto('deliveries')
      .values({
        id: deliveryId,
        message_id: messageId,
        endpoint_id: row.id,
        subscription_id: null,
        topic_id: null,
        tenant: row.tenant,
        event_key: key,
        status: 'pending',
        attempts: 0,
        next_attempt_at: now,
        lease_owner: null,
        lease_expires_at: null,
        last_status_code: null,
        last_error: null,
        created_at: now,
        updated_at: now,
      })
      .execute();
    if (ctx.store.caps.notify) await sql`select pg_notify(${NOTIFY_CHANNEL}, '')`.execute(trx);
  });
  ctx.events.emit('wake');
  return { message_id: messageId, delivery_id: deliveryId, event: key };
}
