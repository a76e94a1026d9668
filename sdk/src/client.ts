import createClient, { type Client } from 'openapi-fetch';
import { errorFromAnswer, HeraldError } from './errors.js';
import { Listing, type Page } from './pages.js';
import type { paths } from './schema.js';
import type * as T from './types.js';

export interface HeraldOptions {
  /** Herald's base URL, e.g. `https://herald.internal:8080`. */
  url: string;
  /** The admin token (HERALD_ADMIN_TOKEN), or a tenant API key. */
  token: string;
  /** A fetch of your own (a proxy agent, tracing); the global fetch by default. */
  fetch?: (input: Request) => Promise<Response>;
  /** How many items each page of a listing asks for (Herald's default is 50, its maximum 500). */
  pageSize?: number;
}

type Answer<D> = { data?: D; error?: unknown; response: Response };

/** The data of a successful answer; any other answer, or none, becomes a HeraldError. */
async function unwrap<D>(call: Promise<Answer<unknown>>): Promise<D> {
  let answer: Answer<unknown>;
  try {
    answer = await call;
  } catch (e) {
    const reason = e instanceof Error ? ((e.cause as Error | undefined)?.message ?? e.message) : String(e);
    throw new HeraldError('unreachable', 0, `could not reach Herald: ${reason}`);
  }
  if (!answer.response.ok) throw errorFromAnswer(answer.response.status, answer.error);
  return answer.data as D;
}

/**
 * Herald's API as objects: `herald.events.publish(...)`, `herald.endpoints.create(...)`,
 * `for await (const d of herald.deliveries.list({status: 'failed'}))`. Every refusal is a HeraldError.
 */
export class Herald {
  /** The typed openapi-fetch client underneath, for routes this layer does not wrap. */
  readonly raw: Client<paths>;
  readonly events: Events;
  readonly endpoints: Endpoints;
  readonly subscriptions: Subscriptions;
  readonly deliveries: Deliveries;
  readonly messages: Messages;
  readonly entities: Entities;

  constructor(options: HeraldOptions) {
    if (!options.url) throw new TypeError('Herald: `url` is required');
    if (!options.token) throw new TypeError('Herald: `token` is required');
    this.raw = createClient<paths>({
      baseUrl: options.url.replace(/\/+$/, ''),
      headers: { authorization: `Bearer ${options.token}` },
      ...(options.fetch ? { fetch: options.fetch } : {}),
    });
    const limit = options.pageSize;
    this.events = new Events(this.raw);
    this.endpoints = new Endpoints(this.raw, limit);
    this.subscriptions = new Subscriptions(this.raw, limit);
    this.deliveries = new Deliveries(this.raw, limit);
    this.messages = new Messages(this.raw);
    this.entities = new Entities(this.raw);
  }
}

class Events {
  constructor(private readonly c: Client<paths>) {}

  /** Publishes one event: 202 with the message id and how many deliveries it made. */
  publish(event: T.EventInput): Promise<T.Published> {
    return unwrap<T.Published>(this.c.POST('/v1/events', { body: event }));
  }

  /** Publishes several events in one call; all are accepted or, on any problem, none. */
  publishMany(events: T.EventInput[]): Promise<T.PublishedMany> {
    return unwrap<T.PublishedMany>(this.c.POST('/v1/events', { body: { events } }));
  }
}

class Endpoints {
  constructor(
    private readonly c: Client<paths>,
    private readonly limit: number | undefined,
  ) {}

  /** 201 with the endpoint, its `secret` and its `callback` credentials (the key is shown only here). */
  create(endpoint: T.EndpointCreate): Promise<T.CreatedEndpoint> {
    return unwrap<T.CreatedEndpoint>(this.c.POST('/v1/endpoints', { body: endpoint }));
  }

  get(id: string): Promise<T.Endpoint> {
    return unwrap<T.Endpoint>(this.c.GET('/v1/endpoints/{id}', { params: { path: { id } } }));
  }

  list(filter: T.EndpointFilter = {}): Listing<T.Item<'/v1/endpoints'>> {
    return new Listing((cursor) =>
      unwrap<Page<T.Item<'/v1/endpoints'>>>(this.c.GET('/v1/endpoints', { params: { query: { ...withLimit(filter, this.limit), ...(cursor ? { cursor } : {}) } } })),
    );
  }

  update(id: string, changes: T.EndpointUpdate): Promise<T.Endpoint> {
    return unwrap<T.Endpoint>(this.c.PATCH('/v1/endpoints/{id}', { params: { path: { id } }, body: changes }));
  }

  async delete(id: string): Promise<void> {
    await unwrap(this.c.DELETE('/v1/endpoints/{id}', { params: { path: { id } } }));
  }

  enable(id: string): Promise<T.Endpoint> {
    return unwrap<T.Endpoint>(this.c.POST('/v1/endpoints/{id}/enable', { params: { path: { id } } }));
  }

  disable(id: string): Promise<T.Endpoint> {
    return unwrap<T.Endpoint>(this.c.POST('/v1/endpoints/{id}/disable', { params: { path: { id } } }));
  }

  /** A new signing secret (yours or a generated one); the previous one keeps signing for a while, so receivers can roll. */
  rotateSecret(id: string, secret?: string): Promise<T.Success<'/v1/endpoints/{id}/rotate-secret', 'post'>> {
    return unwrap<T.Success<'/v1/endpoints/{id}/rotate-secret', 'post'>>(this.c.POST('/v1/endpoints/{id}/rotate-secret', { params: { path: { id } }, body: secret === undefined ? {} : { secret } }));
  }
}

class Subscriptions {
  constructor(
    private readonly c: Client<paths>,
    private readonly limit: number | undefined,
  ) {}

  create(subscription: T.SubscriptionCreate): Promise<T.Subscription> {
    return unwrap<T.Subscription>(this.c.POST('/v1/subscriptions', { body: subscription }));
  }

  get(id: string): Promise<T.Subscription> {
    return unwrap<T.Subscription>(this.c.GET('/v1/subscriptions/{id}', { params: { path: { id } } }));
  }

  list(filter: T.SubscriptionFilter = {}): Listing<T.Item<'/v1/subscriptions'>> {
    return new Listing((cursor) =>
      unwrap<Page<T.Item<'/v1/subscriptions'>>>(this.c.GET('/v1/subscriptions', { params: { query: { ...withLimit(filter, this.limit), ...(cursor ? { cursor } : {}) } } })),
    );
  }

  update(id: string, changes: T.SubscriptionUpdate): Promise<T.Subscription> {
    return unwrap<T.Subscription>(this.c.PATCH('/v1/subscriptions/{id}', { params: { path: { id } }, body: changes }));
  }

  async delete(id: string): Promise<void> {
    await unwrap(this.c.DELETE('/v1/subscriptions/{id}', { params: { path: { id } } }));
  }
}

class Deliveries {
  constructor(
    private readonly c: Client<paths>,
    private readonly limit: number | undefined,
  ) {}

  /** The delivery log, newest first, as an async iterator over every page: `list({status: 'failed'})`. */
  list(filter: T.DeliveryFilter = {}): Listing<T.DeliverySummary> {
    return new Listing((cursor) =>
      unwrap<Page<T.DeliverySummary>>(this.c.GET('/v1/deliveries', { params: { query: { ...withLimit(filter, this.limit), ...(cursor ? { cursor } : {}) } } })),
    );
  }

  /** One delivery with its attempts. */
  get(id: string): Promise<T.Delivery> {
    return unwrap<T.Delivery>(this.c.GET('/v1/deliveries/{id}', { params: { path: { id } } }));
  }

  /** Tries the delivery again now, whatever its status. */
  retry(id: string): Promise<T.Success<'/v1/deliveries/{id}/retry', 'post'>> {
    return unwrap<T.Success<'/v1/deliveries/{id}/retry', 'post'>>(this.c.POST('/v1/deliveries/{id}/retry', { params: { path: { id } } }));
  }
}

class Messages {
  constructor(private readonly c: Client<paths>) {}

  /** A published message with its deliveries. */
  get(id: string): Promise<T.Message> {
    return unwrap<T.Message>(this.c.GET('/v1/messages/{id}', { params: { path: { id } } }));
  }
}

class Entities {
  constructor(private readonly c: Client<paths>) {}

  /** The resources and interfaces the backends reported for one entity id. */
  get(id: string): Promise<T.Entity> {
    return unwrap<T.Entity>(this.c.GET('/v1/entities/{id}', { params: { path: { id } } }));
  }
}

function withLimit<F extends object>(filter: F, limit: number | undefined): F & { limit?: number } {
  return limit !== undefined && !('limit' in filter) ? { ...filter, limit } : filter;
}
