import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { openStore } from '../src/store/database.js';
import { DIALECTS, freshDatabase, skipFor } from './helpers/databases.js';
import { until } from './helpers/herald.js';
import { startReceiver } from './helpers/receiver.js';
import { api, runHerald, spawnHerald, type HeraldProcess } from './helpers/spawn-herald.js';

const CLI = ['--import', 'tsx', 'src/cli/main.ts'];

async function stop(p: HeraldProcess): Promise<void> {
  // The API answers before the rest of Herald has started; SIGTERM is handled from its start-up line on.
  await until(async () => p.output().includes('"herald started"'), 30_000, 'the start-up line');
  p.child.kill('SIGTERM');
  assert.equal(await p.exited, 0, p.output());
}

/** The one line a refused start writes, naming the variable. */
function assertRefused(run: { code: number | null; output: string }, why: RegExp): void {
  assert.equal(run.code, 78, run.output);
  const lines = run.output.trim().split('\n');
  assert.equal(lines.length, 1, `one line, got:\n${run.output}`);
  assert.match(lines[0]!, /^herald: configuration error: HERALD_ENCRYPTION_KEY: /);
  assert.match(lines[0]!, why);
}

async function endpointColumns(dataDir: string, databaseUrl: string | null) {
  const store = await openStore({ dataDir, databaseUrl });
  try {
    return await store.db.selectFrom('endpoints').select(['id', 'auth_key', 'secret', 'headers']).orderBy('id').execute();
  } finally {
    await store.close();
  }
}

for (const dialect of DIALECTS) {
  describe(`HERALD_ENCRYPTION_KEY at start, and herald rekey (${dialect})`, { skip: skipFor(dialect) }, () => {
    it('refuses a wrong or missing key with exit 78; rekey re-seals everything so the new key starts and delivers, the old one is refused', { timeout: 180_000 }, async () => {
      const db = await freshDatabase(dialect);
      const receiver = await startReceiver();
      const keyA = randomBytes(32).toString('hex');
      const keyB = randomBytes(32).toString('base64');
      const base = { HERALD_LOG_LEVEL: 'info', HERALD_DATA_DIR: db.dataDir, HERALD_RETRY_SCHEDULE: '200ms', ...(db.databaseUrl ? { HERALD_DATABASE_URL: db.databaseUrl } : {}) };
      try {
        let herald = await spawnHerald({ ...base, HERALD_ENCRYPTION_KEY: keyA });
        const authKey = `key-${randomBytes(8).toString('hex')}`;
        const token = `tok-${randomBytes(8).toString('hex')}`;
        const ep = await api(herald.url, 'POST', '/v1/endpoints', {
          name: 'sealed',
          url: receiver.url,
          format: 'strigo',
          auth: { user: 'backend', key: authKey },
          headers: { 'X-Api-Token': token, 'X-Team': 'blue' },
        });
        assert.equal(ep.status, 201, ep.text);
        assert.equal((await api(herald.url, 'POST', '/v1/subscriptions', { endpoint_id: ep.json.id, events: ['*'] })).status, 201);
        await stop(herald);
        const sealedA = await endpointColumns(db.dataDir, db.databaseUrl);

        assertRefused(await runHerald({ ...base, HERALD_ENCRYPTION_KEY: keyB }), /not the key they were sealed with/);
        assertRefused(await runHerald({ ...base, HERALD_ENCRYPTION_KEY: '' }), /is not set, but the store holds values sealed/);

        // Rekey with the wrong current key: refused, and nothing changed.
        const wrong = await runHerald({ ...base, HERALD_ENCRYPTION_KEY: randomBytes(32).toString('hex'), HERALD_NEW_ENCRYPTION_KEY: keyB }, [...CLI, 'rekey']);
        assertRefused(wrong, /not the key they were sealed with/);
        assert.deepEqual(await endpointColumns(db.dataDir, db.databaseUrl), sealedA);
        const noNew = await runHerald({ ...base, HERALD_ENCRYPTION_KEY: keyA, HERALD_NEW_ENCRYPTION_KEY: '' }, [...CLI, 'rekey']);
        assert.equal(noNew.code, 78, noNew.output);
        assert.match(noNew.output, /HERALD_NEW_ENCRYPTION_KEY: is not set/);

        const rekey = await runHerald({ ...base, HERALD_ENCRYPTION_KEY: keyA, HERALD_NEW_ENCRYPTION_KEY: keyB }, [...CLI, 'rekey']);
        assert.equal(rekey.code, 0, rekey.output);
        assert.match(rekey.output, /re-sealed 3 values of 1 endpoints under HERALD_NEW_ENCRYPTION_KEY/);
        const sealedB = await endpointColumns(db.dataDir, db.databaseUrl);
        for (const column of ['auth_key', 'secret', 'headers'] as const) {
          assert.match(String(sealedB[0]![column]), /^enc:v1:/, `${column} is sealed`);
          assert.notEqual(sealedB[0]![column], sealedA[0]![column], `${column} is sealed anew`);
        }

        assertRefused(await runHerald({ ...base, HERALD_ENCRYPTION_KEY: keyA }), /not the key they were sealed with/);
        herald = await spawnHerald({ ...base, HERALD_ENCRYPTION_KEY: keyB });
        assert.equal((await api(herald.url, 'POST', '/v1/events', { type: 'CLASS', action: 'CREATED' })).status, 202);
        await receiver.waitFor(1);
        const got = receiver.received[0]!;
        assert.equal(got.headers.authorization, `Bearer backend:${authKey}`);
        assert.equal(got.headers['x-api-token'], token);
        assert.equal(got.headers['x-team'], 'blue');
        const delivered = await until(async () => {
          const list = await api(herald.url, 'GET', `/v1/deliveries?endpoint_id=${ep.json.id}&status=succeeded`);
          return list.json.data.length === 1 ? list.json.data : null;
        });
        assert.deepEqual(delivered[0].attempts.map((a: any) => a.status_code), [200]);
        await stop(herald);
      } finally {
        await receiver.close();
        await db.drop();
      }
    });

    it('a store without sealed values starts without a key; the first start with a key writes the canary a later wrong key trips on', { timeout: 120_000 }, async () => {
      const db = await freshDatabase(dialect);
      const base = { HERALD_LOG_LEVEL: 'info', HERALD_DATA_DIR: db.dataDir, ...(db.databaseUrl ? { HERALD_DATABASE_URL: db.databaseUrl } : {}) };
      try {
        let herald = await spawnHerald({ ...base, HERALD_ENCRYPTION_KEY: '' });
        // Stored in plain: no key was set.
        const ep = await api(herald.url, 'POST', '/v1/endpoints', { name: 'plain', url: 'http://127.0.0.1:9/x', format: 'strigo', auth: { user: 'u', key: 'plain-key' } });
        assert.equal(ep.status, 201, ep.text);
        await stop(herald);
        const key = randomBytes(32).toString('hex');
        herald = await spawnHerald({ ...base, HERALD_ENCRYPTION_KEY: key });
        await stop(herald);
        assertRefused(await runHerald({ ...base, HERALD_ENCRYPTION_KEY: randomBytes(32).toString('hex') }), /not the key they were sealed with/);
        // The values stored in plain before a key was set are sealed by rekey.
        const rekey = await runHerald({ ...base, HERALD_ENCRYPTION_KEY: key, HERALD_NEW_ENCRYPTION_KEY: key }, [...CLI, 'rekey']);
        assert.equal(rekey.code, 0, rekey.output);
        const [row] = await endpointColumns(db.dataDir, db.databaseUrl);
        assert.match(String(row!.auth_key), /^enc:v1:/);
        assert.match(String(row!.headers), /^enc:v1:/);
      } finally {
        await db.drop();
      }
    });
  });
}
