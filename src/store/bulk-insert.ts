import { CompiledQuery, type Insertable, type Transaction } from 'kysely';
import type { Capabilities } from './capabilities.js';
import type { Database } from './schema.js';

/** Rows per INSERT on SQLite: few distinct statement texts (each prepared once), few statements per batch. */
const SQLITE_ROWS_PER_INSERT = 64;

/**
 * A row as JSON text. A string with a lone surrogate (JSON.parse makes one of an escaped half pair) would be
 * written as a `\u` escape that PostgreSQL's JSON reader refuses; as a bound text parameter it became U+FFFD,
 * and so it does here.
 */
function rowJson(row: object): string {
  return JSON.stringify(row, (_key, value: unknown) => (typeof value === 'string' && !(value as WellFormed).isWellFormed() ? (value as WellFormed).toWellFormed() : value));
}

/** About how much JSON text one PostgreSQL insert carries at most (one row alone may carry more). */
const PG_JSON_BYTES = 1024 * 1024;

/** String methods of ES2024, which Node 20 has. */
type WellFormed = string & { isWellFormed(): boolean; toWellFormed(): string };

/**
 * Inserts rows that all have the same keys. With `skipExisting`, a row whose key is already stored is left as it
 * is (ON CONFLICT DO NOTHING), so a write run again after a commit of unknown outcome adds nothing twice. Neither
 * database's statement is built value by value in the query builder, whose per-value work cost more than the
 * database's own for the worker's and publisher's batches: SQLite takes plain multi-row VALUES written here,
 * PostgreSQL the whole batch as one JSON parameter (one round trip, whatever its size).
 */
export async function bulkInsert<T extends keyof Database & string>(
  trx: Transaction<Database>,
  caps: Capabilities,
  table: T,
  rows: Insertable<Database[T]>[],
  { skipExisting = false }: { skipExisting?: boolean } = {},
): Promise<void> {
  const first = rows[0];
  if (!first) return;
  const columns = Object.keys(first) as (keyof typeof first & string)[];
  if (caps.dialect !== 'sqlite') {
    // One statement and one parameter whatever the batch's size: the rows travel as JSON and the server reads
    // them into the table's own row type, so each value gets its column's type by name.
    const list = columns.map((c) => `"${c}"`).join(', ');
    const conflict = skipExisting ? ' on conflict do nothing' : '';
    const statement = `insert into "${table}" (${list}) select ${list} from json_populate_recordset(null::"${table}", $1::json)${conflict}`;
    // In parts of about PG_JSON_BYTES, so a batch of large events never needs one huge string (and its encoded
    // copy) on a heap that also holds the request they came in.
    let part: string[] = [];
    let bytes = 0;
    for (const row of rows) {
      const json = rowJson(row);
      part.push(json);
      bytes += json.length;
      if (bytes >= PG_JSON_BYTES) {
        await trx.executeQuery(CompiledQuery.raw(statement, [`[${part.join(',')}]`]));
        part = [];
        bytes = 0;
      }
    }
    if (part.length > 0) await trx.executeQuery(CompiledQuery.raw(statement, [`[${part.join(',')}]`]));
    return;
  }
  const head = `insert into "${table}" (${columns.map((c) => `"${c}"`).join(', ')}) values `;
  const tuple = `(${columns.map(() => '?').join(', ')})`;
  const tail = skipExisting ? ' on conflict do nothing' : '';
  for (let i = 0; i < rows.length; i += SQLITE_ROWS_PER_INSERT) {
    const part = rows.slice(i, i + SQLITE_ROWS_PER_INSERT);
    const params: unknown[] = [];
    for (const r of part) for (const c of columns) params.push(r[c] ?? null);
    await trx.executeQuery(CompiledQuery.raw(head + part.map(() => tuple).join(', ') + tail, params));
  }
}
