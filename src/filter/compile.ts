import { JsonNumber, parseLossless, stringifyExact } from '../util/lossless-json.js';
import {
  FIELD_OPERATORS,
  FILTER_ROOTS,
  LOGICAL_OPERATORS,
  MAX_FILTER_BYTES,
  MAX_FILTER_DEPTH,
  MAX_FILTER_NODES,
  SCOPE_FIELDS,
  type CompiledFilter,
  type FieldOperator,
  type FilterNode,
} from './language.js';

export interface FilterProblem {
  /** JSON pointer inside the filter (`/$and/0/data.amount/$gt`); '' for the filter itself. */
  path: string;
  message: string;
  allowed?: string[];
}

export type Compiled = { ok: true; filter: CompiledFilter } | { ok: false; problems: FilterProblem[] };

const pointer = (parts: string[]) => parts.map((p) => '/' + p.replace(/~/g, '~0').replace(/\//g, '~1')).join('');
const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v) && !(v instanceof JsonNumber);
const kindOf = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'an array' : v instanceof JsonNumber ? 'a number' : typeof v === 'object' ? 'an object' : `a ${typeof v}`);

function countNodes(v: unknown): number {
  if (Array.isArray(v)) return v.reduce((n: number, x) => n + countNodes(x), 1);
  if (isObject(v)) return Object.values(v).reduce((n: number, x) => n + countNodes(x), 1);
  return 1;
}

const WHERE_FIELDS = `a field path starting with ${FILTER_ROOTS.join(', ')}`;

/** A path's own problem, or null: each root allows only what an event has under it. */
function pathProblem(path: string[]): string | null {
  if (path.some((s) => s === '')) return 'a path has an empty segment; write paths as data.user.id';
  const [root, ...rest] = path;
  if (!(FILTER_ROOTS as readonly string[]).includes(root!)) return `not a field of an event; a path starts with one of ${FILTER_ROOTS.join(', ')}`;
  switch (root) {
    case 'type':
    case 'action':
    case 'result':
    case 'tenant':
      return rest.length ? `${root} is a string and has no fields` : null;
    case 'entity_ids':
      return rest.length > 1 || (rest.length === 1 && !/^\d+$/.test(rest[0]!)) ? 'entity_ids is a list of strings: use entity_ids or entity_ids.N' : null;
    case 'scope':
      if (rest.length > 1 || (rest.length === 1 && !(SCOPE_FIELDS as readonly string[]).includes(rest[0]!))) return `scope has only ${SCOPE_FIELDS.join(' and ')}`;
      return null;
    default:
      return null;
  }
}

/** A path problem, naming the full path when the pointer alone does not spell it (nested objects). */
const named = (path: string[], at: string[], issue: string) => (path.join('.') === at[at.length - 1] ? issue : `${path.join('.')}: ${issue}`);

function operandProblem(op: FieldOperator, v: unknown): string | null {
  switch (op) {
    case '$gt':
    case '$gte':
    case '$lt':
    case '$lte':
      return v instanceof JsonNumber || typeof v === 'string' ? null : `must be a number or a string, not ${kindOf(v)}`;
    case '$in':
    case '$nin':
      return Array.isArray(v) ? null : `must be an array of values, not ${kindOf(v)}`;
    case '$exist':
      return typeof v === 'boolean' ? null : `must be true or false, not ${kindOf(v)}`;
    case '$startsWith':
    case '$endsWith':
      return typeof v === 'string' ? null : `must be a string, not ${kindOf(v)}`;
    default:
      return null;
  }
}

/**
 * Checks and compiles a filter given as JSON text. Every problem is reported at once, each with its JSON
 * pointer inside the filter and, where it helps, the allowed operators.
 */
export function compileFilter(text: string): Compiled {
  const compact = stringifyExact(parseLossless(text));
  const bytes = Buffer.byteLength(compact);
  if (bytes > MAX_FILTER_BYTES) {
    return { ok: false, problems: [{ path: '', message: `is ${bytes} bytes of JSON, over the limit of ${MAX_FILTER_BYTES} bytes (4 KiB)` }] };
  }
  return compileValue(parseLossless(text), compact);
}

/** As compileFilter, for a value already read with parseLossless. */
export function compileValue(value: unknown, text = stringifyExact(value)): Compiled {
  if (!isObject(value)) return { ok: false, problems: [{ path: '', message: `must be a JSON object of field paths and operators, not ${kindOf(value)}` }] };
  const nodes = countNodes(value);
  if (nodes > MAX_FILTER_NODES) {
    return { ok: false, problems: [{ path: '', message: `has ${nodes} JSON values, over the limit of ${MAX_FILTER_NODES}` }] };
  }
  const problems: FilterProblem[] = [];
  const root = filterObject(value, [], [], 1, problems);
  return problems.length ? { ok: false, problems } : { ok: true, filter: { root, text } };
}

/** One filter object: every member must hold. `prefix` is the field path it sits under (nested form). */
function filterObject(obj: Record<string, unknown>, at: string[], prefix: string[], depth: number, problems: FilterProblem[]): FilterNode {
  if (depth > MAX_FILTER_DEPTH) {
    problems.push({ path: pointer(at), message: `nests filters ${depth} deep, over the limit of ${MAX_FILTER_DEPTH}` });
    return { kind: 'and', of: [] };
  }
  const of: FilterNode[] = [];
  for (const [key, value] of Object.entries(obj)) {
    const here = [...at, key];
    if (key.startsWith('$')) {
      if (key === '$and' || key === '$or') {
        if (!Array.isArray(value) || value.length === 0) {
          problems.push({ path: pointer(here), message: `must be a non-empty array of filters, not ${Array.isArray(value) ? 'an empty array' : kindOf(value)}` });
          continue;
        }
        const parts: FilterNode[] = [];
        value.forEach((item, i) => {
          if (isObject(item)) parts.push(filterObject(item, [...here, String(i)], prefix, depth + 1, problems));
          else problems.push({ path: pointer([...here, String(i)]), message: `must be a filter object, not ${kindOf(item)}` });
        });
        of.push({ kind: key === '$and' ? 'and' : 'or', of: parts });
      } else if (key === '$not') {
        if (isObject(value)) of.push({ kind: 'not', of: filterObject(value, here, prefix, depth + 1, problems) });
        else problems.push({ path: pointer(here), message: `must be a filter object, not ${kindOf(value)}` });
      } else {
        const hint = (FIELD_OPERATORS as readonly string[]).includes(key) ? `${key} compares a field, as in {"<path>": {"${key}": ...}}; here` : `${key} is not an operator here;`;
        problems.push({ path: pointer(here), message: `${hint} a filter's keys are ${LOGICAL_OPERATORS.join(', ')} or ${WHERE_FIELDS}`, allowed: [...LOGICAL_OPERATORS] });
      }
      continue;
    }
    const path = [...prefix, ...key.split('.')];
    of.push(condition(path, value, here, depth, problems));
  }
  return of.length === 1 ? of[0]! : { kind: 'and', of };
}

/** What a field path must satisfy: a plain value ($eq), an object of operators, or a nested filter. */
function condition(path: string[], value: unknown, at: string[], depth: number, problems: FilterProblem[]): FilterNode {
  if (!isObject(value)) {
    const issue = pathProblem(path);
    if (issue) problems.push({ path: pointer(at), message: named(path, at, issue) });
    return { kind: 'field', path, op: '$eq', operand: value };
  }
  const keys = Object.keys(value);
  if (keys.length === 0) {
    problems.push({ path: pointer(at), message: 'is an empty object; to compare with {} write {"$eq": {}}' });
    return { kind: 'and', of: [] };
  }
  const isLogical = (k: string) => (LOGICAL_OPERATORS as readonly string[]).includes(k);
  const ops = keys.filter((k) => k.startsWith('$') && !isLogical(k));
  // Names and logical operators alone make a filter of the fields below this path.
  if (ops.length === 0) return filterObject(value, at, path, depth + 1, problems);
  if (keys.some((k) => !k.startsWith('$'))) {
    problems.push({ path: pointer(at), message: 'mixes operators and field names; put nested fields in their own object or use $and', allowed: [...FIELD_OPERATORS] });
    return { kind: 'and', of: [] };
  }
  const issue = pathProblem(path);
  if (issue) problems.push({ path: pointer(at), message: named(path, at, issue) });
  const of: FilterNode[] = [];
  for (const op of keys) {
    const here = pointer([...at, op]);
    if (!(FIELD_OPERATORS as readonly string[]).includes(op)) {
      const logical = (LOGICAL_OPERATORS as readonly string[]).includes(op);
      problems.push({
        path: here,
        message: logical
          ? `${op} combines filters and cannot stand beside the operators ${ops.join(' ')}; put both under $and`
          : `${op} is not an operator; a field takes ${FIELD_OPERATORS.join(' ')}`,
        allowed: [...FIELD_OPERATORS],
      });
      continue;
    }
    const operand = value[op];
    const bad = operandProblem(op as FieldOperator, operand);
    if (bad) problems.push({ path: here, message: bad });
    else of.push({ kind: 'field', path, op: op as FieldOperator, operand });
  }
  return of.length === 1 ? of[0]! : { kind: 'and', of };
}
