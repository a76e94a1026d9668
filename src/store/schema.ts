/**
 * Tables, as kysely sees them. Both databases store the same shapes:
 * - times are integer milliseconds since the epoch (PostgreSQL bigint, parsed back to numbers);
 * - booleans are 0/1 integers; JSON documents are text.
 * Keeping the representations identical is what lets one set of queries serve SQLite and PostgreSQL.
 */
import type { Generated } from 'kysely';

export interface EndpointsTable {
  id: string;
  name: string;
  url: string;
  format: string;
  tenant: string;
  enabled: number;
  disabled_reason: string | null;
  auth_user: string | null;
  auth_key: string | null; // sealed when HERALD_ENCRYPTION_KEY is set
  secret: string | null; // sealed
  previous_secret: string | null; // sealed; signs beside `secret` until previous_secret_until
  previous_secret_until: number | null;
  headers: string; // JSON object
  body: string; // JSON object
  msg_key: string;
  lang: string;
  use_template: number;
  template_mode: string | null; // cloudpods | go; null: the format's default
  trace_context: Generated<number>; // 1: deliveries carry a traceparent header
  rate_limit: number | null;
  max_in_flight: number | null;
  ordering: string | null; // none | entity | endpoint; null: none
  callback_user: string;
  callback_key_hash: string;
  failing_since: number | null;
  /** Failed attempts in a row at delivering ordinary (not operational) events; reset by a success. */
  consecutive_failures: Generated<number>;
  /** When ENDPOINT/FAILING was claimed for the current streak; null outside an announced streak. */
  failing_announced_at: number | null;
  created_at: number;
  updated_at: number;
}

export interface SubscriptionsTable {
  id: string;
  endpoint_id: string;
  events: string; // JSON array of event-key patterns
  topics: string; // JSON array of topic ids
  resource_scope: string; // system | domain | project
  attribution_id: string | null;
  enabled: number;
  filter: string | null; // JSON filter on the event's fields, as the client wrote it (compact)
  created_at: number;
  updated_at: number;
}

export interface TopicsTable {
  id: string;
  name: string;
  patterns: string; // JSON array of event-key patterns
  title_en: string | null;
  title_cn: string | null;
  content_en: string | null;
  content_cn: string | null;
  template_mode: string | null; // cloudpods | go; null: the endpoint's mode
  enabled: number;
  created_at: number;
  updated_at: number;
}

export interface EventTypesTable {
  type: string;
  actions: string; // JSON array
  schema: string | null; // JSON Schema for `data`
  created_at: number;
}

export interface MessagesTable {
  id: string;
  tenant: string;
  type: string;
  action: string;
  result: string;
  event_key: string;
  entity_ids: string; // JSON array
  data: string; // JSON object
  scope_domain_id: string | null;
  scope_project_id: string | null;
  idempotency_key: string | null;
  coalesce_key: string | null;
  coalesce_until: number | null;
  filtered_out: string | null; // JSON [{subscription_id, endpoint_id}]: subscriptions whose filter passed it over
  traceparent: string | null; // W3C trace context of the publish; null when it was not traced
  created_at: number;
}

export interface DeliveriesTable {
  id: string;
  message_id: string;
  endpoint_id: string;
  subscription_id: string | null;
  topic_id: string | null;
  tenant: string;
  event_key: string;
  status: string; // pending | succeeded | failed | cancelled | skipped
  attempts: number;
  next_attempt_at: number | null;
  lease_owner: string | null;
  lease_expires_at: number | null;
  last_status_code: number | null;
  last_error: string | null;
  /** The key this delivery is ordered by among its endpoint's (null: unordered). */
  ordering_key: string | null;
  created_at: number;
  updated_at: number;
}

export interface AttemptsTable {
  id: string;
  delivery_id: string;
  attempt: number;
  at: number;
  status_code: number | null;
  error: string | null;
  error_class: string | null;
  duration_ms: number;
  request: string; // JSON {method, url, headers (masked), body}
  response_body: string | null;
  /** JSON object text: the receiver's response headers as kept (see delivery/response-headers.ts); null without an answer. */
  response_headers: string | null;
}

export interface IdempotencyTable {
  tenant: string;
  key: string;
  message_id: string;
  created_at: number;
}

export interface IncomingTable {
  id: string;
  endpoint_id: string | null;
  source_message_id: string | null;
  action: string | null;
  digest: string | null;
  body: string;
  status_code: number;
  outcome: string; // applied | unchanged | refused
  error: string | null;
  created_at: number;
}

export interface EntityResourcesTable {
  entity_id: string;
  resource_id: string;
  type: string;
  name: string | null;
  status: string | null;
  config: string | null;
  source_ts: string | null;
  updated_at: string;
}

export interface EntityInterfacesTable {
  entity_id: string;
  resource_id: string;
  type: string;
  name: string;
  config: string | null;
}

export interface EntityChangesTable {
  seq: Generated<number>;
  entity_id: string;
  incoming_id: string;
  payload: string; // JSON: the entity state after the change
  created_at: number;
}

export interface ApiKeysTable {
  id: string;
  name: string;
  tenant: string;
  scopes: string; // JSON array of scope names
  prefix: string; // the key's first characters, shown in lists
  key_hash: string; // hex SHA-256 of the key; the key itself is never stored
  expires_at: number | null;
  revoked_at: number | null;
  created_at: number;
}

export interface PortalSessionsTable {
  id: string;
  tenant: string;
  entry_hash: string; // hex SHA-256 of the one-time entry token
  session_hash: string | null; // hex SHA-256 of the session cookie, once the link was opened
  read_only: number; // 0 | 1
  brand: string; // JSON {name, color, logo_url}
  expires_at: number;
  entered_at: number | null;
  revoked_at: number | null;
  created_at: number;
}

/** Which tenants' backends reported an entity: a tenant's key reads only those entities. */
export interface EntityTenantsTable {
  entity_id: string;
  tenant: string;
}

export interface SettingsTable {
  key: string;
  value: string;
}

/** A delivering process and when its heartbeat last reached the store. */
export interface WorkersTable {
  id: string;
  host: string;
  pid: number;
  started_at: number;
  last_seen: number;
}

export interface Database {
  endpoints: EndpointsTable;
  subscriptions: SubscriptionsTable;
  topics: TopicsTable;
  event_types: EventTypesTable;
  messages: MessagesTable;
  deliveries: DeliveriesTable;
  attempts: AttemptsTable;
  idempotency: IdempotencyTable;
  incoming: IncomingTable;
  entity_resources: EntityResourcesTable;
  entity_interfaces: EntityInterfacesTable;
  entity_changes: EntityChangesTable;
  settings: SettingsTable;
  workers: WorkersTable;
  api_keys: ApiKeysTable;
  entity_tenants: EntityTenantsTable;
  portal_sessions: PortalSessionsTable;
}
