import { Type } from '@sinclair/typebox';
import type { FastifyRequest } from 'fastify';
import { bodyText, type App } from './server.js';
import { compactJson, memberText, objectMembers } from '../util/raw-json.js';
import type { ApiDeps } from './deps.js';
import { IdParams, NullableEnum, Page, StringEnum, errorResponses, errorsFor } from './schemas.js';
import { Topic, TopicPage, TopicPreview } from './resources.js';
import { TEMPLATE_MODES } from '../formats/template/index.js';
import { createTopic, getTopic, listTopics, previewTopic, topicProblems, updateTopic } from '../services/topics.js';

/** The topic checks of the fields a refused body got right, so one answer names every problem. */
const config = {
  moreProblems: (body: unknown) => {
    if (body === null || typeof body !== 'object' || Array.isArray(body)) return [];
    const b = body as Record<string, unknown>;
    const strings = (keys: readonly string[]) => Object.fromEntries(keys.filter((k) => typeof b[k] === 'string').map((k) => [k, b[k] as string]));
    const events = Array.isArray(b.events) && b.events.every((e) => typeof e === 'string') ? { events: b.events as string[] } : {};
    return topicProblems({ ...strings(['name', 'title_en', 'title_cn', 'content_en', 'content_cn']), ...events }, '', b.template_mode === 'go' ? 'go' : 'cloudpods');
  },
};

const Patterns = Type.Array(Type.String({ minLength: 1, maxLength: 200 }), { maxItems: 2000 });
const Template = Type.Union([Type.String({ maxLength: 65_536 }), Type.Null()]);
const templateFields = {
  title_en: Type.Optional(Template),
  title_cn: Type.Optional(Template),
  content_en: Type.Optional(Template),
  content_cn: Type.Optional(Template),
};
const TemplateModeField = { template_mode: Type.Optional(NullableEnum(TEMPLATE_MODES)) };

const TopicCreate = Type.Object(
  { name: Type.String({ minLength: 1, maxLength: 200 }), events: Patterns, ...templateFields, ...TemplateModeField, enabled: Type.Optional(Type.Boolean()) },
  { additionalProperties: false },
);
const TopicPatch = Type.Object(
  { name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })), events: Type.Optional(Patterns), ...templateFields, ...TemplateModeField, enabled: Type.Optional(Type.Boolean()) },
  { additionalProperties: false },
);
const Preview = Type.Object(
  {
    lang: Type.Optional(StringEnum(['en', 'cn'] as const)),
    ...TemplateModeField,
    event: Type.Optional(
      Type.Object(
        {
          type: Type.String({ minLength: 1, maxLength: 100 }),
          action: Type.String({ minLength: 1, maxLength: 100 }),
          result: Type.Optional(StringEnum(['succeed', 'failed'] as const)),
          data: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
        },
        { additionalProperties: false },
      ),
    ),
    templates: Type.Optional(Type.Object(templateFields, { additionalProperties: false })),
  },
  { additionalProperties: false },
);

export function topicRoutes(app: App, { ctx }: ApiDeps): void {
  const admin = { onRequest: app.requireAdmin };
  const tags = ['topics'];
  // Topics are shared configuration a tenant subscribes to: reading them goes with reading endpoints.
  const read = { onRequest: app.allow('endpoints:read') };
  app.get('/v1/topics', { ...read, schema: { tags, summary: 'List topics', description: 'Topics group events under a name and hold the title and content templates cloudpods endpoints render.', querystring: Page, response: { 200: TopicPage, ...errorsFor(401, 422) } } }, async (req) =>
    listTopics(ctx, { limit: req.query.limit ?? 50, ...(req.query.cursor ? { cursor: req.query.cursor } : {}) }),
  );
  app.get('/v1/topics/:id', { ...read, schema: { tags, summary: 'Get a topic', params: IdParams, response: { 200: Topic, ...errorsFor(401, 404) } } }, async (req) => getTopic(ctx, req.params.id));
  app.post('/v1/topics', { ...admin, config, schema: { tags, summary: 'Create a topic', description: 'Templates are checked when saved; a name already taken is a 409.', body: TopicCreate, response: { 201: Topic, ...errorResponses } } }, async (req, reply) => {
    reply.code(201);
    return createTopic(ctx, req.body);
  });
  app.patch('/v1/topics/:id', { ...admin, config, schema: { tags, summary: 'Change a topic', description: 'Only the fields given change; `null` removes a template.', params: IdParams, body: TopicPatch, response: { 200: Topic, ...errorResponses } } }, async (req) =>
    updateTopic(ctx, req.params.id, req.body),
  );
  app.post('/v1/topics/:id/enable', { ...admin, schema: { tags, summary: 'Enable a topic', params: IdParams, response: { 200: Topic, ...errorsFor(401, 404) } } }, async (req) => updateTopic(ctx, req.params.id, { enabled: true }));
  app.post('/v1/topics/:id/disable', { ...admin, schema: { tags, summary: 'Disable a topic', description: 'Its subscriptions receive nothing through it until it is enabled again.', params: IdParams, response: { 200: Topic, ...errorsFor(401, 404) } } }, async (req) => updateTopic(ctx, req.params.id, { enabled: false }));
  app.post(
    '/v1/topics/:id/preview',
    { ...admin, schema: { tags, summary: "Render a topic's templates for a sample event", description: 'Nothing is sent. Without `event` a sample event of the topic is used; `templates` tries templates before saving them.', params: IdParams, body: Type.Optional(Preview), response: { 200: TopicPreview, ...errorResponses } } },
    async (req) => {
      const input = req.body ?? {};
      const dataJson = sampleDataText(req);
      return previewTopic(ctx, req.params.id, input.event && dataJson !== undefined ? { ...input, event: { ...input.event, dataJson } } : input);
    },
  );
}

/** The sample event's `data` as the client wrote it, so a preview shows its numbers as a delivery would. */
function sampleDataText(req: FastifyRequest): string | undefined {
  const text = bodyText(req);
  const event = text === undefined ? undefined : memberText(objectMembers(text), 'event');
  const data = event === undefined || !event.startsWith('{') ? undefined : memberText(objectMembers(event), 'data');
  return data === undefined ? undefined : compactJson(data);
}
