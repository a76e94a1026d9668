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
  onCheckpointFailure = () => {},
  walFlush,
  onWalSyncFailure,
}: OpenStoreOptions): Promise<Store> {
  if (databaseUrl) {
    const pool = new pg.Pool({ connectionString: databaseUrl, max: poolSize, connectionTimeoutMillis: 5000 });
    // An idle client that loses its server emits 'error'; without a listener that would crash the process.
    pool.on('error', () => {});
    // A client in use when the server goes away (a restart sends 57P01 between queries) emits 'error' too; the
    // query in progress already fails with it, and pg-pool drops the broken client when it is released.
    pool.on('connect', (client) => client.on('error', () => {}));
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    await migrate(db, postgresCapabilities);
    return { db, caps: postgresCapabilities, pgPool: pool, databaseUrl, durable: () => Promise.resolve(), close: () => db.destroy() };
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
  return { db, caps: sqliteCapabilities, pgPool: null, databaseUrl: null, durable: wal.sync, close };
}

export async function storeReachable(store: Store): Promise<boolean> {
  try {
    await sql`select 1`.execute(store.db);
    return true;
  } catch {
    return false;
  }
}
