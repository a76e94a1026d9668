import { Type, type TSchema } from '@sinclair/typebox';
import { DELIVERY_STATUSES } from '../services/deliveries.js';
import { NullableEnum, StringEnum } from './schemas.js';

/**
 * What the API answers with, for the OpenAPI document and its examples. Responses are written as the routes
 * build them (see the serializer in server.ts), so these schemas describe and never filter: a test checks real
 * answers against them.
 */

const Time = Type.String({ format: 'date-time' });
const NullableTime = Type.Union([Time, Type.Null()]);
const NullableString = Type.Union([Type.String(), Type.Null()]);
const NullableInteger = Type.Union([Type.Integer(), Type.Null()]);

/**
 * A schema with one example, which the document shows beside it. Typed loosely on purpose: the services'
 * return types (a format as a plain string) are not narrowed to the schema's, and the answer test checks the
 * real thing.
 */
const withExample = (schema: TSchema, example: unknown, description: string): TSchema => ({ ...schema, description, examples: [example] });

const ENDPOINT_ID = 'ep_01M8RPCTYR7YRHH9PV3WT5TRXP';
const MESSAGE_ID = 'msg_01M8RPD4BR8T4RP5MNF622HC9Z';
const DELIVERY_ID = 'dlv_01M8RPD4BR8T4RP5MNF622HCA0';
const SUBSCRIPTION_ID = 'sub_01M8RPCV1MRNK46HGNZQA9Z5AN';
const TOPIC_ID = 'top_01M8RPCV5HDZJCC7FD6698B38X';

const EndpointShape = Type.Object({
  id: Type.String(),
  name: Type.String(),
  url: Type.String(),
  format: StringEnum(['strigo', 'cloudpods', 'standard'] as const),
  tenant: Type.String(),
  enabled: Type.Boolean(),
  disabled_reason: Type.Union([Type.String({ description: 'why Herald or an operator disabled it' }), Type.Null()]),
  auth: Type.Union([Type.Object({ user: Type.String() }), Type.Null()], { description: 'the basic-auth user; the key is never shown' }),
  has_secret: Type.Boolean({ description: 'whether deliveries are signed; the secret is shown only when created or rotated' }),
  headers: Type.Record(Type.String(), Type.String(), { description: 'extra headers sent with every delivery; values whose name says secret read `****`' }),
  body: Type.Record(Type.String(), Type.Unknown(), { description: 'extra body keys (cloudpods), numbers as given' }),
  msg_key: Type.String(),
  lang: StringEnum(['en', 'cn'] as const),
  use_template: Type.Boolean(),
  template_mode: NullableEnum(['cloudpods', 'go'] as const),
  rate_limit: Type.Union([Type.Integer({ description: 'deliveries per second at most' }), Type.Null()]),
  max_in_flight: NullableInteger,
  callback: Type.Object({
    url: Type.String({ description: 'where the receiver reports back (POST /v1/incoming)' }),
    user: Type.String(),
    key: Type.Optional(Type.String({ description: 'shown once: when the endpoint is created or the key rotated' })),
  }),
  failing_since: Type.Union([Time, Type.Null()], { description: 'when deliveries started failing; null while they succeed' }),
  created_at: Time,
  updated_at: Time,
});

const endpointExample = {
  id: ENDPOINT_ID,
  name: 'ops alerts',
  url: 'https://hooks.example.com/herald',
  format: 'standard',
  tenant: 'default',
  enabled: true,
  disabled_reason: null,
  auth: null,
  has_secret: true,
  headers: { 'X-Team': 'ops' },
  body: {},
  msg_key: 'Msg',
  lang: 'en',
  use_template: false,
  template_mode: null,
  rate_limit: null,
  max_in_flight: null,
  callback: { url: 'https://herald.example.com/v1/incoming', user: 'cb_2kh7pmfBF6ul' },
  failing_since: null,
  created_at: '2026-12-01T11:38:45.592Z',
  updated_at: '2026-12-01T11:38:45.592Z',
};

export const Endpoint = withExample(EndpointShape, endpointExample, 'The endpoint');

export const CreatedEndpoint = withExample(
  Type.Intersect([
    EndpointShape,
    Type.Object({ secret: Type.Union([Type.String({ description: 'the signing secret, shown this once' }), Type.Null()]) }),
  ]),
  {
    ...endpointExample,
    callback: { ...endpointExample.callback, key: 'f_l9X_mEuNqm7hn-nxW0zQiNebUHjRAC' },
    secret: 'whsec_1EzCGyV549hISb0vanEaowjMajs8+CzreZ8q8gH8Oi4=',
  },
  'Created. The signing secret and the callback key are shown this once',
);

export const RotatedSecret = withExample(
  Type.Object({
    secret: Type.String(),
    previous_secret_expires_at: Type.Union([Time, Type.Null()], { description: 'until then deliveries carry a signature by the old secret too' }),
  }),
  { secret: 'whsec_boDkxvWmjRAlE/tTZY4aAyvp5v2TO0uIeBc6uvMFHiY=', previous_secret_expires_at: '2026-12-02T11:38:55.495Z' },
  'The new signing secret, shown this once',
);

export const CallbackCredentials = withExample(
  Type.Object({ url: Type.String(), user: Type.String(), key: Type.String() }),
  { url: 'https://herald.example.com/v1/incoming', user: 'cb_pVeIaTYaVbV7', key: 'GH1TOs0xNqi5XvvwBQMPb_rUW8zsCtGs' },
  'The new callback credentials; the old key stops working at once',
);

export const Requeued = withExample(Type.Object({ requeued: Type.Integer({ minimum: 0 }) }), { requeued: 12 }, 'How many failed deliveries were queued again');

const SubscriptionShape = Type.Object({
    id: Type.String(),
    endpoint_id: Type.String(),
    events: Type.Array(Type.String(), { description: 'event patterns such as `SERVER/*`' }),
    topics: Type.Array(Type.String(), { description: 'topic ids' }),
    scope: Type.Object({ resource_scope: StringEnum(['system', 'domain', 'project'] as const), attribution_id: NullableString }),
    enabled: Type.Boolean(),
    filter: Type.Union([Type.Record(Type.String(), Type.Unknown()), Type.Null()], { description: 'only events matching it are delivered; numbers as written' }),
    created_at: Time,
    updated_at: Time,
  });
const subscriptionExample = {
    id: SUBSCRIPTION_ID,
    endpoint_id: ENDPOINT_ID,
    events: ['SERVER/*'],
    topics: [],
    scope: { resource_scope: 'system', attribution_id: null },
    enabled: true,
    filter: { 'data.plan': { $in: ['pro', 'team'] } },
    created_at: '2026-12-01T11:38:45.684Z',
    updated_at: '2026-12-01T11:38:45.684Z',
};
export const Subscription = withExample(SubscriptionShape, subscriptionExample, 'The subscription');

const TopicShape = Type.Object({
    id: Type.String(),
    name: Type.String(),
    events: Type.Array(Type.String()),
    title_en: NullableString,
    title_cn: NullableString,
    content_en: NullableString,
    content_cn: NullableString,
    template_mode: NullableEnum(['cloudpods', 'go'] as const),
    enabled: Type.Boolean(),
    created_at: Time,
    updated_at: Time,
  });
const topicExample = {
    id: TOPIC_ID,
    name: 'servers',
    events: ['SERVER/CREATE'],
    title_en: 'Server {{.name}} created',
    title_cn: null,
    content_en: 'Server {{.name}} is up.',
    content_cn: null,
    template_mode: null,
    enabled: true,
    created_at: '2026-12-01T11:38:45.809Z',
    updated_at: '2026-12-01T11:38:45.809Z',
};
export const Topic = withExample(TopicShape, topicExample, 'The topic');

export const TopicPreview = withExample(
  Type.Object({ lang: StringEnum(['en', 'cn'] as const), template_mode: StringEnum(['cloudpods', 'go'] as const), title: Type.String(), content: Type.String() }),
  { lang: 'en', template_mode: 'cloudpods', title: 'Server web-1 created', content: 'Server web-1 is up.' },
  "The topic's title and content rendered for the sample event",
);

const Published = Type.Object({ id: Type.String({ description: 'the message id' }), deliveries: Type.Integer({ minimum: 0, description: 'deliveries queued for it' }) });

export const PublishAnswer = withExample(
  Type.Union([Published, Type.Object({ data: Type.Array(Published, { description: 'one per event, in order' }) })]),
  { id: MESSAGE_ID, deliveries: 2 },
  'Accepted and stored: the deliveries are queued. A batch is answered with `data`, one entry per event',
);

export const EventType = Type.Object({
  type: Type.String(),
  catalog: Type.String({ description: '`strigo`, `cloudpods` or `custom`' }),
  actions: Type.Array(Type.String()),
  results: Type.Array(Type.String()),
  schema: Type.Union([Type.Record(Type.String(), Type.Unknown(), { description: "a JSON Schema that events' `data` must match" }), Type.Null()]),
});
const eventTypeExample = { type: 'BACKUP', catalog: 'custom', actions: ['START', 'FINISH'], results: ['succeed', 'failed'], schema: null };
export const CreatedEventType = withExample(EventType, eventTypeExample, 'Added to the catalog');

const Attempt = Type.Object({
  id: Type.Optional(Type.String()),
  attempt: Type.Integer({ minimum: 1 }),
  at: Time,
  status_code: Type.Union([Type.Integer({ description: "the receiver's HTTP status" }), Type.Null()]),
  error: NullableString,
  error_class: NullableString,
  duration_ms: NullableInteger,
  request: Type.Optional(
    Type.Object(
      { method: Type.String(), url: Type.String(), headers: Type.Record(Type.String(), Type.String()), body: Type.String() },
      { description: 'what was sent (secret header values masked); only on a single delivery' },
    ),
  ),
  response_body: Type.Optional(Type.Union([Type.String({ description: "the start of the receiver's answer" }), Type.Null()])),
});

const DeliveryShape = Type.Object({
  id: Type.String(),
  message_id: Type.String(),
  endpoint_id: Type.String(),
  endpoint_name: NullableString,
  subscription_id: NullableString,
  topic_id: NullableString,
  tenant: Type.String(),
  event: Type.String({ description: 'the event key, e.g. `SERVER/CREATE`' }),
  status: StringEnum(DELIVERY_STATUSES),
  attempt_count: Type.Integer({ minimum: 0 }),
  attempts: Type.Array(Attempt),
  next_attempt_at: Type.Union([Time, Type.Null()], { description: 'when the next attempt is due; null once the delivery is settled' }),
  last_status_code: NullableInteger,
  last_error: NullableString,
  created_at: Time,
  updated_at: Time,
});

const attemptExample = { attempt: 1, at: '2026-12-01T11:38:55.249Z', status_code: 200, error: null, error_class: null, duration_ms: 36 };
const deliveryExample = {
  id: DELIVERY_ID,
  message_id: MESSAGE_ID,
  endpoint_id: ENDPOINT_ID,
  endpoint_name: 'ops alerts',
  subscription_id: SUBSCRIPTION_ID,
  topic_id: null,
  tenant: 'default',
  event: 'SERVER/CREATE',
  status: 'succeeded',
  attempt_count: 1,
  attempts: [attemptExample],
  next_attempt_at: null,
  last_status_code: 200,
  last_error: null,
  created_at: '2026-12-01T11:38:55.224Z',
  updated_at: '2026-12-01T11:38:55.370Z',
};

export const Delivery = withExample(
  DeliveryShape,
  {
    ...deliveryExample,
    attempts: [
      {
        id: 'att_01M8RPD4DHVJW9R39PMZ9JE8Z8',
        ...attemptExample,
        request: {
          method: 'POST',
          url: 'https://hooks.example.com/herald',
          headers: { 'Content-Type': 'application/json', 'X-Team': 'ops', 'webhook-id': MESSAGE_ID, 'webhook-timestamp': '1796125135', 'webhook-signature': '****' },
          body: '{"type":"server.create","timestamp":"2026-12-01T11:38:55.224Z","data":{"name":"web-1","entity_ids":["srv-1"]}}',
        },
        response_body: 'ok',
      },
    ],
  },
  'The delivery with every attempt, including what was sent and what the receiver answered',
);

export const Message = withExample(
  Type.Object({
    id: Type.String(),
    tenant: Type.String(),
    type: Type.String(),
    action: Type.String(),
    result: Type.String(),
    event: Type.String(),
    entity_ids: Type.Array(Type.String()),
    data: Type.Unknown({ description: 'the event data as published' }),
    scope: Type.Object({ domain_id: NullableString, project_id: NullableString }),
    idempotency_key: NullableString,
    created_at: Time,
    deliveries: Type.Array(DeliveryShape),
  }),
  {
    id: MESSAGE_ID,
    tenant: 'default',
    type: 'server',
    action: 'create',
    result: 'succeed',
    event: 'SERVER/CREATE',
    entity_ids: ['srv-1'],
    data: { name: 'web-1' },
    scope: { domain_id: null, project_id: null },
    idempotency_key: null,
    created_at: '2026-12-01T11:38:55.224Z',
    deliveries: [deliveryExample],
  },
  'The published message and its deliveries',
);

export const IncomingLogEntry = Type.Object({
  id: Type.String(),
  endpoint_id: NullableString,
  source_message_id: NullableString,
  action: NullableString,
  outcome: Type.String({ description: '`applied`, `unchanged` or `refused`' }),
  status_code: Type.Integer(),
  error: Type.Unknown({ description: 'the error body Herald answered with, or null' }),
  digest: NullableString,
  body: NullableString,
  created_at: Time,
});

/** A page of `item`, with the example `items` as its data. */
export const pageOf = (item: TSchema, items: unknown[], description: string, more = true) =>
  withExample(
    Type.Object({
      data: Type.Array(item),
      next_cursor: Type.Union([Type.String(), Type.Null()], { description: 'pass as `cursor` for the next page; null on the last page' }),
    }),
    { data: items, next_cursor: more ? (items[items.length - 1] as { id?: string } | undefined)?.id ?? null : null },
    description,
  );

export const EndpointPage = pageOf(EndpointShape, [endpointExample], 'A page of endpoints, oldest first');
export const SubscriptionPage = pageOf(SubscriptionShape, [subscriptionExample], 'A page of subscriptions');
export const TopicPage = pageOf(TopicShape, [topicExample], 'A page of topics');
export const DeliveryPage = pageOf(DeliveryShape, [deliveryExample], 'A page of deliveries, newest first');
export const EventTypeList = pageOf(EventType, [eventTypeExample], 'Every event type Herald knows, built in and custom', false);
export const IncomingPage = pageOf(
  IncomingLogEntry,
  [
    {
      id: 'inc_01M8RPF0AZ3C9S7Q0H2XK4W1RB',
      endpoint_id: ENDPOINT_ID,
      source_message_id: MESSAGE_ID,
      action: 'CREATED',
      outcome: 'applied',
      status_code: 200,
      error: null,
      digest: '9f2c4e1b',
      body: '{"source_message_id":"msg_01M8RPD4BR8T4RP5MNF622HC9Z","type":"RESOURCE","action":"CREATED","data":{"resources":[]}}',
      created_at: '2026-12-01T11:39:02.114Z',
    },
  ],
  'A page of the incoming log, newest first',
);

export const NoContent: TSchema = Type.Null({ description: 'Deleted' });

export const FilterTestAnswer = withExample(
  Type.Object({
    matches: Type.Union([Type.Boolean(), Type.Null()], { description: 'null when the filter has problems' }),
    problems: Type.Array(Type.Object({ path: Type.String(), message: Type.String(), allowed: Type.Optional(Type.Array(Type.String())) })),
  }),
  { matches: true, problems: [] },
  'Whether the sample event passes the filter',
);

const API_KEY_ID = 'key_01M8RPCTYR7YRHH9PV3WT5TRXQ';
const ApiKeyShape = Type.Object({
  id: Type.String(),
  name: Type.String(),
  tenant: Type.String(),
  scopes: Type.Array(Type.String()),
  prefix: Type.String({ description: 'the first characters of the key, to tell keys apart' }),
  status: StringEnum(['active', 'expired', 'revoked'] as const),
  expires_at: NullableTime,
  revoked_at: NullableTime,
  created_at: Time,
});
const apiKeyExample = {
  id: API_KEY_ID,
  name: 'billing publisher',
  tenant: 'acme',
  scopes: ['events:publish'],
  prefix: 'hk_Zx3v9QmR',
  status: 'active',
  expires_at: null,
  revoked_at: null,
  created_at: '2026-12-01T11:38:45.684Z',
};
export const ApiKey = withExample(ApiKeyShape, apiKeyExample, 'The API key, without the key itself');
export const CreatedApiKey = withExample(
  Type.Intersect([ApiKeyShape, Type.Object({ key: Type.String({ description: 'the key; shown in this answer only' }) })]),
  { ...apiKeyExample, key: 'hk_Zx3v9QmRk2b8Jc1LwYpT5sVn0aE7dHfG4uIoXrCqBzM' },
  'The new key: keep `key`, it is not shown again',
);
export const ApiKeyPage = pageOf(ApiKeyShape, [apiKeyExample], 'A page of API keys, oldest first');

const MessageSummaryShape = Type.Object({
  id: Type.String(),
  tenant: Type.String(),
  event: Type.String({ description: 'the event key, TYPE/ACTION[/RESULT]' }),
  entity_ids: Type.Array(Type.String()),
  created_at: Time,
  deliveries: Type.Array(
    Type.Object({
      id: Type.String(),
      endpoint_id: Type.String(),
      endpoint_name: NullableString,
      status: StringEnum(DELIVERY_STATUSES),
      attempt_count: Type.Integer({ minimum: 0 }),
      last_status_code: NullableInteger,
      last_error: NullableString,
      next_attempt_at: NullableTime,
      updated_at: Time,
      why: NullableString,
    }),
    { description: 'with `undelivered=true`, only the deliveries that have not succeeded' },
  ),
});
const messageSummaryExample = {
  id: MESSAGE_ID,
  tenant: 'acme',
  event: 'ONDEMAND_ENROLLMENT/STARTED',
  entity_ids: ['enr_7f3a'],
  created_at: '2026-12-01T11:40:02.114Z',
  deliveries: [
    {
      id: DELIVERY_ID,
      endpoint_id: ENDPOINT_ID,
      endpoint_name: 'acme lab backend',
      status: 'retrying',
      attempt_count: 2,
      last_status_code: 503,
      last_error: 'HTTP 503: upstream unavailable',
      next_attempt_at: '2026-12-01T12:10:02.114Z',
      updated_at: '2026-12-01T11:40:07.301Z',
      why: 'retrying after 2 attempts (next at 2026-12-01T12:10:02.114Z): HTTP 503: upstream unavailable',
    },
  ],
};
export const MessageSummaryPage = pageOf(MessageSummaryShape, [messageSummaryExample], 'A page of messages, newest first');

export const CreatedPortalSession = withExample(
  Type.Object({
    id: Type.String(),
    tenant: Type.String(),
    read_only: Type.Boolean(),
    brand: Type.Object({ name: NullableString, color: NullableString, logo_url: NullableString }),
    status: Type.String({ description: '`active`, `entered`, `expired` or `revoked`' }),
    expires_at: Time,
    entered_at: NullableTime,
    revoked_at: NullableTime,
    created_at: Time,
    url: Type.String({ description: 'the one-time entry link: opening it signs one browser in; a second use is refused' }),
  }),
  {
    id: 'psn_01M8RPCTYR7YRHH9PV3WT5TRXR',
    tenant: 'acme',
    read_only: false,
    brand: { name: 'Acme Labs', color: '#0b7285', logo_url: 'https://acme.example/logo.png' },
    status: 'active',
    expires_at: '2026-12-01T12:38:45.684Z',
    entered_at: null,
    revoked_at: null,
    created_at: '2026-12-01T11:38:45.684Z',
    url: 'https://herald.example.com/portal/enter/pt_9xQ2mVb7Lk3Jd8RwTz5YcN1aHs6GfE4u',
  },
  'The session and its entry link; the link is shown in this answer only',
);
export const RevokedCount = withExample(Type.Object({ revoked: Type.Integer({ minimum: 0 }) }), { revoked: 3 }, 'How many sessions were revoked');
