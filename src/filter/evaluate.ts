import { JsonNumber } from '../util/lossless-json.js';
import { compareNumberTexts } from './exact-number.js';
import type { CompiledFilter, FilterNode } from './language.js';

/**
 * What a filter looks at: the event's fields, with `data` read losslessly (numbers as JsonNumber), so numbers
 * compare exactly. Absent scope ids are left out, so `$exist: false` sees them as missing.
 */
export interface FilterDocument {
  type: string;
  action: string;
  result: string;
  tenant: string;
  entity_ids: string[];
  scope: { domain_id?: string; project_id?: string };
  data: unknown;
}

export function filterDocument(ev: {
  type: string;
  action: string;
  result: string;
  tenant: string;
  entityIds: string[];
  domainId: string | null;
  projectId: string | null;
  data: unknown;
}): FilterDocument {
  return {
    type: ev.type,
    action: ev.action,
    result: ev.result,
    tenant: ev.tenant,
    entity_ids: ev.entityIds,
    scope: { ...(ev.domainId !== null ? { domain_id: ev.domainId } : {}), ...(ev.projectId !== null ? { project_id: ev.projectId } : {}) },
    data: ev.data,
  };
}

const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v) && !(v instanceof JsonNumber);

/**
 * The values a path reaches. Through an array, a name segment looks into every element (so `data.items.sku`
 * reaches each item's sku) and a number segment picks one element.
 */
function reach(value: unknown, path: string[], i: number, out: unknown[]): void {
  if (i === path.length) {
    out.push(value);
    return;
  }
  const seg = path[i]!;
  if (Array.isArray(value)) {
    if (/^\d+$/.test(seg)) {
      const n = Number(seg);
      if (n < value.length) reach(value[n], path, i + 1, out);
    } else for (const item of value) reach(item, path, i, out);
  } else if (isRecord(value) && Object.hasOwn(value, seg)) reach(value[seg], path, i + 1, out);
}

/** Values reached, and for each array among them its elements too: an array matches if any element does. */
function candidates(reached: unknown[]): unknown[] {
  const out: unknown[] = [];
  for (const v of reached) {
    out.push(v);
    if (Array.isArray(v)) out.push(...v);
  }
  return out;
}

/** Deep equality, numbers by value exactly (1.50 equals 1.5; 2^53+1 does not equal 2^53). */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a instanceof JsonNumber || b instanceof JsonNumber) return a instanceof JsonNumber && b instanceof JsonNumber && compareNumberTexts(a.text, b.text) === 0;
  if (Array.isArray(a) || Array.isArray(b)) return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, i) => jsonEqual(x, b[i]));
  if (isRecord(a) && isRecord(b)) {
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((k) => Object.hasOwn(b, k) && jsonEqual(a[k], b[k]));
  }
  return a === b;
}

/** Order of two numbers (exact) or two strings (by UTF-16 code units); null for anything else. */
function order(a: unknown, b: unknown): number | null {
  if (a instanceof JsonNumber && b instanceof JsonNumber) return compareNumberTexts(a.text, b.text);
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  return null;
}

function field(node: Extract<FilterNode, { kind: 'field' }>, doc: FilterDocument): boolean {
  const reached: unknown[] = [];
  reach(doc, node.path, 0, reached);
  const values = candidates(reached);
  const x = node.operand;
  const ordered = (test: (c: number) => boolean) =>
    values.some((v) => {
      const c = order(v, x);
      return c !== null && test(c);
    });
  switch (node.op) {
    case '$eq':
      return values.some((v) => jsonEqual(v, x));
    case '$neq':
      return !values.some((v) => jsonEqual(v, x));
    case '$gt':
      return ordered((c) => c > 0);
    case '$gte':
      return ordered((c) => c >= 0);
    case '$lt':
      return ordered((c) => c < 0);
    case '$lte':
      return ordered((c) => c <= 0);
    case '$in':
      return values.some((v) => (x as unknown[]).some((y) => jsonEqual(v, y)));
    case '$nin':
      return !values.some((v) => (x as unknown[]).some((y) => jsonEqual(v, y)));
    case '$exist':
      return reached.length > 0 === x;
    case '$startsWith':
      return values.some((v) => typeof v === 'string' && v.startsWith(x as string));
    case '$endsWith':
      return values.some((v) => typeof v === 'string' && v.endsWith(x as string));
  }
}

function holds(node: FilterNode, doc: FilterDocument): boolean {
  switch (node.kind) {
    case 'and':
      return node.of.every((n) => holds(n, doc));
    case 'or':
      return node.of.some((n) => holds(n, doc));
    case 'not':
      return !holds(node.of, doc);
    case 'field':
      return field(node, doc);
  }
}

export function matchesFilter(filter: CompiledFilter, doc: FilterDocument): boolean {
  return holds(filter.root, doc);
}
