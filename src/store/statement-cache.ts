import type BetterSqlite3 from 'better-sqlite3';
import type { SqliteDatabase } from 'kysely';

/**
 * The slice of better-sqlite3 kysely uses, with prepared statements kept by SQL text. Kysely prepares every
 * query afresh, and preparing costs as much as running a small indexed statement; Herald's queries repeat,
 * so most are prepared once. Bounded, so SQL that varies (IN lists of many lengths) cannot grow it forever.
 * Safe because kysely runs one statement at a time on this connection and Herald never streams results.
 */
export function cachingStatements(file: BetterSqlite3.Database, max = 500): SqliteDatabase {
  const cache = new Map<string, BetterSqlite3.Statement>();
  return {
    close: () => {
      cache.clear();
      file.close();
    },
    prepare(sql: string) {
      let stmt = cache.get(sql);
      if (stmt) {
        // Re-inserted so the Map's order is least recently used first.
        cache.delete(sql);
      } else {
        stmt = file.prepare(sql);
        if (cache.size >= max) cache.delete(cache.keys().next().value!);
      }
      cache.set(sql, stmt);
      return stmt;
    },
  };
}
