import { Command } from 'commander';
import { ConfigError, loadConfig } from '../config.js';

/** Exit code for a configuration error (sysexits EX_CONFIG), as `npm start` uses. */
const EX_CONFIG = 78;

function configError(e: unknown): never {
  if (e instanceof ConfigError || (e instanceof Error && /^HERALD_[A-Z_]+/.test(e.message))) {
    process.stderr.write(`herald: configuration error: ${e.message}\n`);
    process.exit(EX_CONFIG);
  }
  throw e;
}

export function serveCommand(): Command {
  return new Command('serve').description('run Herald (API and dispatcher per HERALD_ROLE), configured from HERALD_* variables').action(async () => {
    // The server's modules load only here: API commands start fast without fastify, kysely and the drivers.
    const { startHerald } = await import('../app.js');
    let herald;
    try {
      herald = await startHerald(loadConfig());
    } catch (e) {
      configError(e);
    }
    let stopping = false;
    const stop = (signal: string) => {
      if (stopping) return;
      stopping = true;
      herald.ctx.log.info({ signal }, 'stopping: no new work; finishing in-flight deliveries');
      herald.close().then(
        () => process.exit(0),
        (e: unknown) => {
          herald.ctx.log.error({ err: e }, 'shutdown failed');
          process.exit(1);
        },
      );
    };
    process.on('SIGTERM', () => stop('SIGTERM'));
    process.on('SIGINT', () => stop('SIGINT'));
  });
}

export function migrateCommand(): Command {
  return new Command('migrate').description('bring the database up to date (opening the store runs pending migrations), then exit').action(async () => {
    let config;
    try {
      config = loadConfig();
    } catch (e) {
      configError(e);
    }
    const { openStore } = await import('../store/database.js');
    const store = await openStore({ dataDir: config.dataDir, databaseUrl: config.databaseUrl });
    await store.close();
    const where = config.databaseUrl ? 'PostgreSQL (HERALD_DATABASE_URL)' : `SQLite in ${config.dataDir}`;
    process.stdout.write(`migrations applied: ${where} is up to date\n`);
  });
}
