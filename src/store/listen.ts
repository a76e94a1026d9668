import pg from 'pg';
import type { Logger } from 'pino';

/**
 * Holds one PostgreSQL connection LISTENing on `channel` and calls `onNotify` for each notification, so idle
 * workers in any process wake as soon as work is committed. Reconnects after a loss; polling covers the gap.
 */
export function listenForWork(databaseUrl: string, channel: string, onNotify: () => void, log: Logger) {
  let client: pg.Client | null = null;
  let stopped = false;
  let retry: NodeJS.Timeout | null = null;

  async function connect(): Promise<void> {
    if (stopped) return;
    const c = new pg.Client({ connectionString: databaseUrl });
    c.on('notification', () => onNotify());
    c.on('error', () => reconnect());
    c.on('end', () => reconnect());
    try {
      await c.connect();
      await c.query(`LISTEN ${channel}`);
      client = c;
      onNotify();
    } catch (e) {
      log.warn({ err: e }, 'LISTEN connection failed; polling until it is back');
      c.removeAllListeners('end');
      void c.end().catch(() => {});
      reconnect();
    }
  }

  function reconnect(): void {
    if (stopped || retry) return;
    client = null;
    retry = setTimeout(() => {
      retry = null;
      void connect();
    }, 1000);
  }

  void connect();
  return {
    async close(): Promise<void> {
      stopped = true;
      if (retry) clearTimeout(retry);
      const c = client;
      client = null;
      if (c) {
        c.removeAllListeners('end');
        await c.end().catch(() => {});
      }
    },
  };
}
