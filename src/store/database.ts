import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect, sql } from 'kysely';
import pg from 'pg';
import { postgresCapabilities, sqliteCapabilities, type Capabilities } from './capabilities.js';
import { migrate } from './migrations/index.js';
import { cachingStatements } from './statement-cache.js';
import { makeWalSync, type Flush } from './wal-sync.js';
import { FALLBACK_AUTOCHECKPOINT_PAGES, startCheckpointer } from './checkpointer.js';
import type { Database } from './schema.js';

// bigint columns hold millisecond times, far below 2^53: read them back as numbers, not strings.
pg.types.setTypeParser(20, (v) => Number(v));

export type Db = Kysely<Database>;

export interface Store {
  db: Db;
  /**
   * Where the worker's bookkeeping writes (see relaxed-transaction.ts). PostgreSQL: a small pool of its own whose
   * sessions run with synchronous_commit off, so a one-statement write is one round trip with no BEGIN, SET or
   * COMMIT. SQLite: `db`, the one connection.
   */
  relaxedDb: Db;
  caps: Capabilities;
  /** PostgreSQL only: a pool the LISTEN connection and health checks can borrow from. */
  pgPool: pg.Pool | null;
  databaseUrl: string | null;
  /**
   * Resolves once every commit made before the call is on disk. PostgreSQL's commits already are; on SQLite,
   * transactions committed at `synchronous = NORMAL` (see commitNowSyncLater) become durable here.
   */
  durable(): Promise<void>;
  close(): Promise<void>;
}

export interface OpenStoreOptions {
  dataDir: string;
  databaseUrl: string | null;
  poolSize?: number;
  /** PostgreSQL: connections of the relaxed pool (see Store.relaxedDb), on top of `poolSize`. */
  relaxedPoolSize?: number;
  /** Told when SQLite's checkpoint thread fails (the writing connection then checkpoints by itself, later). */
  onCheckpointFailure?: (error: string) => void;
  /** SQLite: how the WAL is put on disk (fdatasync); replaceable so a test can hold or fail the flush. */
  walFlush?: Flush;
  /**
   * SQLite: told once when the WAL could not be put on disk. Commits since the last good flush may be lost and
   * no later flush can vouch for them, so the owner is expected to stop the process (see wal-sync.ts).
   */
  onWalSyncFailure?: (error: Error) => void;
}

export async function openStore({
  dataDir,
  databaseUrl,
  poolSize = 10,
  relaxedPoolSize = 4,
  onCheckpointFailure = () => {},
  walFlush,
  onWalSyncFailure,
}: OpenStoreOptions): Promise<Store> {
  if (databaseUrl) {
    const pool = pgPool({ connectionString: databaseUrl, max: poolSize });
    // Set at connection start-up, not by a SET once connected: a startup option belongs to this client session
    // alone, while a SET sent through a transaction-mode pooler would stay on a server connection that later
    // serves the durable pool's publishes.
    const relaxedPool = pgPool({ ...withStartupOption(databaseUrl, '-c synchronous_commit=off'), max: relaxedPoolSize });
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    const relaxedDb = new Kysely<Database>({ dialect: new PostgresDialect({ pool: relaxedPool }) });
    try {
      await migrate(db, postgresCapabilities);
    } catch (e) {
      await Promise.all([db.destroy(), relaxedDb.destroy()]);
      throw e;
    }
    const close = async () => {
      await Promise.all([db.destroy(), relaxedDb.destroy()]);
    };
    return { db, relaxedDb, caps: postgresCapabilities, pgPool: pool, databaseUrl, durable: () => Promise.resolve(), close };
  }
  mkdirSync(dataDir, { recursive: true });
  const path = join(dataDir, 'herald.db');
  const file = new BetterSqlite3(path);
  file.pragma('journal_mode = WAL');
  // FULL makes every commit fsync the WAL: a 2xx means what was written survives a crash. The busy write paths
  // (publishing, callbacks) commit at NORMAL instead and sync the WAL off the event loop (commitNowSyncLater).
  file.pragma('synchronous = FULL');
  file.pragma('busy_timeout = 5000');
  file.pragma('foreign_keys = ON');
  // Checkpoints run on their own thread (checkpointer.ts); this connection only does one if that thread lags far.
  file.pragma(`wal_autocheckpoint = ${FALLBACK_AUTOCHECKPOINT_PAGES}`);
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: cachingStatements(file) }) });
  await migrate(db, sqliteCapabilities);
  const checkpointer = startCheckpointer(path, onCheckpointFailure);
  const wal = makeWalSync(`${path}-wal`, walFlush, onWalSyncFailure);
  const close = async () => {
    await checkpointer.close();
    await db.destroy();
    wal.close();
  };
  return { db, relaxedDb: db, caps: sqliteCapabilities, pgPool: null, databaseUrl: null, durable: wal.sync, close };
}

function pgPool(config: pg.PoolConfig): pg.Pool {
  const pool = new pg.Pool({ connectionTimeoutMillis: 5000, ...config });
  // An idle client that loses its server emits 'error'; without a listener that would crash the process.
  pool.on('error', () => {});
  // A client in use when the server goes away (a restart sends 57P01 between queries) emits 'error' too; the
  // query in progress already fails with it, and pg-pool drops the broken client when it is released.
  pool.on('connect', (client) => client.on('error', () => {}));
  return pool;
}

/**
 * Connection settings whose sessions start with `option` (a `-c name=value` startup option). pg lets a
 * connection string's own parameters override the settings beside it, so when the operator's URL carries
 * `options` already, the option joins them there. A string that cannot be read as a URL (pg reads it its own
 * way) keeps only its own options, if any: those sessions are then durable, slower but never less safe.
 */
export function withStartupOption(databaseUrl: string, option: string): pg.PoolConfig {
  let url: URL | null = null;
  try {
    url = new URL(databaseUrl);
  } catch {
    url = null;
  }
  const own = url?.searchParams.get('options');
  if (!url || !own) return { connectionString: databaseUrl, options: option };
  url.searchParams.set('options', `${own} ${option}`);
  return { connectionString: url.toString() };
}

export async function storeReachable(store: Store): Promise<boolean> {
  try {
    await sql`select 1`.execute(store.db);
    return true;
  } catch {
    return false;
  }
}
