import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { describe, it } from 'node:test';
import pino from 'pino';
import { Webhook } from 'standardwebhooks';
import { startHerald, type Herald } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { DIALECTS, freshDatabase, skipFor, type Dialect, type TestDatabase } from './helpers/databases.js';
import { TEST_TOKEN, until } from './helpers/herald.js';
import { startReceiver } from './helpers/receiver.js';

/** Herald with a logger that keeps every line it writes, at the most verbose level. */
async function heraldWithCapturedLogs(dialect: Dialect, env: Record<string, string> = {}) {
  const db: TestDatabase = await freshDatabase(dialect);
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk, _enc, done) {
      lines.push(String(chunk));
      done();
    },
  });
  const config = loadConfig({
    HERALD_PORT: '0',
    HERALD_HOST: '127.0.0.1',
    HERALD_DATA_DIR: db.dataDir,
    HERALD_ADMIN_TOKEN: TEST_TOKEN,
    HERALD_ALLOW_PRIVATE_NETWORKS: 'true',
    HERALD_RETRY_SCHEDULE: '100ms',
    ...(db.databaseUrl ? { HERALD_DATABASE_URL: db.databaseUrl } : {}),
    ...env,
  });
  // No redaction here on purpose: Herald must not hand secrets to its logger at all.
  const herald: Herald = await startHerald(config, { logger: pino({ level: 'trace' }, sink) });
  const api = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const res = await fetch(herald.url + path, {
      method,
      headers: { authorization: `Bearer ${TEST_TOKEN}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await res.text();
    return { status: res.status, text, json: text ? (JSON.parse(text) as any) : null };
  };
  return { herald, db, lines, api };
}

/** Every way a secret could appear in a log line: as given, base64 part alone, JSON-escaped. */
function forms(secret: string): string[] {
  const out = [secret, JSON.stringify(secret).slice(1, -1)];
  if (secret.startsWith('whsec_')) out.push(secret.slice('whsec_'.length));
  return out;
}

for (const dialect of DIALECTS) {
  describe(`secrets stay secret (${dialect})`, { skip: skipFor(dialect) }, () => {
    it('no secret, auth key, callback key or admin token appears in the logs through create, deliver, fail, rotate and errors', async () => {
      const { herald, db, lines, api } = await heraldWithCapturedLogs(dialect);
      let failing = true;
      const r = await startReceiver((req) => (failing ? { status: 500, body: `refused ${String(req.headers.authorization)}` } : { status: 200 }));
      const secrets: string[] = [TEST_TOKEN];
      try {
        const authKey = `key-${randomBytes(12).toString('hex')}`;
        const cloudpodsSecret = `cp-${randomBytes(12).toString('hex')}`;
        const strigo = await api('POST', '/v1/endpoints', { name: 's', url: r.url, format: 'strigo', auth: { user: 'backend', key: authKey } });
        const standard = await api('POST', '/v1/endpoints', { name: 'w', url: r.url, format: 'standard' });
        const cloudpods = await api('POST', '/v1/endpoints', { name: 'c', url: r.url, format: 'cloudpods', secret: cloudpodsSecret, validate: false });
        for (const ep of [strigo, standard, cloudpods]) {
          assert.equal(ep.status, 201, ep.text);
          secrets.push(ep.json.callback.key);
          if (ep.json.secret) secrets.push(ep.json.secret);
          await api('POST', '/v1/subscriptions', { endpoint_id: ep.json.id, events: ['*'] });
        }
        secrets.push(authKey, cloudpodsSecret);

        // Fail first (the receiver echoes the credentials it got into its answer), then succeed.
        await api('POST', '/v1/events', { type: 'CLASS', action: 'CREATED' });
        await until(async () => {
          const failed = await api('GET', '/v1/deliveries?status=failed');
          return failed.json.data.length === 3;
        });
        failing = false;
        await api('POST', '/v1/events', { type: 'CLASS', action: 'UPDATED' });
        await until(async () => (await api('GET', '/v1/deliveries?status=succeeded')).json.data.length === 3);

        for (const ep of [strigo, standard]) {
          const rotated = await api('POST', `/v1/endpoints/${ep.json.id}/rotate-secret`, {});
          assert.equal(rotated.status, 200, rotated.text);
          secrets.push(rotated.json.secret);
        }
        const cb = await api('POST', `/v1/endpoints/${strigo.json.id}/rotate-callback-key`);
        secrets.push(cb.json.key);
        const newAuthKey = `key-${randomBytes(12).toString('hex')}`;
        await api('PATCH', `/v1/endpoints/${strigo.json.id}`, { auth: { user: 'backend', key: newAuthKey } });
        secrets.push(newAuthKey);
        await api('POST', '/v1/events', { type: 'CLASS', action: 'DELETED' });
        await until(async () => (await api('GET', '/v1/deliveries?status=succeeded')).json.data.length === 6);

        // Refusals that carry secrets in the request: bad secrets, a wrong admin token, a wrong callback key.
        const badSecret = `whsec_${randomBytes(8).toString('base64')}`;
        secrets.push(badSecret);
        const refused = await api('POST', '/v1/endpoints', { name: 'x', url: r.url, format: 'standard', secret: badSecret });
        assert.equal(refused.status, 422);
        assert.ok(!refused.text.includes(badSecret), 'an error message does not echo the refused secret');
        const wrongToken = `wrong-${randomBytes(12).toString('hex')}`;
        secrets.push(wrongToken);
        assert.equal((await api('GET', '/v1/endpoints', undefined, { authorization: `Bearer ${wrongToken}` })).status, 401);
        const wrongKey = randomBytes(16).toString('hex');
        secrets.push(wrongKey);
        const incoming = await api('POST', '/v1/incoming', { source_message_id: 'msg_x', type: 'RESOURCE', action: 'CREATED', data: { resources: [] } }, {
          authorization: `Bearer ${strigo.json.callback.user}:${wrongKey}`,
        });
        assert.ok(incoming.status === 401 || incoming.status === 404, incoming.text);

        const log = lines.join('');
        assert.ok(lines.length > 20, `the logger captured ${lines.length} lines`);
        for (const s of secrets) for (const f of forms(s)) assert.ok(!log.includes(f), `a secret of ${s.length} characters appears in the logs`);

        // Attempt snapshots mask credentials too.
        const some = (await api('GET', `/v1/deliveries?endpoint_id=${strigo.json.id}`)).json.data[0];
        const full = await api('GET', `/v1/deliveries/${some.id}`);
        assert.ok(!JSON.stringify(full.json.attempts.map((a: any) => a.request)).includes(authKey));
      } finally {
        await r.close();
        await herald.close();
        await db.drop();
      }
    });

    it('HERALD_ENCRYPTION_KEY: secrets and credentials are stored as enc:v1 values, and deliveries still sign', async () => {
      const key = randomBytes(32).toString('hex');
      const { herald, db, api } = await heraldWithCapturedLogs(dialect, { HERALD_ENCRYPTION_KEY: key });
      const r = await startReceiver();
      try {
        const authKey = `key-${randomBytes(12).toString('hex')}`;
        const ep = await api('POST', '/v1/endpoints', { name: 's', url: r.url, format: 'strigo', auth: { user: 'backend', key: authKey } });
        assert.equal(ep.status, 201, ep.text);
        const first: string = ep.json.secret;
        const rotated = await api('POST', `/v1/endpoints/${ep.json.id}/rotate-secret`, {});
        const second: string = rotated.json.secret;
        const row = await herald.ctx.store.db.selectFrom('endpoints').selectAll().where('id', '=', ep.json.id).executeTakeFirstOrThrow();
        for (const column of ['secret', 'previous_secret', 'auth_key'] as const) assert.match(String(row[column]), /^enc:v1:/, `${column} is sealed`);
        assert.ok(!row.callback_key_hash.includes(ep.json.callback.key), 'the callback key is stored only as a hash');

        await api('POST', '/v1/subscriptions', { endpoint_id: ep.json.id, events: ['*'] });
        await api('POST', '/v1/events', { type: 'CLASS', action: 'CREATED' });
        await r.waitFor(1);
        const got = r.received[0]!;
        assert.equal(got.headers.authorization, `Bearer backend:${authKey}`, 'the sealed credential is opened for sending');
        const headers = {
          'webhook-id': String(got.headers['webhook-id']),
          'webhook-timestamp': String(got.headers['webhook-timestamp']),
          'webhook-signature': String(got.headers['webhook-signature']),
        };
        for (const s of [first, second]) assert.doesNotThrow(() => new Webhook(s).verify(got.body, headers));

        if (dialect === 'sqlite') {
          await herald.close();
          for (const file of readdirSync(db.dataDir).filter((f) => f.startsWith('herald.db'))) {
            const bytes = readFileSync(join(db.dataDir, file));
            for (const s of [first, second, authKey]) assert.ok(!bytes.includes(s), `${file} holds a plaintext secret`);
          }
        }
      } finally {
        await r.close();
        await herald.close();
        await db.drop();
      }
    });
  });
}
