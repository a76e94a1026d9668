import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
import { freshDatabase, PG_SKIP_REASON, PG_URL } from './helpers/databases.js';
import { freePort, runHerald } from './helpers/spawn-herald.js';

/**
 * Every way start-up can fail on what the environment points at ends the same way: one line on stderr naming
 * the variable and the cause, exit 78 (EX_CONFIG), and no stack trace unless HERALD_LOG_LEVEL=debug.
 */
function assertOneLine(run: { code: number | null; output: string }, variable: string, cause: RegExp): void {
  assert.equal(run.code, 78, run.output);
  const lines = run.output.trim().split('\n');
  assert.equal(lines.length, 1, `one line, got:\n${run.output}`);
  assert.match(lines[0]!, new RegExp(`^herald: cannot start: ${variable}: `));
  assert.match(lines[0]!, cause);
  assert.doesNotMatch(run.output, /\n\s+at /, 'no stack trace');
}

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'herald-startup-'));
}

async function listening(port: number): Promise<Server> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  return server;
}

/** On PostgreSQL nothing is written to the data dir: these runs never create it. */
const UNUSED_DIR = join(tmpdir(), 'herald-startup-unused-data-dir');

/** A database URL on the test server with its path and user replaced. */
function pgUrl(changes: { database?: string; user?: string; port?: number }): string {
  const u = new URL(PG_URL!);
  if (changes.database !== undefined) u.pathname = `/${changes.database}`;
  if (changes.user !== undefined) u.username = changes.user;
  if (changes.port !== undefined) u.port = String(changes.port);
  return u.toString();
}

describe('start-up failures on SQLite say which variable and why, in one line', () => {
  it('a data dir that cannot be created (a file is in the way) names HERALD_DATA_DIR', { timeout: 60_000 }, async () => {
    const dir = tempDir();
    try {
      writeFileSync(join(dir, 'file'), 'x');
      const run = await runHerald({ HERALD_DATA_DIR: join(dir, 'file', 'data') });
      assertOneLine(run, 'HERALD_DATA_DIR', /cannot create or write ".*file\/data": a part of the path is a file, not a directory \(ENOTDIR\)/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a generated admin token that cannot be written names HERALD_DATA_DIR', { timeout: 60_000 }, async () => {
    const dir = tempDir();
    try {
      // The token's file name is taken by a directory: the database opens, the token cannot be saved.
      mkdirSync(join(dir, 'admin-token'));
      const run = await runHerald({ HERALD_DATA_DIR: dir, HERALD_ADMIN_TOKEN: '' });
      assertOneLine(run, 'HERALD_DATA_DIR', /cannot create or write ".*": .*EISDIR/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a herald.db that is not a database names HERALD_DATA_DIR and the file', { timeout: 60_000 }, async () => {
    const dir = tempDir();
    try {
      writeFileSync(join(dir, 'herald.db'), 'this is not an SQLite file, but it is long enough to have a header'.repeat(20));
      const run = await runHerald({ HERALD_DATA_DIR: dir });
      assertOneLine(run, 'HERALD_DATA_DIR', /herald\.db" is not a usable SQLite database: .*SQLITE_NOTADB/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a migration that fails names HERALD_DATA_DIR, the migration and the database error', { timeout: 60_000 }, async () => {
    const dir = tempDir();
    try {
      const file = new BetterSqlite3(join(dir, 'herald.db'));
      file.exec('create table endpoints (something_else integer)');
      file.close();
      const run = await runHerald({ HERALD_DATA_DIR: dir });
      assertOneLine(run, 'HERALD_DATA_DIR', /migration 001-initial failed in ".*herald\.db": table "?endpoints"? already exists/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a port in use names HERALD_PORT', { timeout: 60_000 }, async () => {
    const dir = tempDir();
    const port = await freePort();
    const taken = await listening(port);
    try {
      const run = await runHerald({ HERALD_DATA_DIR: dir, HERALD_PORT: String(port) });
      assertOneLine(run, 'HERALD_PORT', new RegExp(`${port} is already in use on 127\\.0\\.0\\.1`));
    } finally {
      taken.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a host that is not an address of this machine names HERALD_HOST', { timeout: 60_000 }, async () => {
    const dir = tempDir();
    try {
      // An address of the documentation ranges that this machine does not have (sandboxes sometimes use them).
      const local = new Set(Object.values(networkInterfaces()).flatMap((list) => (list ?? []).map((a) => a.address)));
      const host = ['203.0.113.77', '198.51.100.77', '192.0.2.77'].find((a) => !local.has(a))!;
      const run = await runHerald({ HERALD_DATA_DIR: dir, HERALD_HOST: host });
      assertOneLine(run, 'HERALD_HOST', new RegExp(`"${host.replaceAll('.', '\\.')}" is not an address of this machine \\(EADDRNOTAVAIL\\)`));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('HERALD_LOG_LEVEL=debug adds the stack trace and its causes after the line', { timeout: 60_000 }, async () => {
    const dir = tempDir();
    try {
      writeFileSync(join(dir, 'file'), 'x');
      const run = await runHerald({ HERALD_DATA_DIR: join(dir, 'file', 'data'), HERALD_LOG_LEVEL: 'debug' });
      assert.equal(run.code, 78, run.output);
      const lines = run.output.trim().split('\n');
      assert.match(lines[0]!, /^herald: cannot start: HERALD_DATA_DIR: /);
      assert.ok(lines.length > 2, run.output);
      assert.match(run.output, /\n\s+at /);
      assert.match(run.output, /caused by: Error: ENOTDIR/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('start-up failures on PostgreSQL say which variable and why, in one line', { skip: PG_URL ? false : PG_SKIP_REASON }, () => {
  it('a database that does not exist names HERALD_DATABASE_URL and the database', { timeout: 60_000 }, async () => {
    const run = await runHerald({ HERALD_DATA_DIR: UNUSED_DIR, HERALD_DATABASE_URL: pgUrl({ database: 'herald_no_such_database' }) });
    assertOneLine(run, 'HERALD_DATABASE_URL', /database "herald_no_such_database" does not exist on 127\.0\.0\.1:\d+ \(create it/);
  });

  it('a server that is not there names HERALD_DATABASE_URL and the address', { timeout: 60_000 }, async () => {
    const port = await freePort();
    const run = await runHerald({ HERALD_DATA_DIR: UNUSED_DIR, HERALD_DATABASE_URL: pgUrl({ port }) });
    assertOneLine(run, 'HERALD_DATABASE_URL', new RegExp(`cannot reach PostgreSQL at 127\\.0\\.0\\.1:${port}: connection refused`));
  });

  it('credentials the server refuses name HERALD_DATABASE_URL and the user, never the password', { timeout: 60_000 }, async () => {
    const run = await runHerald({ HERALD_DATA_DIR: UNUSED_DIR, HERALD_DATABASE_URL: pgUrl({ user: 'herald_no_such_role' }).replace('herald_no_such_role@', 'herald_no_such_role:hunter2-password@') });
    assertOneLine(run, 'HERALD_DATABASE_URL', /refused user "herald_no_such_role": role "herald_no_such_role" does not exist/);
    assert.doesNotMatch(run.output, /hunter2/);
  });

  it('a migration that fails names HERALD_DATABASE_URL, the migration and the database error', { timeout: 60_000 }, async () => {
    const db = await freshDatabase('postgres');
    try {
      const c = new pg.Client({ connectionString: db.databaseUrl! });
      await c.connect();
      await c.query('create table endpoints (something_else integer)');
      await c.end();
      const run = await runHerald({ HERALD_DATA_DIR: db.dataDir, HERALD_DATABASE_URL: db.databaseUrl! });
      assertOneLine(run, 'HERALD_DATABASE_URL', /migration 001-initial failed on database "herald_t_\w+" at 127\.0\.0\.1:\d+: relation "endpoints" already exists/);
    } finally {
      await db.drop();
    }
  });
});
