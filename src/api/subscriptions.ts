import { Type } from '@sinclair/typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { bodyText, type App } from './server.js';
import type { ApiDeps } from './deps.js';
import { EventBody } from './events.js';
import { IdParams, Loose, Page, StringEnum, errorResponses, listOf } from './schemas.js';
import { createSubscription, deleteSubscription, getSubscription, listSubscriptions, updateSubscription } from '../services/subscriptions.js';
import { testFilter } from '../services/filter-test.js';
import type { EventInput } from '../services/publish.js';
import { compactJson, memberText, objectMembers } from '../util/raw-json.js';
import { stringifyExact } from '../util/lossless-json.js';
import { FIELD_OPERATORS, FILTER_ROOTS, LOGICAL_OPERATORS, MAX_FILTER_BYTES, MAX_FILTER_DEPTH, MAX_FILTER_NODES } from '../filter/language.js';

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
  app.post('/v1/subscriptions', { ...write, schema: { tags, body: SubscriptionCreate, response: { 201: Loose, ...errorResponses } } }, async (req, reply) => {
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
        description: 'Tries a filter on a sample event without saving anything: `matches` (null when there are problems) and the problems, each with its path.',
        body: FilterTest,
        response: { 200: Loose, ...errorResponses },
      },
    },
    async (req) => testFilter(catalog, { filter: req.body.filter, ...filterTextOf(req), event: sampleEventOf(req, req.body.event as EventInput) }),
  );
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
    updateSubscription(ctx, req.params.id, { ...req.body, ...filterTextOf(req) }, await app.principal(req)),
  );
  app.delete('/v1/subscriptions/:id', { ...write, schema: { tags, params: IdParams } }, async (req, reply) => {
    await deleteSubscription(ctx, req.params.id, await app.principal(req));
    reply.code(204).send();
  });
}
