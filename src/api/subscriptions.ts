import { Type } from '@sinclair/typebox';
import type { App } from './server.js';
import type { ApiDeps } from './deps.js';
import { IdParams, Loose, Page, StringEnum, errorResponses, listOf } from './schemas.js';
import { createSubscription, deleteSubscription, getSubscription, listSubscriptions, updateSubscription } from '../services/subscriptions.js';

const Patterns = Type.Array(Type.String({ minLength: 1, maxLength: 200 }), { maxItems: 500 });
const Topics = Type.Array(Type.String({ minLength: 1, maxLength: 100 }), { maxItems: 100 });
const Scope = Type.Object(
  { resource_scope: StringEnum(['system', 'domain', 'project'] as const), attribution_id: Type.Optional(Type.Union([Type.String({ minLength: 1, maxLength: 200 }), Type.Null()])) },
  { additionalProperties: false },
);

const SubscriptionCreate = Type.Object(
  { endpoint_id: Type.String({ minLength: 1, maxLength: 100 }), events: Type.Optional(Patterns), topics: Type.Optional(Topics), scope: Type.Optional(Scope), enabled: Type.Optional(Type.Boolean()) },
  { additionalProperties: false },
);
const SubscriptionPatch = Type.Object(
  { events: Type.Optional(Patterns), topics: Type.Optional(Topics), scope: Type.Optional(Scope), enabled: Type.Optional(Type.Boolean()) },
  { additionalProperties: false },
);

export function subscriptionRoutes(app: App, { ctx }: ApiDeps): void {
  // A subscription is part of its endpoint's configuration, and is confined to the endpoint's tenant.
  const read = { onRequest: app.allow('endpoints:read') };
  const write = { onRequest: app.allow('endpoints:write') };
  const tags = ['subscriptions'];
  app.post('/v1/subscriptions', { ...write, schema: { tags, body: SubscriptionCreate, response: { 201: Loose, ...errorResponses } } }, async (req, reply) => {
    const sub = await createSubscription(ctx, req.body, await app.principal(req));
    reply.code(201);
    return sub;
  });
  app.get(
    '/v1/subscriptions',
    { ...read, schema: { tags, querystring: Type.Intersect([Page, Type.Object({ endpoint_id: Type.Optional(Type.String()) })]), response: { 200: listOf(Loose) } } },
    async (req) =>
      listSubscriptions(
        ctx,
        { limit: req.query.limit ?? 50, ...(req.query.cursor ? { cursor: req.query.cursor } : {}), ...(req.query.endpoint_id ? { endpoint_id: req.query.endpoint_id } : {}) },
        await app.principal(req),
      ),
  );
  app.get('/v1/subscriptions/:id', { ...read, schema: { tags, params: IdParams } }, async (req) => getSubscription(ctx, req.params.id, await app.principal(req)));
  app.patch('/v1/subscriptions/:id', { ...write, schema: { tags, params: IdParams, body: SubscriptionPatch, response: { 200: Loose, ...errorResponses } } }, async (req) =>
    updateSubscription(ctx, req.params.id, req.body, await app.principal(req)),
  );
  app.delete('/v1/subscriptions/:id', { ...write, schema: { tags, params: IdParams } }, async (req, reply) => {
    await deleteSubscription(ctx, req.params.id, await app.principal(req));
    reply.code(204).send();
  });
}
