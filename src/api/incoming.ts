import { Type } from '@sinclair/typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ACTIONS, INTERFACE_TYPES, MESSAGE_TYPES, RESOURCE_STATUSES, RESOURCE_TYPES } from '../incoming/types.js';
import { coerceError, HeraldError } from '../errors.js';
import { authenticateCallback, listIncoming, logRefused, messageTraceparent, receiveIncoming } from '../services/incoming.js';
import type { ApiDeps } from './deps.js';
import { makeAuthFailureLimiter } from './auth-failures.js';
import { Page, StringEnum, errorResponses, errorsFor } from './schemas.js';
import { IncomingPage } from './resources.js';
import { bodyText, type App } from './server.js';

/** The incoming body is checked by validateIncoming alone (it names every problem with allowed values); this
 * schema documents the contract in the OpenAPI and must describe what validateIncoming accepts. */
const Config = Type.Record(Type.String(), Type.Unknown(), { description: 'free-form JSON, stored and streamed as given' });
const Status = StringEnum(RESOURCE_STATUSES);
const IncomingBody = Type.Object(
  {
    source_message_id: Type.String({ minLength: 1, maxLength: 200, description: 'the `message_id` of the message this answers' }),
    type: StringEnum(MESSAGE_TYPES),
    action: Type.Optional(StringEnum(ACTIONS, { description: 'required unless `status` is given; both must agree' })),
    status: Type.Optional(StringEnum(ACTIONS, { description: 'another name for `action`, accepted for backends that send it' })),
    timestamp: Type.Optional(Type.String({ description: 'ISO-8601 with offset; an older report does not overwrite a newer one' })),
    data: Type.Object({
      resources: Type.Array(
        Type.Object({
          id: Type.String({ minLength: 1 }),
          type: Type.Optional(StringEnum(RESOURCE_TYPES, { description: 'required for CREATED and UPDATED' })),
          name: Type.Optional(Type.String({ minLength: 1 })),
          status: Type.Optional(Status),
          data: Type.Optional(Type.Object({ status: Type.Optional(Status) }, { description: 'the status may be given here instead' })),
          config: Type.Optional(Config),
        }),
        { maxItems: 1000 },
      ),
      interfaces: Type.Optional(
        Type.Array(
          Type.Object({
            type: StringEnum(INTERFACE_TYPES),
            resource_id: Type.String({ minLength: 1, description: 'a resource of this message or of the entity state' }),
            name: Type.Optional(Type.String({ minLength: 1 })),
            config: Type.Optional(Config),
          }),
          { maxItems: 1000 },
        ),
      ),
    }),
  },
  { description: 'What a backend reports about the entities of a message it received.' },
);

const IncomingAnswer = Type.Object(
  {
    id: Type.String(),
    outcome: StringEnum(['applied', 'unchanged'] as const),
    entities: Type.Array(Type.String()),
  },
  { description: 'Applied, or unchanged when it said nothing new', examples: [{ id: 'inc_01M8RPF0AZ3C9S7Q0H2XK4W1RB', outcome: 'applied', entities: ['srv-1'] }] },
);

export const INCOMING_BODY_LIMIT = 1024 * 1024;

/**
 * A callback's span: its parent is the `traceparent` the backend sent, if any; it links to the trace of the
 * message it answers, which started the work the backend reports on.
 */
function traceCallback(ctx: ApiDeps['ctx'], caller: WeakMap<FastifyRequest, string>) {
  return async (req: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const endMs = Date.now();
    const startMs = endMs - reply.elapsedTime;
    const body = req.body as { source_message_id?: unknown } | undefined;
    const sourceMessageId = typeof body?.source_message_id === 'string' ? body.source_message_id : null;
    let sourceTraceparent: string | null = null;
    let outcome: string | null = null;
    try {
      if (sourceMessageId !== null) sourceTraceparent = await messageTraceparent(ctx, sourceMessageId);
    } catch (e) {
      req.log.warn({ err: coerceError(e) }, 'could not read the trace context of a callback\'s message');
    }
    if (reply.statusCode < 400) outcome = (answers.get(req) as { outcome?: string } | undefined)?.outcome ?? null;
    ctx.telemetry?.incoming({
      startMs,
      endMs,
      traceparent: req.headers.traceparent,
      endpointId: caller.get(req) ?? null,
      sourceMessageId,
      sourceTraceparent,
      statusCode: reply.statusCode,
      outcome,
    });
  };
}

/** What each callback was answered, for its span. */
const answers = new WeakMap<FastifyRequest, unknown>();

export function incomingRoutes(app: App, { ctx }: ApiDeps): void {
  // The endpoint a request authenticated as, for the handler and for logging a refusal.
  const caller = new WeakMap<FastifyRequest, string>();
  const failures = makeAuthFailureLimiter({ max: ctx.config.incomingAuthFailures, windowMs: ctx.config.incomingAuthWindowMs, now: () => ctx.now() });

  app.post(
    '/v1/incoming',
    {
      bodyLimit: INCOMING_BODY_LIMIT,
      // Authentication comes before the body is read, so a stranger learns nothing from parse errors.
      // An address that keeps failing is turned away before its credentials cost a lookup.
      onRequest: async (req, reply) => {
        const waitMs = failures.blockedFor(req.ip);
        if (waitMs > 0) {
          const seconds = Math.ceil(waitMs / 1000);
          reply.header('retry-after', String(seconds));
          throw new HeraldError('rate_limited', `too many failed callback authentications from this address; try again in ${seconds} s`);
        }
        try {
          caller.set(req, await authenticateCallback(ctx, req.headers.authorization));
        } catch (e) {
          if (e instanceof HeraldError && e.code === 'unauthorized') failures.fail(req.ip);
          throw e;
        }
      },
      // Refusals are logged before the answer leaves, so a client that reads the log next finds its request.
      // A callback hook: answers that are not refusals, nearly all of them, pass through without a promise.
      onSend: (req, reply, payload, done) => {
        if (reply.statusCode < 400) return done(null, payload);
        const refusal = async () => {
          const error = typeof payload === 'string' ? (JSON.parse(payload) as { error?: unknown }).error : null;
          await logRefused(ctx, { endpointId: caller.get(req) ?? null, body: req.body, text: bodyText(req), statusCode: reply.statusCode, error: error ?? null });
        };
        refusal()
          .catch((e) => req.log.warn({ err: coerceError(e) }, 'could not log a refused incoming message'))
          .finally(() => done(null, payload));
      },
      // Tracing, when configured: the callback's span, after its answer left (refusals included).
      ...(ctx.telemetry ? { onResponse: traceCallback(ctx, caller) } : {}),
      validatorCompiler: () => () => true,
      schema: {
        tags: ['incoming'],
        summary: 'Report back on a message (for receivers)',
        description:
          'A backend reports the resources and interfaces of the entities of a message it received. Authorization: Bearer <callback.user>:<callback.key>. An address whose authentication failed HERALD_INCOMING_AUTH_FAILURES times within HERALD_INCOMING_AUTH_WINDOW is answered 429 with Retry-After until the window ends. JSON only, at most 1 MiB. Applied to every entity of the source message in one transaction; the same body sent again is answered `unchanged`.',
        security: [{ callback: [] }],
        body: IncomingBody,
        response: { 200: IncomingAnswer, ...errorResponses, ...errorsFor(429) },
      },
    },
    async (req) => {
      const answer = await receiveIncoming(ctx, caller.get(req)!, req.body, bodyText(req));
      if (ctx.telemetry) answers.set(req, answer);
      return answer;
    },
  );

  app.get(
    '/v1/incoming',
    {
      // What a tenant's backends reported is lab state, read with entities:read and confined to the tenant.
      onRequest: app.allow('entities:read'),
      schema: {
        tags: ['incoming'],
        summary: 'List the incoming log',
        description: 'Every message backends sent to POST /v1/incoming and what Herald answered, refusals included, newest first.',
        querystring: Type.Intersect([
          Page,
          Type.Object({
            source_message_id: Type.Optional(Type.String({ maxLength: 200 })),
            endpoint_id: Type.Optional(Type.String({ maxLength: 100 })),
          }),
        ]),
        response: { 200: IncomingPage, ...errorsFor(401, 422) },
      },
    },
    async (req) => {
      const q = req.query;
      return listIncoming(ctx, {
        limit: q.limit ?? 50,
        ...(q.cursor ? { cursor: q.cursor } : {}),
        ...(q.source_message_id ? { source_message_id: q.source_message_id } : {}),
        ...(q.endpoint_id ? { endpoint_id: q.endpoint_id } : {}),
      }, await app.principal(req));
    },
  );
}
