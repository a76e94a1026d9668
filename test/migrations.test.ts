import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { openStore } from '../src/store/database.js';
import { migrate } from '../src/store/migrations/index.js';
import { DIALECTS, freshDatabase, skipFor } from './helpers/databases.js';

for (const dialect of DIALECTS) {
  describe(`migrations (${dialect})`, { skip: skipFor(dialect) }, () => {
    it('run at open, and running them again changes nothing', async () => {
      const db = await freshDatabase(dialect);
      try {
        const store = await openStore({ dataDir: db.dataDir, databaseUrl: db.databaseUrl });
        const tables = (await store.db.introspection.getTables()).map((t) => t.name).filter((n) => !n.startsWith('herald_migrations')).sort();
        await migrate(store.db, store.caps);
        await store.close();
        const reopened = await openStore({ dataDir: db.dataDir, databaseUrl: db.databaseUrl });
        const again = (await reopened.db.introspection.getTables()).map((t) => t.name).filter((n) => !n.startsWith('herald_migrations')).sort();
        assert.deepEqual(again, tables);
        for (const t of ['endpoints', 'subscriptions', 'topics', 'messages', 'deliveries', 'attempts', 'incoming', 'entity_resources']) assert.ok(tables.includes(t), t);
        await reopened.close();
      } finally {
        await db.drop();
      }
    });
  });
}
