import { Type } from '@sinclair/typebox';
import AjvModule, { type ValidateFunction } from 'ajv';
import { bodyText, type App } from './server.js';
import { arrayElements, compactJson, memberText, objectMembers } from '../util/raw-json.js';
import type { ApiDeps } from './deps.js';
import { errorResponses, errorsFor } from './schemas.js';
import { CreatedEventType, EventTypeList, PublishAnswer } from './resources.js';
import { entryJson } from '../services/catalog.js';
import type { EventInput } from '../services/publish.js';
import { ownTenant } from '../services/principal.js';

const Name = Type.String({ minLength: 1, maxLength: 100 });
export const EventBody = Type.Object(
  {
    type: Name,
    action: Name,
    result: Type.Optional(Type.String({ maxLength: 20 })),
    entity_ids: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 200 }), { maxItems: 1000 })),
    data: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
    tenant: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    scope: Type.Optional(
      Type.Object({ domain_id: Type.Optional(Type.String({ maxLength: 200 })), project_id: Type.Optional(Type.String({ maxLength: 200 })) }, { additionalProperties: false }),
    ),
    idempotency_key: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    coalesce_ms: Type.Optional(Type.Integer({ minimum: 0, maximum: 3_600_000 })),
    ordering_key: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
  },
  { additionalProperties: false },
);

const Batch = Type.Object({ events: Type.Array(EventBody, { minItems: 1, maxItems: 1000 }) }, { additionalProperties: false });


/**
 * One event or a batch share a route. A plain anyOf would report every problem twice (once per branch), so the
 * body is checked against the shape its `events` key announces.
 */
function publishValidator() {
  const ajv = new AjvModule.default({ allErrors: true, strict: false });
  const one = ajv.compile(EventBody);
  const batch = ajv.compile(Batch);
  const fn = ((data: unknown) => {
    const v: ValidateFunction = data !== null && typeof data === 'object' && 'events' in data ? batch : one;
    const ok = v(data);
    fn.errors = v.errors;
    return ok;
  }) as ValidateFunction;
  return fn;
}

/**
 * Each event's `data` as the publisher wrote it (whitespace between tokens removed), attached to the parsed
 * events: the text is what is stored and sent, the parsed object is what the catalog's schema checks.
 */
function withDataTexts(text: string | undefined, body: EventInput | { events: EventInput[] }): void {
  if (text === undefined) return;
  const top = objectMembers(text);
  if ('events' in body && Array.isArray(body.events)) {
    const items = arrayElements(memberText(top, 'events')!);
    body.events.forEach((ev, i) => attach(ev, memberText(objectMembers(items[i]!), 'data')));
  } else attach(body as EventInput, memberText(top, 'data'));
}

function attach(ev: EventInput, data: string | undefined): void {
  if (data !== undefined) ev.dataText = compactJson(data);
}

export function eventRoutes(app: App, { ctx, catalog, publish }: ApiDeps): void {
  const admin = { onRequest: app.requireAdmin };

  app.post(
    '/v1/events',
    {
      onRequest: app.allow('events:publish'),
      // Batches make this the largest body Herald takes, so it is the operator's to size (HERALD_MAX_BODY_BYTES).
      bodyLimit: ctx.config.maxBodyBytes,
      validatorCompiler: ({ httpPart }) => (httpPart === 'body' ? publishValidator() : () => true),
      schema: {
        tags: ['events'],
        summary: 'Publish an event, or a batch of up to 1,000',
        description:
          'The event is stored before the answer and delivered to every matching subscription, retried on failure. `idempotency_key` makes a repeat answer with the first message. Limits: the `data` of each event up to `HERALD_MAX_EVENT_BYTES` (256 KiB by default) and the whole body up to `HERALD_MAX_BODY_BYTES` (8 MiB by default); over either is a 413 naming the limit.',
        body: Type.Union([Batch, EventBody]),
        response: { 202: PublishAnswer, ...errorResponses },
      },
    },
    async (req, reply) => {
      const body = req.body as EventInput | { events: EventInput[] };
      withDataTexts(bodyText(req), body);
      const principal = await app.principal(req);
      const batch = 'events' in body && Array.isArray(body.events);
      const events = batch ? (body as { events: EventInput[] }).events : [body as EventInput];
      // A confined principal publishes into its own tenant only; every event is checked before any is stored.
      events.forEach((ev, i) => {
        const tenant = ownTenant(principal, ev.tenant, batch ? `/events/${i}/tenant` : '/tenant');
        if (tenant !== undefined) ev.tenant = tenant;
      });
      reply.code(202);
      const trace = ctx.telemetry?.startPublish(req.headers.traceparent);
      let published;
      try {
        published = await publish(events, batch ? (i) => `/events/${i}` : () => '', trace?.traceparent ?? null);
      } catch (e) {
        trace?.failed(e);
        throw e;
      }
      trace?.published({ events, messageIds: published.map((p) => p.id), deliveries: published.reduce((n, p) => n + p.deliveries, 0) });
      return batch ? { data: published } : published[0];
    },
  );

  // The catalog is what a tenant subscribes its endpoints to.
  app.get('/v1/event-types', { onRequest: app.allow('endpoints:read'), schema: { tags: ['events'], summary: 'List the event types Herald knows', description: 'The built-in strigo and cloudpods catalogs and the custom types added here; publishing an unknown type is a 422.', response: { 200: EventTypeList, ...errorsFor(401) } } }, async () => {
    await catalog.refreshIfStale();
    return { data: catalog.entries().map(entryJson), next_cursor: null };
  });

  app.post(
    '/v1/event-types',
    {
      ...admin,
      schema: {
        tags: ['events'],
        summary: 'Add a custom event type',
        description: 'With its actions and, optionally, a JSON Schema its events\' `data` must match. A type that exists is a 409.',
        body: Type.Object(
          { type: Name, actions: Type.Array(Name, { minItems: 1, maxItems: 200 }), schema: Type.Optional(Type.Union([Type.Record(Type.String(), Type.Unknown()), Type.Null()])) },
          { additionalProperties: false },
        ),
        response: { 201: CreatedEventType, ...errorResponses },
      },
    },
    async (req, reply) => {
      reply.code(201);
      return catalog.addCustomType(req.body as { type: string; actions: string[]; schema?: Record<string, unknown> | null });
    },
  );
}
