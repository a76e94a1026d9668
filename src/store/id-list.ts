import { sql, type RawBuilder } from 'kysely';
import type { Capabilities } from './capabilities.js';

/**
 * `column IN (ids)` with the whole list bound as one parameter. The worker's batches (claimed messages, recorded
 * outcomes, renewed leases) vary in length every time; as one parameter the statement text stays the same, so it
 * is built and prepared once instead of once per length, with no per-value work in the query builder.
 */
export function inIds(caps: Capabilities, column: string, ids: readonly string[]): RawBuilder<boolean> {
  if (caps.idListParam === 'json-each') return sql<boolean>`${sql.ref(column)} in (select value from json_each(${JSON.stringify(ids)}))`;
  return sql<boolean>`${sql.ref(column)} = any(${[...ids]}::text[])`;
}
