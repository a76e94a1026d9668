/**
 * Glossary for incoming messages and entity state.
 * - An incoming message is a backend's callback to Herald. It names the message it answers
 *   (`source_message_id`) and reports what the backend did to a student's lab: which resources (VMs, URLs)
 *   it created, updated or deleted, and which interfaces (terminal, web, remote desktop) sit on them.
 * - A resource is identified by its `id` within one entity; an interface by (`resource_id`, `type`, `name`).
 * - Entity state is what the incoming messages reported for one entity id (an enrollment, a workspace...),
 *   kept in canonical order so that two equal states serialise to the same bytes.
 * - A problem is one reason a message is refused, located by a JSON pointer into the message body.
 * This layer is pure: no I/O, no clock. The current time comes in as an argument.
 */

// The seed calls these lists exhaustive; their order is the order problems list them in.
export const ACTIONS = ['CREATED', 'UPDATED', 'DELETED'] as const;
export const MESSAGE_TYPES = ['RESOURCE'] as const;
export const RESOURCE_TYPES = ['VM', 'URL'] as const;
export const RESOURCE_STATUSES = [
  'STARTING',
  'PREPARING',
  'READY',
  'STOPPING',
  'STOPPED',
  'DELETING',
  'DELETED',
  'ERROR',
] as const;
export const INTERFACE_TYPES = ['TERMINAL', 'WEB_INTERFACE', 'REMOTE_DESKTOP'] as const;

export type Action = (typeof ACTIONS)[number];
export type MessageType = (typeof MESSAGE_TYPES)[number];
export type ResourceType = (typeof RESOURCE_TYPES)[number];
export type ResourceStatus = (typeof RESOURCE_STATUSES)[number];
export type InterfaceType = (typeof INTERFACE_TYPES)[number];

/** A JSON object as it arrived; only its own keys matter. */
export type Config = Record<string, unknown>;

/** A resource reported by CREATED or UPDATED: type and status are what the backend says it now is. */
export interface Resource {
  id: string;
  type: ResourceType;
  name?: string;
  status: ResourceStatus;
  config?: Config;
}

/** A resource named by DELETED: the id is enough, anything else is informative only. */
export interface ResourceRef {
  id: string;
  type?: ResourceType;
  name?: string;
  status?: ResourceStatus;
  config?: Config;
}

export interface Interface {
  type: InterfaceType;
  resource_id: string;
  name?: string;
  config?: Config;
}

interface MessageBase {
  source_message_id: string;
  type: MessageType;
  /** ISO-8601 in UTC (`toISOString()` form) once validated, whatever offset the backend used. */
  timestamp?: string;
}

export interface UpsertMessage extends MessageBase {
  action: 'CREATED' | 'UPDATED';
  data: { resources: Resource[]; interfaces: Interface[] };
}

export interface DeletedMessage extends MessageBase {
  action: 'DELETED';
  data: { resources: ResourceRef[]; interfaces: Interface[] };
}

/** A validated incoming message: the seed's `status` alias and a resource's `data.status` are folded in. */
export type IncomingMessage = UpsertMessage | DeletedMessage;

export interface StoredResource {
  id: string;
  type: ResourceType;
  name: string | null;
  status: ResourceStatus;
  config: Config;
  /** When Herald last saw this resource's type, name, status or config change (ISO-8601). */
  updated_at: string;
  /** The newest `timestamp` of a message that wrote this resource; null when none carried one. */
  source_ts: string | null;
}

export interface StoredInterface {
  type: InterfaceType;
  resource_id: string;
  name: string | null;
  config: Config;
}

/** Canonical order: resources by id, interfaces by (resource_id, type, name), config keys sorted. */
export interface EntityState {
  resources: StoredResource[];
  interfaces: StoredInterface[];
}

export interface Problem {
  /** JSON pointer into the message body, e.g. `/data/resources/0/status`; `` is the body itself. */
  path: string;
  message: string;
  /** The allowed values, in their documented order, when the problem is a value outside a fixed list. */
  allowed?: string[];
}

export type ValidationResult = { ok: true; value: IncomingMessage } | { ok: false; problems: Problem[] };

export type ApplyResult = { ok: true; state: EntityState; changed: boolean } | { ok: false; problems: Problem[] };
