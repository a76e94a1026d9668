import { Type } from '@sinclair/typebox';
import type { App } from './server.js';
import type { ApiDeps } from './deps.js';
import { Loose, Page, StringEnum, errorResponses, listOf, parseSince } from './schemas.js';
import { listMessages } from '../services/undelivered.js';

export function messageRoutes(app: App, { ctx }: ApiDeps): void {
  app.get(
    '/v1/messages',
    {
      onRequest: app.requireAdmin,
      schema: {
        tags: ['events'],
        querystring: Type.Intersect([
          Page,
          Type.Object({
            undelivered: Type.Optional(
              StringEnum(['true', 'false'] as const, {
                description: 'only messages with a delivery that has not succeeded (failed, skipped, or pending after a failed attempt), each with why',
              }),
            ),
            since: Type.Optional(Type.String({ maxLength: 100, description: 'messages accepted at or after this ISO-8601 time or age (`30m`, `2h`, `7d`)' })),
            endpoint_id: Type.Optional(Type.String({ maxLength: 100, description: 'only deliveries to this endpoint' })),
            event: Type.Optional(Type.String({ maxLength: 200, description: 'an event key (`SERVER/CREATE`) or a pattern (`ONDEMAND_ENROLLMENT/*`)' })),
          }),
        ]),
        response: { 200: listOf(Loose), ...errorResponses },
      },
    },
    async (req) => {
      const q = req.query;
      const sinceMs = parseSince(q.since, 'since', ctx.now());
      return listMessages(ctx, {
        undelivered: q.undelivered === 'true',
        limit: q.limit ?? 50,
        ...(q.cursor ? { cursor: q.cursor } : {}),
        ...(q.endpoint_id ? { endpoint_id: q.endpoint_id } : {}),
        ...(q.event ? { event: q.event } : {}),
        ...(sinceMs !== undefined ? { sinceMs } : {}),
      });
    },
  );
}
