import { Type } from '@sinclair/typebox';
import AjvModule, { type ValidateFunction } from 'ajv';
import { bodyText, type App } from './server.js';
import { arrayElements, compactJson, memberText, objectMembers } from '../util/raw-json.js';
import type { ApiDeps } from './deps.js';
import { Loose, errorResponses } from './schemas.js';
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

/** Events may be large in batches: a batch of 1,000 events is allowed 16 MiB. */
const EVENTS_BODY_LIMIT = 16 * 1024 * 1024;

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

export function eventRoutes(app: App, { catalog, publish }: ApiDeps): void {
  const admin = { onRequest: app.requireAdmin };

  app.post(
    '/v1/events',
    {
      onRequest: app.allow('events:publish'),
      bodyLimit: EVENTS_BODY_LIMIT,
      validatorCompiler: ({ httpPart }) => (httpPart === 'body' ? publishValidator() : () => true),
      schema: { tags: ['events'], body: Type.Union([Batch, EventBody]), response: { 202: Loose, ...errorResponses } },
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
      if (batch) return { data: await publish(events, (i) => `/events/${i}`) };
      const [one] = await publish(events, () => '');
      return one;
    },
  );

  // The catalog is what a tenant subscribes its endpoints to.
  app.get('/v1/event-types', { onRequest: app.allow('endpoints:read'), schema: { tags: ['events'] } }, async () => {
    await catalog.refreshIfStale();
    return { data: catalog.entries().map(entryJson), next_cursor: null };
  });

  app.post(
    '/v1/event-types',
    {
      ...admin,
      schema: {
        tags: ['events'],
        body: Type.Object(
          { type: Name, actions: Type.Array(Name, { minItems: 1, maxItems: 200 }), schema: Type.Optional(Type.Union([Type.Record(Type.String(), Type.Unknown()), Type.Null()])) },
          { additionalProperties: false },
        ),
        response: { 201: Loose, ...errorResponses },
      },
    },
    async (req, reply) => {
      reply.code(201);
      return catalog.addCustomType(req.body as { type: string; actions: string[]; schema?: Record<string, unknown> | null });
    },
  );
}
