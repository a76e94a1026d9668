import { CLOUDPODS_ACTIONS, CLOUDPODS_RESOURCE_TYPES } from './cloudpods.js';
import { CUSTOM_NAME, type CustomEventTypeInput } from './custom.js';
import { STRIGO_TYPES } from './strigo.js';

/**
 * The catalog: every event type Herald accepts and the actions it can report.
 * `type` and `actions` hold the canonical spelling (strigo and custom upper-case, cloudpods lower-case);
 * lookups ignore case and answer with that spelling, so a stored event always reads the same.
 */
export interface CatalogEntry {
  type: string;
  catalog: 'strigo' | 'cloudpods' | 'herald' | 'custom';
  actions: string[];
  schema?: object | null;
}

export interface CatalogProblem {
  /** JSON pointer into the submitted object: `/type`, `/action`, `/result`, `/actions/2`... */
  path: string;
  message: string;
  allowed?: string[];
}

export type EventResult = 'succeed' | 'failed';

export type ResolvedEvent =
  | { ok: true; type: string; action: string; result: EventResult; entry: CatalogEntry }
  | { ok: false; problems: CatalogProblem[] };

const RESULTS: readonly EventResult[] = ['succeed', 'failed'];
const MAX_NAME_LENGTH = 64;
const MAX_ACTIONS = 200;

/** Events Herald itself publishes for operators to subscribe to (see services/operational-events.ts). */
const HERALD_TYPES: Record<string, readonly string[]> = {
  ENDPOINT: ['DISABLED', 'ENABLED', 'FAILING', 'RECOVERED'],
  DELIVERY: ['EXHAUSTED'],
};

/** Whether an event key (`ENDPOINT/FAILING`) names one of Herald's own operational events. */
export function isOperationalEventKey(key: string): boolean {
  const type = key.slice(0, key.indexOf('/'));
  return Object.hasOwn(HERALD_TYPES, type);
}

const BUILTIN: readonly CatalogEntry[] = Object.freeze([
  ...Object.entries(STRIGO_TYPES).map(
    ([type, actions]): CatalogEntry => Object.freeze({ type, catalog: 'strigo', actions: [...actions] }),
  ),
  ...CLOUDPODS_RESOURCE_TYPES.map(
    (type): CatalogEntry => Object.freeze({ type, catalog: 'cloudpods', actions: [...CLOUDPODS_ACTIONS] }),
  ),
  ...Object.entries(HERALD_TYPES).map(
    ([type, actions]): CatalogEntry => Object.freeze({ type, catalog: 'herald', actions: [...actions] }),
  ),
]);

export function builtinCatalog(): CatalogEntry[] {
  return [...BUILTIN];
}

export function findEntry(entries: readonly CatalogEntry[], type: string): CatalogEntry | undefined {
  const wanted = type.toLowerCase();
  return entries.find((entry) => entry.type.toLowerCase() === wanted);
}

/** Checks an event's type, action and result against the catalog and canonicalises their spelling. */
export function resolveEvent(
  entries: readonly CatalogEntry[],
  event: { type?: unknown; action?: unknown; result?: unknown },
): ResolvedEvent {
  const problems: CatalogProblem[] = [];

  let result: EventResult = 'succeed';
  if (event.result !== undefined && event.result !== null) {
    const found =
      typeof event.result === 'string' ? RESULTS.find((r) => r === (event.result as string).toLowerCase()) : undefined;
    if (found) result = found;
    else problems.push({ path: '/result', message: 'result must be succeed or failed', allowed: [...RESULTS] });
  }

  const entry = typeof event.type === 'string' ? findEntry(entries, event.type) : undefined;
  if (!entry) {
    problems.push({
      path: '/type',
      message:
        typeof event.type === 'string' && event.type.length > 0
          ? `unknown event type ${JSON.stringify(event.type)}`
          : 'type is required',
      allowed: entries.map((e) => e.type),
    });
    return { ok: false, problems };
  }

  const wanted = typeof event.action === 'string' ? event.action.toLowerCase() : undefined;
  const action = wanted === undefined ? undefined : entry.actions.find((a) => a.toLowerCase() === wanted);
  if (action === undefined) {
    problems.push({
      path: '/action',
      message:
        typeof event.action === 'string' && event.action.length > 0
          ? `unknown action ${JSON.stringify(event.action)} for type ${entry.type}`
          : 'action is required',
      allowed: [...entry.actions],
    });
  }

  if (problems.length > 0 || action === undefined) return { ok: false, problems };
  return { ok: true, type: entry.type, action, result, entry };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Problems with a new custom type. `existing` defaults to the built-in catalog; pass every entry to
 * also refuse a second custom type of the same name.
 */
export function customTypeProblems(
  input: unknown,
  existing: readonly CatalogEntry[] = BUILTIN,
): CatalogProblem[] {
  if (!isPlainObject(input)) return [{ path: '', message: 'expected an object {type, actions, schema?}' }];
  const problems: CatalogProblem[] = [];

  const { type, actions, schema } = input;
  if (typeof type !== 'string' || type.length === 0) {
    problems.push({ path: '/type', message: 'type is required' });
  } else if (!CUSTOM_NAME.test(type) || type.length > MAX_NAME_LENGTH) {
    problems.push({
      path: '/type',
      message: `type must start with a letter and contain only letters, digits and _ (at most ${MAX_NAME_LENGTH})`,
    });
  } else {
    const clash = findEntry(existing, type);
    if (clash) {
      problems.push({
        path: '/type',
        message: `type ${JSON.stringify(type)} already exists in the ${clash.catalog} catalog as ${clash.type}`,
      });
    }
  }

  if (!Array.isArray(actions) || actions.length === 0) {
    problems.push({ path: '/actions', message: 'actions must be a non-empty list' });
  } else if (actions.length > MAX_ACTIONS) {
    problems.push({ path: '/actions', message: `at most ${MAX_ACTIONS} actions` });
  } else {
    const seen = new Set<string>();
    actions.forEach((action: unknown, i) => {
      if (typeof action !== 'string' || !CUSTOM_NAME.test(action) || action.length > MAX_NAME_LENGTH) {
        problems.push({
          path: `/actions/${i}`,
          message: `action must start with a letter and contain only letters, digits and _ (at most ${MAX_NAME_LENGTH})`,
        });
        return;
      }
      const key = action.toUpperCase();
      if (seen.has(key)) problems.push({ path: `/actions/${i}`, message: `duplicate action ${JSON.stringify(action)}` });
      seen.add(key);
    });
  }

  if (schema !== undefined && schema !== null && !isPlainObject(schema)) {
    problems.push({ path: '/schema', message: 'schema must be a JSON Schema object' });
  }
  return problems;
}

/** The catalog entry for a valid custom type, in canonical (upper-case) spelling. */
export function customEntry(input: CustomEventTypeInput): CatalogEntry {
  return {
    type: input.type.toUpperCase(),
    catalog: 'custom',
    actions: input.actions.map((a) => a.toUpperCase()),
    schema: input.schema ?? null,
  };
}
