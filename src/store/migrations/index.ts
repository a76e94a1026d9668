import { Migrator, type Kysely, type Migration, type MigrationProvider } from 'kysely';
import type { Capabilities } from '../capabilities.js';
import { initial } from './001-initial.js';
import { incomingDigestIndex } from './002-incoming.js';
import { uniqueAttemptNumbers } from './003-attempt-numbers.js';
import { ageIndexes } from './006-age-indexes.js';
import { templateMode } from './010-template-mode.js';
import { traceContext } from './016-trace-context.js';

/** Numbered and append-only: never edit a migration that has shipped, add the next one. */
function allMigrations(caps: Capabilities): Record<string, Migration> {
  return {
    '001-initial': initial(caps),
    '002-incoming': incomingDigestIndex(),
    '003-attempt-numbers': uniqueAttemptNumbers(),
    '006-age-indexes': ageIndexes(),
    '010-template-mode': templateMode(),
    '016-trace-context': traceContext(),
  };
}

export async function migrate(db: Kysely<any>, caps: Capabilities): Promise<void> {
  const provider: MigrationProvider = { getMigrations: async () => allMigrations(caps) };
  const migrator = new Migrator({ db, provider, migrationTableName: 'herald_migrations', migrationLockTableName: 'herald_migrations_lock' });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error');
    throw new Error(`migration ${failed?.migrationName ?? '?'} failed`, { cause: error });
  }
}
