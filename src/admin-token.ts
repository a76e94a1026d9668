import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Store } from './store/database.js';

export interface AdminToken {
  token: string;
  /** True for the one process that made it: that process shows it, once. */
  generated: boolean;
  /** Where it is kept, for the line that shows it. */
  keptIn: string;
  /** A token file in the data dir that differs from the one the database holds (it is not used). */
  ignoredFile?: string;
}

const SETTING = 'admin_token';

function newToken(): string {
  return `hrld_${randomBytes(24).toString('base64url')}`;
}

function readFile(file: string): string | null {
  if (!existsSync(file)) return null;
  const token = readFileSync(file, 'utf8').trim();
  return token === '' ? null : token;
}

/**
 * The admin token: HERALD_ADMIN_TOKEN when set. Otherwise it is generated on first start and kept where every
 * process that shares the store finds it: on PostgreSQL in the database (the first process to start writes it
 * and the others read it, so api processes with their own data dirs accept the same token; a token file left in
 * the data dir by an earlier version is adopted if the database has none yet); on SQLite in the data dir beside
 * the database file, readable by the owner only.
 */
export async function resolveAdminToken(configured: string | null, dataDir: string, store: Store): Promise<AdminToken> {
  if (configured) return { token: configured, generated: false, keptIn: 'HERALD_ADMIN_TOKEN' };
  const file = join(dataDir, 'admin-token');
  if (store.caps.dialect === 'postgres') {
    const local = readFile(file);
    const candidate = local ?? newToken();
    await store.db
      .insertInto('settings')
      .values({ key: SETTING, value: candidate })
      .onConflict((oc) => oc.column('key').doNothing())
      .execute();
    // Processes starting at the same moment each offer a token; the one the database kept is everyone's.
    const row = await store.db.selectFrom('settings').select('value').where('key', '=', SETTING).executeTakeFirstOrThrow();
    const generated = row.value === candidate && local === null;
    return {
      token: row.value,
      generated,
      keptIn: 'the database (settings.admin_token)',
      ...(local !== null && local !== row.value ? { ignoredFile: file } : {}),
    };
  }
  const existing = readFile(file);
  if (existing !== null) return { token: existing, generated: false, keptIn: file };
  mkdirSync(dataDir, { recursive: true });
  const token = newToken();
  writeFileSync(file, `${token}\n`, { mode: 0o600 });
  return { token, generated: true, keptIn: file };
}
