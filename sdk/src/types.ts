import type { paths } from './schema.js';

/**
 * Request and response types read off the generated OpenAPI types, so the hand-written layer follows the
 * server's document: where the document describes a shape, callers get it; where it does not yet, a loose object.
 */
export type Path = keyof paths;
type Method = 'get' | 'post' | 'patch' | 'delete';
export type Operation<P extends Path, M extends Method> = paths[P] extends { [K in M]: infer O } ? O : never;

type JsonContent<R> = R extends { content: { 'application/json': infer B } } ? B : never;
type SuccessCodes = 200 | 201 | 202;

/** What a successful call answers; a loose object when the document leaves the response undescribed. */
export type Success<P extends Path, M extends Method> =
  Operation<P, M> extends { responses: infer R }
    ? [JsonContent<R[Extract<keyof R, SuccessCodes>]>] extends [never]
      ? Record<string, unknown>
      : JsonContent<R[Extract<keyof R, SuccessCodes>]>
    : Record<string, unknown>;

export type Body<P extends Path, M extends Method> = Operation<P, M> extends { requestBody?: { content: { 'application/json': infer B } } } ? B : never;

export type Query<P extends Path, M extends Method> = Operation<P, M> extends { parameters: { query?: infer Q } } ? NonNullable<Q> : never;

/** One item of a listing route's `data`. */
export type Item<P extends Path> = Success<P, 'get'> extends { data: Array<infer T> } ? T : Record<string, unknown>;

export type EndpointCreate = Body<'/v1/endpoints', 'post'>;
export type EndpointUpdate = Body<'/v1/endpoints/{id}', 'patch'>;
export type EndpointFilter = Omit<Query<'/v1/endpoints', 'get'>, 'cursor'>;
export type Endpoint = Success<'/v1/endpoints/{id}', 'get'>;
export type CreatedEndpoint = Success<'/v1/endpoints', 'post'>;

export type SubscriptionCreate = Body<'/v1/subscriptions', 'post'>;
export type SubscriptionUpdate = Body<'/v1/subscriptions/{id}', 'patch'>;
export type SubscriptionFilter = Omit<Query<'/v1/subscriptions', 'get'>, 'cursor'>;
export type Subscription = Success<'/v1/subscriptions/{id}', 'get'>;

type PublishBody = Body<'/v1/events', 'post'>;
/** One event as published: `{type, action, data?, entity_ids?, ...}`. */
export type EventInput = Exclude<PublishBody, { events: unknown }>;
/** What a publish answers: one message's id and delivery count, or for a batch, one of those per event. */
export type PublishAnswer = Success<'/v1/events', 'post'>;
export type Published = Exclude<PublishAnswer, { data: unknown }>;
export type PublishedMany = Extract<PublishAnswer, { data: unknown }>;

export type DeliveryFilter = Omit<Query<'/v1/deliveries', 'get'>, 'cursor'>;
export type DeliveryStatus = NonNullable<DeliveryFilter['status']>;
export type DeliverySummary = Item<'/v1/deliveries'>;
export type Delivery = Success<'/v1/deliveries/{id}', 'get'>;
export type Message = Success<'/v1/messages/{id}', 'get'>;
export type Entity = Success<'/v1/entities/{id}', 'get'>;
