import { Type } from '@sinclair/typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { bodyText, type App } from './server.js';
import { compactJson, memberText, objectMembers } from '../util/raw-json.js';
import { stringifyExact } from '../util/lossless-json.js';
import type { ApiDeps } from './deps.js';
import { IdParams, Loose, NullableEnum, Page, StringEnum, errorResponses, listOf, parseSince } from './schemas.js';
import {
  createEndpoint,
  deleteEndpoint,
  getEndpointRow,
  listEndpoints,
  recoverEndpoint,
  rotateCallbackKey,
  rotateSecret,
  setEndpointEnabled,
  updateEndpoint,
} from '../services/endpoints.js';
import { endpointJson } from '../services/endpoint-view.js';
import { TEMPLATE_MODES } from '../formats/template/index.js';
import { ownTenant } from '../services/principal.js';
import { ORDERINGS } from '../delivery/ordering.js';

const Format = StringEnum(['strigo', 'cloudpods', 'standard'] as const);
const Auth = Type.Union([Type.Object({ user: Type.String({ minLength: 1, maxLength: 200 }), key: Type.String({ minLength: 1, maxLength: 500 }) }, { additionalProperties: false }), Type.Null()]);
const Headers = Type.Record(Type.String(), Type.String({ maxLength: 4096 }), { maxProperties: 50 });
const Body = Type.Record(Type.String(), Type.Unknown(), { maxProperties: 50 });
const Nullable = <T extends ReturnType<typeof Type.Integer>>(t: T) => Type.Union([t, Type.Null()]);

const common = {
  auth: Type.Optional(Auth),
  secret: Type.Optional(Type.Union([Type.String({ maxLength: 200 }), Type.Null()])),
  headers: Type.Optional(Headers),
  body: Type.Optional(Body),
  msg_key: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
  lang: Type.Optional(StringEnum(['en', 'cn'] as const)),
  use_template: Type.Optional(Type.Boolean()),
  template_mode: Type.Optional(NullableEnum(TEMPLATE_MODES)),
  validate: Type.Optional(Type.Boolean()),
  enabled: Type.Optional(Type.Boolean()),
  rate_limit: Type.Optional(Nullable(Type.Integer({ minimum: 1, maximum: 100000 }))),
  max_in_flight: Type.Optional(Nullable(Type.Integer({ minimum: 1, maximum: 1024 }))),
  ordering: Type.Optional(StringEnum(ORDERINGS)),
};

export const EndpointCreate = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 200 }),
    url: Type.String({ minLength: 1, maxLength: 2048 }),
    format: Format,
    tenant: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    ...common,
  },
  { additionalProperties: false },
);

export const EndpointPatch = Type.Object(
  { name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })), url: Type.Optional(Type.String({ minLength: 1, maxLength: 2048 })), ...common },
  { additionalProperties: false },
);

/** The request's `body` member as the client wrote it, so the numbers of extra body keys are kept exact. */
function bodyJsonOf(req: FastifyRequest): { bodyJson?: string } {
  const text = bodyText(req);
  const member = text === undefined ? undefined : memberText(objectMembers(text), 'body');
  return member === undefined ? {} : { bodyJson: compactJson(member) };
}

// Endpoints show their extra body keys as stored, numbers included: written by stringifyExact, not the schema.
async function exactReply(_req: FastifyRequest, reply: FastifyReply): Promise<void> {
  reply.serializer(stringifyExact);
}

export function endpointRoutes(app: App, { ctx }: ApiDeps): void {
  const read = { onRequest: app.allow('endpoints:read'), preHandler: exactReply };
  const write = { onRequest: app.allow('endpoints:write'), preHandler: exactReply };
  const tags = ['endpoints'];

  app.post('/v1/endpoints', { ...write, schema: { tags, body: EndpointCreate, response: { 201: Loose, ...errorResponses } } }, async (req, reply) => {
    const tenant = ownTenant(await app.principal(req), req.body.tenant, '/tenant');
    reply.code(201);
    return createEndpoint(ctx, { ...req.body, ...(tenant !== undefined ? { tenant } : {}), ...bodyJsonOf(req) });
  });

  app.get(
    '/v1/endpoints',
    {
      ...read,
      schema: {
        tags,
        querystring: Type.Intersect([Page, Type.Object({ tenant: Type.Optional(Type.String()), format: Type.Optional(Format), enabled: Type.Optional(StringEnum(['true', 'false'] as const)) })]),
        response: { 200: listOf(Loose) },
      },
    },
    async (req) => {
      const q = req.query;
      return listEndpoints(
        ctx,
        {
          limit: q.limit ?? 50,
          ...(q.cursor ? { cursor: q.cursor } : {}),
          ...(q.tenant ? { tenant: q.tenant } : {}),
          ...(q.format ? { format: q.format } : {}),
          ...(q.enabled ? { enabled: q.enabled === 'true' } : {}),
        },
        await app.principal(req),
      );
    },
  );

  app.get('/v1/endpoints/:id', { ...read, schema: { tags, params: IdParams, response: { 200: Loose, 404: errorResponses[404] } } }, async (req) =>
    endpointJson(await getEndpointRow(ctx, req.params.id, await app.principal(req)), ctx.config.publicUrl, ctx.secrets),
  );

  app.patch('/v1/endpoints/:id', { ...write, schema: { tags, params: IdParams, body: EndpointPatch, response: { 200: Loose, ...errorResponses } } }, async (req) =>
    updateEndpoint(ctx, req.params.id, { ...req.body, ...bodyJsonOf(req) }, await app.principal(req)),
  );

  app.delete('/v1/endpoints/:id', { ...write, schema: { tags, params: IdParams } }, async (req, reply) => {
    await deleteEndpoint(ctx, req.params.id, await app.principal(req));
    reply.code(204).send();
  });

  app.post('/v1/endpoints/:id/enable', { ...write, schema: { tags, params: IdParams } }, async (req) =>
    setEndpointEnabled(ctx, req.params.id, true, null, await app.principal(req)),
  );
  app.post('/v1/endpoints/:id/disable', { ...write, schema: { tags, params: IdParams } }, async (req) =>
    setEndpointEnabled(ctx, req.params.id, false, 'disabled by an operator', await app.principal(req)),
  );

  app.post(
    '/v1/endpoints/:id/rotate-secret',
    {
      ...write,
      // The body is optional (a generated secret is the common case); a request without one means `{}`,
      // while a JSON null is still refused by the schema.
      preValidation: async (req) => {
        if (req.body === undefined) req.body = {};
      },
      schema: { tags, params: IdParams, body: Type.Object({ secret: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })) }, { additionalProperties: false }) },
    },
    async (req) => rotateSecret(ctx, req.params.id, req.body?.secret, await app.principal(req)),
  );

  app.post('/v1/endpoints/:id/rotate-callback-key', { ...write, schema: { tags, params: IdParams } }, async (req) =>
    rotateCallbackKey(ctx, req.params.id, await app.principal(req)),
  );

  app.post(
    '/v1/endpoints/:id/recover',
    // Re-queueing an endpoint's failed deliveries is a retry of them.
    {
      onRequest: app.allow('deliveries:retry'),
      preHandler: exactReply,
      schema: { tags, params: IdParams, body: Type.Object({ since: Type.String({ minLength: 1 }) }, { additionalProperties: false }) },
    },
    async (req) => ({ requeued: await recoverEndpoint(ctx, req.params.id, parseSince(req.body.since)!, await app.principal(req)) }),
  );
}
