import { Type } from '@sinclair/typebox';
import type { App } from './server.js';
import type { ApiDeps } from './deps.js';
import { IdParams, Page, StringEnum, errorResponses, errorsFor } from './schemas.js';
import { NoContent, Subscription, SubscriptionPage } from './resources.js';
import { createSubscription, deleteSubscription, eventPatternProblems, getSubscription, listSubscriptions, updateSubscription } from '../services/subscriptions.js';

/** The pattern checks of a body the schema refused, so one answer names a bad scope and a bad pattern. */
const config = {
  moreProblems: (body: unknown) => {
    const events = body !== null && typeof body === 'object' ? (body as { events?: unknown }).events : undefined;
    return Array.isArray(events) ? eventPatternProblems(events) : [];
  },
};

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
  const admin = { onRequest: app.requireAdmin };
  const tags = ['subscriptions'];
  app.post('/v1/subscriptions', { ...admin, config, schema: { tags, summary: 'Subscribe an endpoint to events', description: 'By event patterns (`SERVER/*`, `ONDEMAND_ENROLLMENT/CREATED`), by topics, or both; `scope` narrows it to a domain or project.', body: SubscriptionCreate, response: { 201: Subscription, ...errorResponses } } }, async (req, reply) => {
    reply.code(201);
    return createSubscription(ctx, req.body);
  });
  app.get(
    '/v1/subscriptions',
    { ...admin, schema: { tags, summary: 'List subscriptions', querystring: Type.Intersect([Page, Type.Object({ endpoint_id: Type.Optional(Type.String()) })]), response: { 200: SubscriptionPage, ...errorsFor(401, 422) } } },
    async (req) => listSubscriptions(ctx, { limit: req.query.limit ?? 50, ...(req.query.cursor ? { cursor: req.query.cursor } : {}), ...(req.query.endpoint_id ? { endpoint_id: req.query.endpoint_id } : {}) }),
  );
  app.get('/v1/subscriptions/:id', { ...admin, schema: { tags, summary: 'Get a subscription', params: IdParams, response: { 200: Subscription, ...errorsFor(401, 404) } } }, async (req) => getSubscription(ctx, req.params.id));
  app.patch('/v1/subscriptions/:id', { ...admin, config, schema: { tags, summary: 'Change a subscription', description: 'Only the fields given change.', params: IdParams, body: SubscriptionPatch, response: { 200: Subscription, ...errorResponses } } }, async (req) =>
    updateSubscription(ctx, req.params.id, req.body),
  );
  app.delete('/v1/subscriptions/:id', { ...admin, schema: { tags, summary: 'Delete a subscription', params: IdParams, response: { 204: NoContent, ...errorsFor(401, 404) } } }, async (req, reply) => {
    await deleteSubscription(ctx, req.params.id);
    reply.code(204).send();
  });
}
