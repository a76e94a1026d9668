import { sql, type RawBuilder } from 'kysely';
import type { Capabilities } from './capabilities.js';

/**
 * `column IN (ids)` with the whole list bound as one parameter. The worker's batches (claimed messages, recorded
 * outcomes, renewed leases) vary in length every time; as one parameter the statement text stays the same, so it
 * is built and prepared once instead of once per length, with no per-value work in the query builder.
 */
export function inIds(caps: Capabilities, column: string, ids: readonly string[]): RawBuilder<boolean> {
  return inIdList(caps.idListParam, column, idListParam(caps, ids));
}

/** The bound value of an id list: a JSON array for json_each, an array for = ANY. */
export function idListParam(caps: Capabilities, ids: readonly string[]): unknown {
  return caps.idListParam === 'json-each' ? JSON.stringify(ids) : [...ids];
}

/** `column IN list` for a list already in its bound form (see idListParam); usable in prepared statements. */
export function inIdList(kind: Capabilities['idListParam'], column: string, list: unknown): RawBuilder<boolean> {
  if (kind === 'json-each') return sql<boolean>`${sql.ref(column)} in (select value from json_each(${list}))`;
  return sql<boolean>`${sql.ref(column)} = any(${list}::text[])`;
}
