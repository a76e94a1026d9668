import { Type } from '@sinclair/typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { bodyText, type App } from './server.js';
import type { ApiDeps } from './deps.js';
import { EventBody } from './events.js';
import { IdParams, Page, StringEnum, errorResponses, errorsFor } from './schemas.js';
import { FilterTestAnswer, NoContent, Subscription, SubscriptionPage } from './resources.js';
import { createSubscription, deleteSubscription, eventPatternProblems, getSubscription, listSubscriptions, updateSubscription } from '../services/subscriptions.js';
import { testFilter } from '../services/filter-test.js';
import type { EventInput } from '../services/publish.js';
import { compactJson, memberText, objectMembers } from '../util/raw-json.js';
import { stringifyExact } from '../util/lossless-json.js';
import { FIELD_OPERATORS, FILTER_ROOTS, LOGICAL_OPERATORS, MAX_FILTER_BYTES, MAX_FILTER_DEPTH, MAX_FILTER_NODES } from '../filter/language.js';

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
const FilterDoc = Type.Record(Type.String(), Type.Unknown(), {
  description:
    `Deliver only events that match: field paths (${FILTER_ROOTS.join(', ')}; into data as data.a.b) with a plain value ($eq) or operators ` +
    `${FIELD_OPERATORS.join(' ')}, combined with ${LOGICAL_OPERATORS.join(' ')}. At most ${MAX_FILTER_DEPTH} levels, ${MAX_FILTER_BYTES} bytes, ${MAX_FILTER_NODES} JSON values.`,
});
const Filter = Type.Union([FilterDoc, Type.Null()]);

const SubscriptionCreate = Type.Object(
  {
    endpoint_id: Type.String({ minLength: 1, maxLength: 100 }),
    events: Type.Optional(Patterns),
    topics: Type.Optional(Topics),
    scope: Type.Optional(Scope),
    enabled: Type.Optional(Type.Boolean()),
    filter: Type.Optional(Filter),
  },
  { additionalProperties: false },
);
const SubscriptionPatch = Type.Object(
  { events: Type.Optional(Patterns), topics: Type.Optional(Topics), scope: Type.Optional(Scope), enabled: Type.Optional(Type.Boolean()), filter: Type.Optional(Filter) },
  { additionalProperties: false },
);
const FilterTest = Type.Object({ filter: FilterDoc, event: EventBody }, { additionalProperties: false });

/** The request's `filter` member as the client wrote it, so its numbers are read exactly. */
function filterTextOf(req: FastifyRequest): { filterText?: string } {
  const text = bodyText(req);
  const member = text === undefined ? undefined : memberText(objectMembers(text), 'filter');
  return member === undefined || member === 'null' ? {} : { filterText: compactJson(member) };
}

/** The sample event's `data` as the client wrote it. */
function sampleEventOf(req: FastifyRequest, event: EventInput): EventInput {
  const text = bodyText(req);
  const eventText = text === undefined ? undefined : memberText(objectMembers(text), 'event');
  const data = eventText === undefined ? undefined : memberText(objectMembers(eventText), 'data');
  return data === undefined ? event : { ...event, dataText: compactJson(data) };
}

// Subscriptions show their filter as stored, numbers included: written by stringifyExact, not the schema.
async function exactReply(_req: FastifyRequest, reply: FastifyReply): Promise<void> {
  reply.serializer(stringifyExact);
}

export function subscriptionRoutes(app: App, { ctx, catalog }: ApiDeps): void {
  // A subscription is part of its endpoint's configuration, and is confined to the endpoint's tenant.
  const read = { onRequest: app.allow('endpoints:read'), preHandler: exactReply };
  const write = { onRequest: app.allow('endpoints:write'), preHandler: exactReply };
  const tags = ['subscriptions'];
  app.post('/v1/subscriptions', { ...write, config, schema: { tags, summary: 'Subscribe an endpoint to events', description: 'By event patterns (`SERVER/*`, `ONDEMAND_ENROLLMENT/CREATED`), by topics, or both; `scope` narrows it to a domain or project.', body: SubscriptionCreate, response: { 201: Subscription, ...errorResponses } } }, async (req, reply) => {
    const sub = await createSubscription(ctx, { ...req.body, ...filterTextOf(req) }, await app.principal(req));
    reply.code(201);
    return sub;
  });
  app.post(
    '/v1/subscriptions/filter-test',
    {
      ...read,
      schema: {
        tags,
        summary: 'Try a filter on a sample event',
        description: 'Tries a filter on a sample event without saving anything: `matches` (null when there are problems) and the problems, each with its path.',
        body: FilterTest,
        response: { 200: FilterTestAnswer, ...errorResponses },
      },
    },
    async (req) => testFilter(catalog, { filter: req.body.filter, ...filterTextOf(req), event: sampleEventOf(req, req.body.event as EventInput) }),
  );
  app.get(
    '/v1/subscriptions',
    { ...read, schema: { tags, summary: 'List subscriptions', querystring: Type.Intersect([Page, Type.Object({ endpoint_id: Type.Optional(Type.String()) })]), response: { 200: SubscriptionPage, ...errorsFor(401, 422) } } },
    async (req) =>
      listSubscriptions(
        ctx,
        { limit: req.query.limit ?? 50, ...(req.query.cursor ? { cursor: req.query.cursor } : {}), ...(req.query.endpoint_id ? { endpoint_id: req.query.endpoint_id } : {}) },
        await app.principal(req),
      ),
  );
  app.get('/v1/subscriptions/:id', { ...read, schema: { tags, summary: 'Get a subscription', params: IdParams, response: { 200: Subscription, ...errorsFor(401, 404) } } }, async (req) => getSubscription(ctx, req.params.id, await app.principal(req)));
  app.patch('/v1/subscriptions/:id', { ...write, config, schema: { tags, summary: 'Change a subscription', description: 'Only the fields given change.', params: IdParams, body: SubscriptionPatch, response: { 200: Subscription, ...errorResponses } } }, async (req) =>
    updateSubscription(ctx, req.params.id, { ...req.body, ...filterTextOf(req) }, await app.principal(req)),
  );
  app.delete('/v1/subscriptions/:id', { ...write, schema: { tags, summary: 'Delete a subscription', params: IdParams, response: { 204: NoContent, ...errorsFor(401, 404) } } }, async (req, reply) => {
    await deleteSubscription(ctx, req.params.id, await app.principal(req));
    reply.code(204).send();
  });
}
