import type { Body, Success } from '../types.js';

/** The incoming contract as Herald's OpenAPI document describes POST /v1/incoming. */
export type IncomingBody = Body<'/v1/incoming', 'post'>;
export type IncomingAnswer = Success<'/v1/incoming', 'post'>;
type AnyResource = IncomingBody['data']['resources'][number];

export type ResourceType = NonNullable<AnyResource['type']>;
export type ResourceStatus = NonNullable<AnyResource['status']>;
export type Interface = NonNullable<IncomingBody['data']['interfaces']>[number];
export type InterfaceType = Interface['type'];

/** A resource reported as created or updated: its type and what status it now has. */
export type Resource = Omit<AnyResource, 'type' | 'status' | 'data'> & { type: ResourceType; status: ResourceStatus };
/** A resource reported as deleted: the id is enough. */
export type ResourceRef = Pick<AnyResource, 'id'> & Partial<Resource>;

export interface Report<R> {
  resources: R[];
  interfaces?: Interface[];
  /** When the backend saw this state (ISO-8601); an older report does not overwrite a newer one. Now by default. */
  timestamp?: string;
}
