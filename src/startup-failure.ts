import { join } from 'node:path';
import { StartupError } from './config.js';
import { MigrationError } from './store/migrations/index.js';

/**
 * Start-up failures said as an operator would want them: which variable points at the problem and what the
 * problem is, in one line, instead of a driver's stack trace. Each function takes the error a step threw and
 * returns a StartupError naming the variable (the original error stays as its cause, for HERALD_LOG_LEVEL=debug).
 */

interface Coded {
  code?: string;
  message?: string;
  errno?: number;
  errors?: unknown[];
  cause?: unknown;
}

/** The first error in a chain (cause, AggregateError members) that carries a code. */
function codedError(e: unknown): Coded | null {
  const seen = new Set<unknown>();
  const queue: unknown[] = [e];
  while (queue.length > 0) {
    const c = queue.shift();
    if (c === null || typeof c !== 'object' || seen.has(c)) continue;
    seen.add(c);
    const coded = c as Coded;
    if (typeof coded.code === 'string' && coded.code !== '') return coded;
    if (Array.isArray(coded.errors)) queue.push(...coded.errors);
    if (coded.cause !== undefined) queue.push(coded.cause);
  }
  return null;
}

function messageOf(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)).split('\n')[0]!;
}

/** Where a database URL points, without its password. */
function pgTarget(databaseUrl: string): { where: string; user: string; database: string; host: string; port: string } {
  try {
    const u = new URL(databaseUrl);
    const host = u.hostname || 'localhost';
    const port = u.port || '5432';
    const database = decodeURIComponent(u.pathname.replace(/^\//, '')) || decodeURIComponent(u.username) || 'postgres';
    const user = decodeURIComponent(u.username) || process.env.PGUSER || 'the default user';
    return { where: `${host}:${port}`, user, database, host, port };
  } catch {
    return { where: 'the server in it', user: 'its user', database: 'its database', host: '?', port: '?' };
  }
}

const NETWORK_CAUSES: Record<string, string> = {
  ECONNREFUSED: 'connection refused: is PostgreSQL running there, and are the host and port right?',
  ECONNRESET: 'the connection was reset',
  ETIMEDOUT: 'the connection timed out',
  EHOSTUNREACH: 'no route to the host',
  ENETUNREACH: 'the network is unreachable',
  ENOTFOUND: 'the host name does not resolve',
  EAI_AGAIN: 'the host name could not be resolved (DNS did not answer)',
};

const FS_CAUSES: Record<string, string> = {
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'the file system is read-only',
  ENOTDIR: 'a part of the path is a file, not a directory',
  EEXIST: 'a file with that name is in the way',
  EISDIR: 'a directory is where a file should be',
  ENOSPC: 'the disk is full',
  EDQUOT: 'the disk quota is exhausted',
};

function pgFailure(e: unknown, databaseUrl: string): StartupError {
  const t = pgTarget(databaseUrl);
  const migration = e instanceof MigrationError ? e.migration : null;
  const c = codedError(e);
  const code = c?.code ?? '';
  const say = (message: string) => new StartupError('HERALD_DATABASE_URL', message, e);
  if (code === '3D000') return say(`database "${t.database}" does not exist on ${t.where} (create it, e.g. createdb -h ${t.host} -p ${t.port} ${t.database})`);
  if (code === '28P01') return say(`password authentication failed for user "${t.user}" on ${t.where}`);
  if (code === '28000') return say(`${t.where} refused user "${t.user}": ${messageOf(c)}`);
  if (NETWORK_CAUSES[code]) return say(`cannot reach PostgreSQL at ${t.where}: ${NETWORK_CAUSES[code]}`);
  if (/timeout|timed out/i.test(messageOf(e)) || /timeout|timed out/i.test(messageOf(c))) return say(`no answer from PostgreSQL at ${t.where} within the connection timeout`);
  const detail = messageOf(c ?? (e instanceof MigrationError ? e.cause : e));
  if (migration) return say(`migration ${migration} failed on database "${t.database}" at ${t.where}: ${detail}`);
  return say(`cannot use database "${t.database}" at ${t.where}: ${detail}${/^[0-9A-Z]{5}$/.test(code) ? ` (SQLSTATE ${code})` : ''}`);
}

function sqliteFailure(e: unknown, dataDir: string): StartupError {
  const file = join(dataDir, 'herald.db');
  const c = codedError(e);
  const code = c?.code ?? '';
  const say = (message: string) => new StartupError('HERALD_DATA_DIR', message, e);
  if (FS_CAUSES[code]) return say(`cannot create or write "${dataDir}": ${FS_CAUSES[code]} (${code})`);
  if (/^SQLITE_(CANTOPEN|READONLY|PERM|AUTH)/.test(code)) return say(`cannot open "${file}" for writing: ${messageOf(c)} (${code})`);
  if (/^SQLITE_(NOTADB|CORRUPT)/.test(code)) return say(`"${file}" is not a usable SQLite database: ${messageOf(c)} (${code})`);
  if (/^SQLITE_(FULL|IOERR)/.test(code)) return say(`cannot write "${file}": ${messageOf(c)} (${code})`);
  if (e instanceof MigrationError) return say(`migration ${e.migration} failed in "${file}": ${messageOf(e.cause)}`);
  return say(`cannot open the SQLite database "${file}": ${messageOf(c ?? e)}`);
}

/** Opening the store failed: its database, its credentials, its migrations, or the data dir SQLite lives in. */
export function explainStoreFailure(e: unknown, where: { databaseUrl: string | null; dataDir: string }): StartupError {
  if (e instanceof StartupError) return e;
  return where.databaseUrl ? pgFailure(e, where.databaseUrl) : sqliteFailure(e, where.dataDir);
}

/** A file Herald keeps in the data dir (the generated admin token) could not be written or read. */
export function explainDataDirFailure(e: unknown, dataDir: string): StartupError {
  if (e instanceof StartupError) return e;
  const c = codedError(e);
  const cause = (c?.code && FS_CAUSES[c.code]) ?? messageOf(c ?? e);
  return new StartupError('HERALD_DATA_DIR', `cannot create or write "${dataDir}": ${cause}${c?.code ? ` (${c.code})` : ''}`, e);
}

/** The HTTP listener could not bind: the port is taken or privileged, or the host is not an address of this machine. */
export function explainListenFailure(e: unknown, where: { host: string; port: number }): StartupError {
  if (e instanceof StartupError) return e;
  const c = codedError(e);
  const code = c?.code ?? '';
  const at = `${where.host}:${where.port}`;
  if (code === 'EADDRINUSE') return new StartupError('HERALD_PORT', `${where.port} is already in use on ${where.host} (another Herald, or another program, listens on ${at}): stop it or choose another port`, e);
  if (code === 'EACCES' || code === 'EPERM') return new StartupError('HERALD_PORT', `${where.port} needs privileges this process lacks: choose a port above 1023`, e);
  if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EAFNOSUPPORT') {
    return new StartupError('HERALD_HOST', `"${where.host}" is not an address of this machine (${code}): use 127.0.0.1, 0.0.0.0 (every interface) or one of its own addresses`, e);
  }
  return new StartupError('HERALD_PORT', `cannot listen on ${at}: ${messageOf(c ?? e)}`, e);
}
