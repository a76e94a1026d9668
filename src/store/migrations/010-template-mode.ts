import type { Kysely } from 'kysely';

/**
 * Which template semantics render an endpoint's and a topic's templates: `cloudpods` or `go`. Null on an
 * endpoint means its format's default (cloudpods for cloudpods endpoints); null on a topic means the
 * endpoint's mode.
 */
export function templateMode() {
  return {
    async up(db: Kysely<any>): Promise<void> {
      await db.schema.alterTable('endpoints').addColumn('template_mode', 'text').execute();
      await db.schema.alterTable('topics').addColumn('template_mode', 'text').execute();
    },
  };
}
