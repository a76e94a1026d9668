/**
 * An operator's own event type. Its `schema`, when given, is a JSON Schema that an event's `data` must
 * satisfy; the catalog only checks that it is an object, compiling it is the caller's concern.
 */
export interface CustomEventTypeInput {
  type: string;
  actions: string[];
  schema?: Record<string, unknown> | null;
}

/** Custom types and actions become event-key segments, hence the narrow alphabet. */
export const CUSTOM_NAME = /^[A-Za-z][A-Za-z0-9_]*$/;
