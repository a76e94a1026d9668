import { Migrator, type Kysely, type Migration, type MigrationProvider } from 'kysely';
import type { Capabilities } from '../capabilities.js';
import { initial } from './001-initial.js';
import { incomingDigestIndex } from './002-incoming.js';
import { uniqueAttemptNumbers } from './003-attempt-numbers.js';
import { ageIndexes } from './006-age-indexes.js';
import { templateMode } from './010-template-mode.js';
import { workers } from './011-workers.js';
import { subscriptionFilters } from './012-subscription-filters.js';
import { ordering } from './013-ordering.js';
import { apiKeys } from './015-api-keys.js';
import { failureStreaks } from './014-failure-streaks.js';
import { responseHeaders } from './018-response-headers.js';
import { traceContext } from './016-trace-context.js';
import { portalSessions } from './017-portal-sessions.js';

/** Numbered and append-only: never edit a migration that has shipped, add the next one. */
function allMigrations(caps: Capabilities): Record<string, Migration> {
  return {
    '001-initial': initial(caps),
    '002-incoming': incomingDigestIndex(),
    '003-attempt-numbers': uniqueAttemptNumbers(),
    '006-age-indexes': ageIndexes(),
    '010-template-mode': templateMode(),
    '011-workers': workers(),
    '012-subscription-filters': subscriptionFilters(),
    '013-ordering': ordering(caps),
    '015-api-keys': apiKeys(),
    '014-failure-streaks': failureStreaks(),
    '018-response-headers': responseHeaders(),
    '016-trace-context': traceContext(),
    '017-portal-sessions': portalSessions(),
  };
}

export async function migrate(db: Kysely<any>, caps: Capabilities): Promise<void> {
  const provider: MigrationProvider = { getMigrations: async () => allMigrations(caps) };
  const migrator = new Migrator({ db, provider, migrationTableName: 'herald_migrations', migrationLockTableName: 'herald_migrations_lock' });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error');
    // No migration ran: the database could not be reached or read at all, and that error says why by itself.
    if (!failed) throw error;
    throw new MigrationError(failed.migrationName, error);
  }
}

/** A migration that ran and failed; `cause` is the database's own error. */
export class MigrationError extends Error {
  constructor(
    readonly migration: string,
    cause: unknown,
  ) {
    super(`migration ${migration} failed: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = 'MigrationError';
  }
}
