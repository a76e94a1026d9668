import { Type } from '@sinclair/typebox';
import type { App } from './server.js';
import type { ApiDeps } from './deps.js';
import { IdParams, Loose, Page, StringEnum, errorResponses, listOf, parseSince } from './schemas.js';
import { stringifyExact } from '../util/lossless-json.js';
import { DELIVERY_STATUSES, getDelivery, getMessage, listDeliveries, retryDelivery } from '../services/deliveries.js';

export function deliveryRoutes(app: App, { ctx }: ApiDeps): void {
  const admin = { onRequest: app.requireAdmin };
  const tags = ['deliveries'];
  app.get(
    '/v1/deliveries',
    {
      ...admin,
      schema: {
        tags,
        querystring: Type.Intersect([
          Page,
          Type.Object({
            status: Type.Optional(
              StringEnum(DELIVERY_STATUSES, {
                description: '`retrying`: an attempt failed and another is due; `failed`: retries exhausted, or the destination is refused by policy; `pending`: waiting for its first attempt (or re-queued by hand after a success)',
              }),
            ),
            endpoint_id: Type.Optional(Type.String({ maxLength: 100 })),
            message_id: Type.Optional(Type.String({ maxLength: 100 })),
            event: Type.Optional(Type.String({ maxLength: 200, description: 'an event key (`SERVER/CREATE`) or a pattern (`ONDEMAND_ENROLLMENT/*`)' })),
            since: Type.Optional(
              Type.String({
                maxLength: 100,
                description:
                  'only deliveries that last changed (`updated_at`) at or after this ISO-8601 time or age (`30m`, `2h`, `7d`); with `status=failed`, those that ran out of retries since then',
              }),
            ),
            created_since: Type.Optional(
              Type.String({ maxLength: 100, description: 'only deliveries created at or after this ISO-8601 time or age (`30m`, `2h`, `7d`)' }),
            ),
          }),
        ]),
        response: { 200: listOf(Loose), ...errorResponses },
      },
    },
    async (req) => {
      const q = req.query;
      const now = ctx.now();
      const sinceMs = parseSince(q.since, 'since', now);
      const createdSinceMs = parseSince(q.created_since, 'created_since', now);
      return listDeliveries(ctx, {
        limit: q.limit ?? 50,
        ...(q.cursor ? { cursor: q.cursor } : {}),
        ...(q.status ? { status: q.status } : {}),
        ...(q.endpoint_id ? { endpoint_id: q.endpoint_id } : {}),
        ...(q.message_id ? { message_id: q.message_id } : {}),
        ...(q.event ? { event: q.event } : {}),
        ...(sinceMs !== undefined ? { sinceMs } : {}),
        ...(createdSinceMs !== undefined ? { createdSinceMs } : {}),
      });
    },
  );
  app.get('/v1/deliveries/:id', { ...admin, schema: { tags, params: IdParams } }, async (req) => getDelivery(ctx, req.params.id));
  app.post('/v1/deliveries/:id/retry', { ...admin, schema: { tags, params: IdParams } }, async (req) => retryDelivery(ctx, req.params.id));
  app.get('/v1/messages/:id', { ...admin, schema: { tags: ['events'], params: IdParams } }, async (req, reply) => {
    // The event's data holds the publisher's numbers as written: stringifyExact keeps integers past 2^53.
    reply.serializer(stringifyExact);
    return getMessage(ctx, req.params.id);
  });
}
