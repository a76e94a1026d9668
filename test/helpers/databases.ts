import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

/**
 * The databases a store test runs on. SQLite always; PostgreSQL when HERALD_TEST_DATABASE_URL names a server.
 * Without it the PostgreSQL cases are skipped with the reason, except under CI=true, where that is a failure.
 */
export const PG_URL = process.env.HERALD_TEST_DATABASE_URL ?? null;
export const PG_SKIP_REASON = 'HERALD_TEST_DATABASE_URL is not set: PostgreSQL cases skipped (set it to a server where new databases may be created)';

if (!PG_URL && process.env.CI === 'true') {
  throw new Error('CI=true but HERALD_TEST_DATABASE_URL is not set: the PostgreSQL half of the suite cannot run');
}

export type Dialect = 'sqlite' | 'postgres';
export const DIALECTS: Dialect[] = ['sqlite', 'postgres'];

export function skipFor(dialect: Dialect): string | false {
  return dialect === 'postgres' && !PG_URL ? PG_SKIP_REASON : false;
}

export interface TestDatabase {
  dataDir: string;
  databaseUrl: string | null;
  drop(): Promise<void>;
}

/** A fresh, empty database of its own for one test: a temp dir for SQLite, a new database for PostgreSQL. */
export async function freshDatabase(dialect: Dialect): Promise<TestDatabase> {
  const dataDir = mkdtempSync(join(tmpdir(), 'herald-test-'));
  if (dialect === 'sqlite') {
    return { dataDir, databaseUrl: null, drop: async () => rmSync(dataDir, { recursive: true, force: true }) };
  }
  if (!PG_URL) throw new Error(PG_SKIP_REASON);
  const name = `herald_t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: PG_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(PG_URL);
  url.pathname = `/${name}`;
  return {
    dataDir,
    databaseUrl: url.toString(),
    async drop() {
      rmSync(dataDir, { recursive: true, force: true });
      const c = new pg.Client({ connectionString: PG_URL });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}
