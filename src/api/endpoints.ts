import { Type } from '@sinclair/typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { bodyText, type App } from './server.js';
import { compactJson, memberText, objectMembers } from '../util/raw-json.js';
import { stringifyExact } from '../util/lossless-json.js';
import type { ApiDeps } from './deps.js';
import { IdParams, NullableEnum, Page, StringEnum, errorResponses, errorsFor, parseSince } from './schemas.js';
import { CallbackCredentials, CreatedEndpoint, Endpoint, EndpointPage, NoContent, Requeued, RotatedSecret } from './resources.js';
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
import { endpointProblems, FORMATS } from '../services/endpoint-rules.js';
import type { AllowPrivate } from '../delivery/ssrf.js';
import type { Problem } from '../errors.js';
import { invalid } from '../errors.js';
import { MAX_RECOVER_MESSAGES, recoverMessages } from '../services/undelivered.js';

/** By time (the endpoint's failed deliveries since then) or by message list (what never arrived of those). */
const RecoverBody = Type.Object(
  {
    since: Type.Optional(Type.String({ minLength: 1, description: 'an ISO-8601 time such as `2026-01-31T12:00:00Z` or an age such as `30m`, `2h` or `7d`: failed deliveries created since then' })),
    message_ids: Type.Optional(
      Type.Array(Type.String({ minLength: 1, maxLength: 100 }), { minItems: 1, maxItems: MAX_RECOVER_MESSAGES, description: 'these messages: whatever of them has not arrived at this endpoint' }),
    ),
  },
  { additionalProperties: false },
);
import { ORDERINGS } from '../delivery/ordering.js';

const Format = StringEnum(['strigo', 'cloudpods', 'standard'] as const);
const Auth = Type.Union([Type.Object({ user: Type.String({ minLength: 1, maxLength: 200 }), key: Type.String({ minLength: 1, maxLength: 500 }) }, { additionalProperties: false }), Type.Null()]);
const Headers = Type.Record(Type.String(), Type.String({ maxLength: 4096 }), { maxProperties: 50 });
const Body = Type.Record(Type.String(), Type.Unknown(), { maxProperties: 50 });
/** An optional limit that null resets; one type list rather than a union, so a bad value gets one error, not three. */
const NullableInteger = (min: number, max: number) => Type.Unsafe<number | null>({ type: ['integer', 'null'], minimum: min, maximum: max });

const common = {
  auth: Type.Optional(Auth),
  secret: Type.Optional(Type.Union([Type.String({ maxLength: 200 }), Type.Null()])),
  headers: Type.Optional(Headers),
  body: Type.Optional(Body),
  msg_key: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
  lang: Type.Optional(StringEnum(['en', 'cn'] as const)),
  use_template: Type.Optional(Type.Boolean()),
  template_mode: Type.Optional(NullableEnum(TEMPLATE_MODES)),
  trace_context: Type.Optional(Type.Boolean({ description: 'deliveries carry a W3C traceparent header naming the attempt (when tracing is on); default false' })),
  validate: Type.Optional(Type.Boolean()),
  enabled: Type.Optional(Type.Boolean()),
  rate_limit: Type.Optional(NullableInteger(1, 100000)),
  max_in_flight: Type.Optional(NullableInteger(1, 1024)),
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

const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/**
 * The service's checks of the fields a refused body got right (a URL that is a string, header values that are
 * strings, ...), so that a bad `headers` and an `ftp://` URL are refused in one answer.
 */
function wellTypedProblems(allow: AllowPrivate) {
  return (body: unknown): Problem[] => {
    if (!isRecord(body)) return [];
    const headers = isRecord(body.headers) ? Object.fromEntries(Object.entries(body.headers).filter((e): e is [string, string] => typeof e[1] === 'string')) : {};
    const format = (FORMATS as readonly unknown[]).includes(body.format) ? (body.format as string) : undefined;
    return endpointProblems(
      {
        ...(typeof body.url === 'string' ? { url: body.url } : {}),
        ...(format ? { format } : {}),
        headers,
        body: isRecord(body.body) ? body.body : {},
        msg_key: typeof body.msg_key === 'string' ? body.msg_key : 'Msg',
        secret: typeof body.secret === 'string' ? body.secret : null,
      },
      allow,
    );
  };
}

// Endpoints show their extra body keys as stored, numbers included: written by stringifyExact, not the schema.
async function exactReply(_req: FastifyRequest, reply: FastifyReply): Promise<void> {
  reply.serializer(stringifyExact);
}

export function endpointRoutes(app: App, { ctx }: ApiDeps): void {
  const read = { onRequest: app.allow('endpoints:read'), preHandler: exactReply };
  const write = { onRequest: app.allow('endpoints:write'), preHandler: exactReply };
  const tags = ['endpoints'];
  const config = { moreProblems: wellTypedProblems(ctx.allowPrivate) };

  app.post('/v1/endpoints', { ...write, config, schema: {
        tags,
        summary: 'Create an endpoint',
        description:
          'An endpoint is a receiver: a URL and the format it speaks. The answer shows the signing secret and the callback key once; keep them. Every problem with the body is listed in one 422.',
        body: EndpointCreate,
        response: { 201: CreatedEndpoint, ...errorResponses },
      } }, async (req, reply) => {
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
        summary: 'List endpoints',
        querystring: Type.Intersect([Page, Type.Object({ tenant: Type.Optional(Type.String()), format: Type.Optional(Format), enabled: Type.Optional(StringEnum(['true', 'false'] as const)) })]),
        response: { 200: EndpointPage, ...errorsFor(401, 422) },
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

  app.get('/v1/endpoints/:id', { ...read, schema: { tags, summary: 'Get an endpoint', params: IdParams, response: { 200: Endpoint, ...errorsFor(401, 404) } } }, async (req) =>
    endpointJson(await getEndpointRow(ctx, req.params.id, await app.principal(req)), ctx.config.publicUrl, ctx.secrets),
  );

  app.patch('/v1/endpoints/:id', { ...write, config, schema: { tags, summary: 'Change an endpoint', description: 'Only the fields given change; `null` resets an optional setting.', params: IdParams, body: EndpointPatch, response: { 200: Endpoint, ...errorResponses } } }, async (req) =>
    updateEndpoint(ctx, req.params.id, { ...req.body, ...bodyJsonOf(req) }, await app.principal(req)),
  );

  app.delete('/v1/endpoints/:id', { ...write, schema: { tags, summary: 'Delete an endpoint', description: 'Its subscriptions go with it; deliveries not yet sent are cancelled.', params: IdParams, response: { 204: NoContent, ...errorsFor(401, 404) } } }, async (req, reply) => {
    await deleteEndpoint(ctx, req.params.id, await app.principal(req));
    reply.code(204).send();
  });

  app.post('/v1/endpoints/:id/enable', { ...write, schema: { tags, summary: 'Enable an endpoint', description: 'Deliveries resume, and its failing state is cleared.', params: IdParams, response: { 200: Endpoint, ...errorsFor(401, 404) } } }, async (req) => setEndpointEnabled(ctx, req.params.id, true, null, await app.principal(req)));
  app.post('/v1/endpoints/:id/disable', { ...write, schema: { tags, summary: 'Disable an endpoint', description: 'Nothing is sent to it until it is enabled again.', params: IdParams, response: { 200: Endpoint, ...errorsFor(401, 404) } } }, async (req) =>
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
      schema: {
        tags,
        summary: 'Rotate the signing secret',
        description: 'Without a body a new secret is generated. The old secret keeps signing beside the new one for 24 hours, so receivers can switch over.',
        params: IdParams,
        body: Type.Object({ secret: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })) }, { additionalProperties: false }),
        response: { 200: RotatedSecret, ...errorResponses },
      },
    },
    async (req) => rotateSecret(ctx, req.params.id, req.body?.secret, await app.principal(req)),
  );

  app.post('/v1/endpoints/:id/rotate-callback-key', { ...write, schema: { tags, summary: 'Rotate the callback key', description: 'The key a receiver uses to report back (POST /v1/incoming).', params: IdParams, response: { 200: CallbackCredentials, ...errorsFor(401, 404) } } }, async (req) =>
    rotateCallbackKey(ctx, req.params.id, await app.principal(req)),
  );

  app.post(
    '/v1/endpoints/:id/recover',
    // Re-queueing an endpoint's failed deliveries is a retry of them.
    {
      onRequest: app.allow('deliveries:retry'),
      preHandler: exactReply,
      schema: {
        tags,
        summary: "Queue an endpoint's failed deliveries again",
        description: 'For a receiver that is back: every failed delivery created since `since` is sent again, or, with `message_ids`, whatever of those messages has not arrived (failed, skipped or retrying). Give exactly one of the two.',
        params: IdParams,
        body: RecoverBody,
        response: { 200: Requeued, ...errorResponses },
      },
    },
    async (req) => {
      const principal = await app.principal(req);
      const { since, message_ids } = req.body;
      if ((since === undefined) === (message_ids === undefined)) {
        throw invalid([{ path: '/since', message: 'give exactly one of since (failed deliveries created since a time) or message_ids (these messages)' }]);
      }
      if (message_ids !== undefined) {
        await getEndpointRow(ctx, req.params.id, principal);
        return { requeued: await recoverMessages(ctx, req.params.id, message_ids) };
      }
      return { requeued: await recoverEndpoint(ctx, req.params.id, parseSince(since)!, principal) };
    },
  );
}
