import { interfaceKey } from './canonical-state.js';
import { child, has, isObject, readConfig, readEnum, readString, describe, type JsonObject } from './field-checks.js';
import {
  INTERFACE_TYPES,
  RESOURCE_STATUSES,
  RESOURCE_TYPES,
  type Action,
  type Interface,
  type Problem,
  type ResourceRef,
  type ResourceStatus,
} from './types.js';

export const MAX_RESOURCES = 1000;
export const MAX_INTERFACES = 1000;

export interface DataReport {
  resources: ResourceRef[];
  interfaces: Interface[];
}

/**
 * Reads `data.resources` and `data.interfaces`. `action` is the message's action when it is known and valid;
 * when it is not, type and status are not required, so a bad action is not echoed by a problem per resource.
 */
export function readData(body: JsonObject, action: Action | undefined, problems: Problem[]): DataReport | undefined {
  if (!has(body, 'data')) {
    problems.push({ path: '/data', message: 'is required' });
    return undefined;
  }
  const data = body.data;
  if (!isObject(data)) {
    problems.push({ path: '/data', message: `must be an object, got ${describe(data)}` });
    return undefined;
  }
  const requireDetail = action === 'CREATED' || action === 'UPDATED';
  const resources = readList(data, 'resources', true, MAX_RESOURCES, problems, (raw, path) =>
    readResource(raw, path, requireDetail, problems),
  );
  if (resources) refuseDuplicates(resources.raw, '/data/resources', rawResourceKey, problems);
  const interfaces = readList(data, 'interfaces', false, MAX_INTERFACES, problems, (raw, path) =>
    readInterface(raw, path, problems),
  );
  if (interfaces) refuseDuplicates(interfaces.raw, '/data/interfaces', rawInterfaceKey, problems);
  if (!resources || !interfaces) return undefined;
  return { resources: resources.items.filter(isPresent), interfaces: interfaces.items.filter(isPresent) };
}

function readList<T>(
  data: JsonObject,
  key: string,
  required: boolean,
  max: number,
  problems: Problem[],
  readItem: (raw: unknown, path: string) => T | undefined,
): { raw: unknown[]; items: (T | undefined)[] } | undefined {
  const path = child('/data', key);
  if (!has(data, key)) {
    if (!required) return { raw: [], items: [] };
    problems.push({ path, message: 'is required (an array, possibly empty)' });
    return undefined;
  }
  const list = data[key];
  if (!Array.isArray(list)) {
    problems.push({ path, message: `must be an array, got ${describe(list)}` });
    return undefined;
  }
  // Past the limit the items are not read: the message is refused anyway, and reading them would only
  // multiply the problems a sender has to wade through.
  if (list.length > max) {
    problems.push({ path, message: `must hold at most ${max} items, got ${list.length}` });
    return undefined;
  }
  return { raw: list, items: list.map((raw, i) => readItem(raw, child(path, i))) };
}

function readResource(
  raw: unknown,
  path: string,
  requireDetail: boolean,
  problems: Problem[],
): ResourceRef | undefined {
  if (!isObject(raw)) {
    problems.push({ path, message: `must be an object, got ${describe(raw)}` });
    return undefined;
  }
  const before = problems.length;
  const id = readString(raw, 'id', path, { required: true }, problems);
  const typeRule = { required: requireDetail, what: 'resource type' };
  const type = readEnum(raw, 'type', path, RESOURCE_TYPES, typeRule, problems);
  const name = readString(raw, 'name', path, { required: false }, problems);
  const status = readResourceStatus(raw, path, requireDetail, problems);
  const config = readConfig(raw, 'config', path, problems);
  if (problems.length > before || id === undefined) return undefined;
  return compact({ id, type, name, status, config });
}

/** The seed's table puts a resource's status at `status`, its example at `data.status`: either will do. */
function readResourceStatus(
  raw: JsonObject,
  path: string,
  required: boolean,
  problems: Problem[],
): ResourceStatus | undefined {
  const rule = { required: false, what: 'resource status' };
  const top = readEnum(raw, 'status', path, RESOURCE_STATUSES, rule, problems);
  let nested: ResourceStatus | undefined;
  let nestedGiven = false;
  if (has(raw, 'data')) {
    const inner = raw.data;
    if (!isObject(inner)) {
      problems.push({ path: child(path, 'data'), message: `must be an object, got ${describe(inner)}` });
    } else {
      nestedGiven = has(inner, 'status');
      nested = readEnum(inner, 'status', child(path, 'data'), RESOURCE_STATUSES, rule, problems);
    }
  }
  if (required && !has(raw, 'status') && !nestedGiven) {
    problems.push({
      path: child(path, 'status'),
      message: `is required (as \`status\` or \`data.status\`); allowed: ${RESOURCE_STATUSES.join(', ')}`,
      allowed: [...RESOURCE_STATUSES],
    });
  }
  if (top !== undefined && nested !== undefined && top !== nested) {
    problems.push({
      path: child(child(path, 'data'), 'status'),
      message: `'${nested}' disagrees with status '${top}'; when both are given they must be equal`,
    });
    return undefined;
  }
  return top ?? nested;
}

function readInterface(raw: unknown, path: string, problems: Problem[]): Interface | undefined {
  if (!isObject(raw)) {
    problems.push({ path, message: `must be an object, got ${describe(raw)}` });
    return undefined;
  }
  const before = problems.length;
  const type = readEnum(raw, 'type', path, INTERFACE_TYPES, { required: true, what: 'interface type' }, problems);
  const resourceId = readString(raw, 'resource_id', path, { required: true }, problems);
  const name = readString(raw, 'name', path, { required: false }, problems);
  const config = readConfig(raw, 'config', path, problems);
  if (problems.length > before || type === undefined || resourceId === undefined) return undefined;
  return compact({ type, resource_id: resourceId, name, config });
}

// Duplicates are looked for among the raw items, so that an item refused for another reason still has its
// repetition reported. Two entries for the same thing in one message leave no honest way to choose.
function refuseDuplicates(
  raw: unknown[],
  listPath: string,
  keyOf: (item: unknown) => { key: string; what: string; at: (path: string) => string } | undefined,
  problems: Problem[],
): void {
  const first = new Map<string, number>();
  raw.forEach((item, i) => {
    const identity = keyOf(item);
    if (identity === undefined) return;
    const seen = first.get(identity.key);
    if (seen === undefined) {
      first.set(identity.key, i);
      return;
    }
    problems.push({
      path: identity.at(child(listPath, i)),
      message: `repeats the ${identity.what} of ${child(listPath, seen)}`,
    });
  });
}

function rawResourceKey(raw: unknown) {
  if (!isObject(raw) || typeof raw.id !== 'string' || raw.id === '') return undefined;
  return { key: raw.id, what: 'id', at: (path: string) => child(path, 'id') };
}

function rawInterfaceKey(raw: unknown) {
  if (!isObject(raw) || typeof raw.resource_id !== 'string' || typeof raw.type !== 'string') return undefined;
  if (has(raw, 'name') && typeof raw.name !== 'string') return undefined;
  const key = interfaceKey({ resource_id: raw.resource_id, type: raw.type, name: raw.name as string | undefined });
  return { key, what: '(resource_id, type, name)', at: (path: string) => path };
}

function isPresent<T>(item: T | undefined): item is T {
  return item !== undefined;
}

/** Drops absent optional fields so a validated message holds exactly the keys that were given. */
function compact<T extends object>(obj: T): T {
  return Object.fromEntries(Object.entries(obj).filter(([, v]) => v !== undefined)) as T;
}
