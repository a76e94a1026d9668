/**
 * The subscription filter language: operators as Convoy and Outpost spell them, over the fields of an event.
 * A filter is a JSON object; each member is a logical operator or a field path with its condition, and all
 * members must hold. Pure definitions shared by validation and evaluation.
 */

export const LOGICAL_OPERATORS = ['$and', '$or', '$not'] as const;
export const FIELD_OPERATORS = ['$eq', '$neq', '$gt', '$gte', '$lt', '$lte', '$in', '$nin', '$exist', '$startsWith', '$endsWith'] as const;

export type LogicalOperator = (typeof LOGICAL_OPERATORS)[number];
export type FieldOperator = (typeof FIELD_OPERATORS)[number];

/** The first segment of every path: the parts of an event a filter can look at. */
export const FILTER_ROOTS = ['data', 'type', 'action', 'result', 'tenant', 'entity_ids', 'scope'] as const;
export const SCOPE_FIELDS = ['domain_id', 'project_id'] as const;

/** Bounds, so a stored filter costs little on every publish: nesting of filter objects, JSON size, JSON values. */
export const MAX_FILTER_DEPTH = 8;
export const MAX_FILTER_BYTES = 4096;
export const MAX_FILTER_NODES = 256;

export type FilterNode =
  | { kind: 'and'; of: FilterNode[] }
  | { kind: 'or'; of: FilterNode[] }
  | { kind: 'not'; of: FilterNode }
  | { kind: 'field'; path: string[]; op: FieldOperator; operand: unknown };

/** A validated filter, ready to evaluate. `text` is the filter as stored (compact JSON). */
export interface CompiledFilter {
  root: FilterNode;
  text: string;
}
