import { CompiledQuery, type Compilable, type Kysely, type RawBuilder } from 'kysely';
import type { Capabilities } from './capabilities.js';
import type { Database } from './schema.js';

// A value no caller passes, standing in for the n-th argument while the query is built once.
const slot = (n: number) => `\u0000herald.slot.${n}\u0000`;

/**
 * A query built and compiled by kysely once per database, then run with fresh arguments. Building and compiling
 * cost more than running a small indexed SQLite statement, and the hot paths run the same few shapes on every
 * request. `build` receives stand-ins for the arguments and must use each only as a bound value (never in
 * `sql.raw`, an identifier, or a value it inspects), so the compiled SQL is the same whatever they are.
 */
export function prepared<A extends unknown[], R>(build: (db: Kysely<Database>, ...args: A) => Compilable<R> | RawBuilder<R>) {
  // By adapter: a transaction shares its database's, and SQLite and PostgreSQL compile to different SQL.
  const byAdapter = new WeakMap<object, { sql: string; parameters: readonly unknown[]; slots: number[] }>();
  return async (db: Kysely<Database>, ...args: A): Promise<R[]> => {
    const adapter = db.getExecutor().adapter;
    let shape = byAdapter.get(adapter);
    if (!shape) {
      // A raw `sql` query compiles against the database it runs on; the builders ignore the argument.
      const compiled = build(db, ...(args.map((_, i) => slot(i)) as A)).compile(db);
      const slots = compiled.parameters.map((p) => args.findIndex((_, i) => p === slot(i)));
      shape = { sql: compiled.sql, parameters: compiled.parameters, slots };
      byAdapter.set(adapter, shape);
    }
    const { parameters, slots } = shape;
    const bound = parameters.map((p, i) => (slots[i]! >= 0 ? args[slots[i]!] : p));
    return (await db.executeQuery<R>(CompiledQuery.raw(shape.sql, bound))).rows;
  };
}

/**
 * A prepared query whose shape depends on the database's capabilities (an id list's form, a lock clause): one
 * prepared query per capabilities object, made on first use.
 */
export function preparedPerStore<A extends unknown[], R>(
  build: (caps: Capabilities) => (db: Kysely<Database>, ...args: A) => Compilable<R> | RawBuilder<R>,
) {
  const byCaps = new Map<Capabilities, ReturnType<typeof prepared<A, R>>>();
  return (caps: Capabilities) => {
    let run = byCaps.get(caps);
    if (!run) byCaps.set(caps, (run = prepared(build(caps))));
    return run;
  };
}
