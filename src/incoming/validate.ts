import { describe, has, isObject, readEnum, readString, type JsonObject } from './field-checks.js';
import { parseIsoTimestamp } from './iso-timestamp.js';
import {
  ACTIONS,
  MESSAGE_TYPES,
  type Action,
  type IncomingMessage,
  type Problem,
  type Resource,
  type ValidationResult,
} from './types.js';
import { readData } from './validate-data.js';

/** Herald's own message ids are far shorter; the cap only stops a sender from filling the incoming log. */
export const MAX_SOURCE_MESSAGE_ID_LENGTH = 200;

/**
 * Checks a parsed JSON body against the incoming-message contract and returns it normalised (the `status`
 * alias folded into `action`, `data.status` into a resource's `status`, the timestamp in UTC, unknown keys
 * dropped), or every problem found, each with its JSON pointer.
 */
export function validateIncoming(body: unknown): ValidationResult {
  if (!isObject(body)) {
    return { ok: false, problems: [{ path: '', message: `must be a JSON object, got ${describe(body)}` }] };
  }
  const problems: Problem[] = [];
  const sourceMessageId = readString(
    body,
    'source_message_id',
    '',
    { required: true, maxLength: MAX_SOURCE_MESSAGE_ID_LENGTH },
    problems,
  );
  const type = readEnum(body, 'type', '', MESSAGE_TYPES, { required: true, what: 'message type' }, problems);
  const action = readAction(body, problems);
  const timestamp = readTimestamp(body, problems);
  const data = readData(body, action, problems);
  if (problems.length > 0 || sourceMessageId === undefined || type === undefined || action === undefined || !data) {
    return { ok: false, problems };
  }
  const base = { source_message_id: sourceMessageId, type, ...(timestamp === undefined ? {} : { timestamp }) };
  const value: IncomingMessage =
    action === 'DELETED'
      ? { ...base, action, data }
      : { ...base, action, data: { resources: data.resources.map(asReported), interfaces: data.interfaces } };
  return { ok: true, value };
}

/**
 * The seed's attribute table calls the action `status`, its example calls it `action`. Either is accepted;
 * given both, they must say the same thing. Returns the action only when it is unambiguous.
 */
function readAction(body: JsonObject, problems: Problem[]): Action | undefined {
  if (!has(body, 'action') && !has(body, 'status')) {
    problems.push({
      path: '/action',
      message: `is required (or its alias \`status\`); allowed: ${ACTIONS.join(', ')}`,
      allowed: [...ACTIONS],
    });
    return undefined;
  }
  const before = problems.length;
  const rule = { required: false, what: 'action' };
  const action = readEnum(body, 'action', '', ACTIONS, rule, problems);
  const status = readEnum(body, 'status', '', ACTIONS, rule, problems);
  if (action !== undefined && status !== undefined && action !== status) {
    problems.push({
      path: '/status',
      message: `'${status}' disagrees with action '${action}'; \`status\` is an alias: they must be equal`,
    });
  }
  return problems.length > before ? undefined : (action ?? status);
}

function readTimestamp(body: JsonObject, problems: Problem[]): string | undefined {
  const text = readString(body, 'timestamp', '', { required: false }, problems);
  if (text === undefined) return undefined;
  const ms = parseIsoTimestamp(text);
  if (ms === null) {
    problems.push({
      path: '/timestamp',
      message: 'must be an ISO-8601 date-time with an offset, e.g. 2024-05-01T12:00:00Z',
    });
    return undefined;
  }
  return new Date(ms).toISOString();
}

// validate-data requires type and status for CREATED and UPDATED and refuses the message otherwise,
// so by the time a value is built both are present.
function asReported(resource: { id: string; type?: Resource['type']; status?: Resource['status'] }): Resource {
  const { type, status } = resource;
  if (type === undefined || status === undefined) {
    throw new Error(`resource ${resource.id} passed validation without type or status`);
  }
  return { ...resource, type, status };
}
