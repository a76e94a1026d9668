import { Command } from 'commander';
import { exitOnConfigError as configError, loadConfig } from '../config.js';

export function serveCommand(): Command {
  return new Command('serve').description('run Herald (API and dispatcher per HERALD_ROLE), configured from HERALD_* variables').action(async () => {
    // The server's modules load only here: API commands start fast without fastify, kysely and the drivers.
    const { serveFromEnv } = await import('../serve.js');
    await serveFromEnv();
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
    const { explainStoreFailure } = await import('../startup-failure.js');
    const store = await openStore({ dataDir: config.dataDir, databaseUrl: config.databaseUrl }).catch((e: unknown) => configError(explainStoreFailure(e, config)));
    await store.close();
    const where = config.databaseUrl ? 'PostgreSQL (HERALD_DATABASE_URL)' : `SQLite in ${config.dataDir}`;
    process.stdout.write(`migrations applied: ${where} is up to date\n`);
  });
}
