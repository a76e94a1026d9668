import { CompiledQuery, type Insertable, type Transaction } from 'kysely';
import type { Capabilities } from './capabilities.js';
import type { Database } from './schema.js';

/** Rows per INSERT on SQLite: few distinct statement texts (each prepared once), few statements per batch. */
const SQLITE_ROWS_PER_INSERT = 64;

/**
 * Inserts rows that all have the same keys. With `skipExisting`, a row whose key is already stored is left as it
 * is (ON CONFLICT DO NOTHING), so a write run again after a commit of unknown outcome adds nothing twice. On SQLite the statement is plain multi-row VALUES written here,
 * not built value by value in the query builder, whose per-value work cost more than SQLite's own for the
 * worker's and publisher's batches. PostgreSQL goes through the builder in chunks under its parameter limit.
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
    const perChunk = Math.max(1, Math.floor(caps.maxParameters / columns.length));
    for (let i = 0; i < rows.length; i += perChunk) {
      const insert = trx.insertInto(table).values(rows.slice(i, i + perChunk) as never);
      await (skipExisting ? insert.onConflict((oc) => oc.doNothing()) : insert).execute();
    }
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
