import pino from 'pino';
import { startHerald, type Herald, type StartOptions } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { freshDatabase, type Dialect, type TestDatabase } from './databases.js';

export const TEST_TOKEN = 'test-admin-token-0123456789';

export interface TestHerald {
  herald: Herald;
  db: TestDatabase;
  url: string;
  /** fetch against Herald's API with the admin token and JSON. */
  api(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<{ status: number; json: any; text: string }>;
  stop(): Promise<void>;
}

/**
 * Herald in this process, on its own fresh database, listening on a free loopback port. `start` reaches the
 * composition root's own options (e.g. the WAL flush a durability test holds).
 */
export async function startTestHerald(
  dialect: Dialect = 'sqlite',
  env: Record<string, string> = {},
  db?: TestDatabase,
  start: Omit<StartOptions, 'logger'> = {},
): Promise<TestHerald> {
  const database = db ?? (await freshDatabase(dialect));
  const config = loadConfig({
    HERALD_PORT: '0',
    HERALD_HOST: '127.0.0.1',
    HERALD_DATA_DIR: database.dataDir,
    HERALD_ADMIN_TOKEN: TEST_TOKEN,
    HERALD_ALLOW_PRIVATE_NETWORKS: 'true',
    HERALD_RETRY_SCHEDULE: '200ms,200ms,200ms',
    HERALD_LOG_LEVEL: 'silent',
    ...(database.databaseUrl ? { HERALD_DATABASE_URL: database.databaseUrl } : {}),
    ...env,
  });
  const herald = await startHerald(config, { ...start, logger: pino({ level: env.HERALD_LOG_LEVEL ?? 'silent' }) });
  const url = herald.url!;
  return {
    herald,
    db: database,
    url,
    async api(method, path, body, headers = {}) {
      const res = await fetch(url + path, {
        method,
        headers: { authorization: `Bearer ${TEST_TOKEN}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
        ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
      });
      const text = await res.text();
      let json: any = null;
      try {
        json = text ? JSON.parse(text) : null;
      } catch {
        json = null;
      }
      return { status: res.status, json, text };
    },
    async stop() {
      await herald.close();
      if (!db) await database.drop();
    },
  };
}

export async function until<T>(fn: () => Promise<T | undefined | null | false>, timeoutMs = 10_000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
