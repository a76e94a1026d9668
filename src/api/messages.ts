import { Type } from '@sinclair/typebox';
import type { App } from './server.js';
import type { ApiDeps } from './deps.js';
import { Page, StringEnum, errorsFor, parseSince } from './schemas.js';
import { MessageSummaryPage } from './resources.js';
import { listMessages } from '../services/undelivered.js';
import { tenantOf } from '../services/principal.js';

export function messageRoutes(app: App, { ctx }: ApiDeps): void {
  app.get(
    '/v1/messages',
    {
      onRequest: app.allow('deliveries:read'),
      schema: {
        tags: ['events'],
        summary: 'List messages; with undelivered=true, what never arrived and why',
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
        response: { 200: MessageSummaryPage, ...errorsFor(401, 422) },
      },
    },
    async (req) => {
      const q = req.query;
      const sinceMs = parseSince(q.since, 'since', ctx.now());
      return listMessages(ctx, {
        tenant: tenantOf(await app.principal(req)),
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
