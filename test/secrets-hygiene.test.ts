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
          // CLASS events only: Herald's own DELIVERY/EXHAUSTED about each other would add deliveries to count.
          await api('POST', '/v1/subscriptions', { endpoint_id: ep.json.id, events: ['CLASS/*'] });
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
        assert.equal(incoming.status, 401, incoming.text);
        assert.equal(incoming.json.error.code, 'unauthorized');

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

    it('extra headers are sealed; secret-named headers and URL credentials are masked in snapshots, API output, events and logs; echoed credentials are not stored', async () => {
      const { herald, db, lines, api } = await heraldWithCapturedLogs(dialect, {
        HERALD_ENCRYPTION_KEY: randomBytes(32).toString('hex'),
        HERALD_DISABLE_AFTER: '1s',
      });
      // Answers 500 with everything it was sent: its headers, its URL and (for the test) the signing secret too.
      let signingSecret = '';
      const r = await startReceiver((req) =>
        req.url.includes('/observer')
          ? { status: 200 }
          : { status: 500, body: `echo ${JSON.stringify(req.headers)} ${req.url} ${signingSecret} ${encodeURIComponent(signingSecret)}` },
      );
      try {
        const authKey = `key-${randomBytes(12).toString('hex')}`;
        const apiKey = `ak-${randomBytes(12).toString('hex')}`;
        const cookie = `sid=${randomBytes(12).toString('hex')}`;
        const queryToken = `qt-${randomBytes(12).toString('hex')}`;
        const echoUrl = `${r.url}/echo?access_token=${queryToken}&team=blue`;
        const echo = await api('POST', '/v1/endpoints', {
          name: 'echo',
          url: echoUrl,
          format: 'strigo',
          auth: { user: 'backend', key: authKey },
          headers: { 'X-Api-Key': apiKey, 'x-session-cookie': cookie, 'X-Team': 'blue' },
        });
        assert.equal(echo.status, 201, echo.text);
        signingSecret = echo.json.secret;
        const observer = await api('POST', '/v1/endpoints', { name: 'observer', url: `${r.url}/observer`, format: 'strigo', secret: null });
        assert.equal(observer.status, 201, observer.text);
        // A URL with credentials in it is refused by the API; one stored before that rule is masked wherever it shows.
        const password = `pw-${randomBytes(12).toString('hex')}`;
        const legacy = await api('POST', '/v1/endpoints', { name: 'legacy', url: `${r.url}/legacy`, format: 'standard' });
        const legacyUrl = `${r.url.replace('://', `://ops:${password}@`)}/legacy?key=${queryToken}`;
        const legacyHeaderSecret = `lt-${randomBytes(12).toString('hex')}`;
        await herald.ctx.store.db
          .updateTable('endpoints')
          .set({ url: legacyUrl, headers: JSON.stringify({ 'X-Legacy-Token': legacyHeaderSecret }) })
          .where('id', '=', legacy.json.id)
          .execute();
        await api('POST', '/v1/subscriptions', { endpoint_id: echo.json.id, events: ['CLASS/*'] });
        await api('POST', '/v1/subscriptions', { endpoint_id: legacy.json.id, events: ['CLASS/*'] });
        await api('POST', '/v1/subscriptions', { endpoint_id: observer.json.id, events: ['ENDPOINT/DISABLED'] });
        const secrets = [authKey, apiKey, cookie, queryToken, password, legacyHeaderSecret, signingSecret, signingSecret.slice('whsec_'.length)];

        // Sealed at rest; the plain headers of the older row still read.
        const rows = await herald.ctx.store.db.selectFrom('endpoints').select(['id', 'headers']).execute();
        const stored = new Map(rows.map((row) => [row.id, row.headers]));
        assert.match(stored.get(echo.json.id)!, /^enc:v1:/);
        assert.ok(!stored.get(echo.json.id)!.includes('blue'), 'extra headers are not stored in plain');

        // API output: secret-named header values read ****, the others as given.
        const shown = await api('GET', `/v1/endpoints/${echo.json.id}`);
        assert.deepEqual(shown.json.headers, { 'X-Api-Key': '****', 'x-session-cookie': '****', 'X-Team': 'blue' });
        const listed = await api('GET', '/v1/endpoints');
        assert.deepEqual(listed.json.data.find((e: any) => e.id === legacy.json.id).headers, { 'X-Legacy-Token': '****' });
        // The admin API shows the URL as it was configured (an operator edits it there); every other credential is hidden.
        for (const s of secrets.filter((x) => x !== queryToken && x !== password)) {
          assert.ok(!listed.text.includes(s) && !shown.text.includes(s), `the endpoint API shows a credential of ${s.length} characters`);
        }

        // Sending back the headers as read (masked) keeps the stored secrets; other values change as sent.
        const patched = await api('PATCH', `/v1/endpoints/${echo.json.id}`, { headers: { ...shown.json.headers, 'X-Team': 'green' } });
        assert.equal(patched.status, 200, patched.text);
        assert.deepEqual(patched.json.headers, { 'X-Api-Key': '****', 'x-session-cookie': '****', 'X-Team': 'green' });

        await api('POST', '/v1/events', { type: 'CLASS', action: 'CREATED' });
        const failed = await until(async () => {
          const list = await api('GET', '/v1/deliveries?status=failed');
          return list.json.data.length === 2 ? list.json.data : null;
        });
        // The receiver did get the credentials: what it echoed is what must not be kept.
        const sent = r.received.find((x) => x.url.includes('/echo'))!;
        assert.equal(sent.headers['x-api-key'], apiKey);
        assert.equal(sent.headers['x-session-cookie'], cookie);
        assert.equal(sent.headers['x-team'], 'green');
        assert.equal(sent.headers.authorization, `Bearer backend:${authKey}`);

        const byEndpoint = new Map(failed.map((d: any) => [d.endpoint_id, d]));
        const echoed = await api('GET', `/v1/deliveries/${(byEndpoint.get(echo.json.id) as any).id}`);
        const attempt = echoed.json.attempts[0];
        assert.equal(attempt.status_code, 500);
        assert.match(attempt.response_body, /^echo \{/);
        assert.ok(attempt.response_body.includes('"x-team":"green"'), 'what is not a credential is kept');
        assert.ok(attempt.response_body.includes('****'));
        assert.equal(attempt.request.url, `${r.url}/echo?access_token=****&team=blue`);
        assert.equal(attempt.request.headers['X-Api-Key'], '****');
        assert.equal(attempt.request.headers['x-session-cookie'], '****');
        assert.equal(attempt.request.headers['X-Team'], 'green');
        assert.equal(attempt.request.headers.Authorization ?? attempt.request.headers.authorization, 'Bearer ****');
        const legacyAttempt = (await api('GET', `/v1/deliveries/${(byEndpoint.get(legacy.json.id) as any).id}`)).json.attempts[0];
        assert.equal(legacyAttempt.error_class, 'destination');
        assert.equal(legacyAttempt.request.url, `${r.url.replace('://', '://****@')}/legacy?key=****`);

        // The ENDPOINT/DISABLED event names the URL without its credentials.
        await until(async () => r.received.filter((x) => x.url.includes('/observer')).length === 2, 15_000, 'both disabled events');
        const events = r.received.filter((x) => x.url.includes('/observer')).map((x) => x.body);
        assert.ok(events.some((b) => b.includes(`${r.url.replace('://', '://****@')}/legacy?key=****`)), events.join('\n'));
        assert.ok(events.some((b) => b.includes(`${r.url}/echo?access_token=****&team=blue`)), events.join('\n'));

        // The stored rows themselves, every column: no credential anywhere.
        const attempts = await herald.ctx.store.db.selectFrom('attempts').selectAll().execute();
        const deliveries = await herald.ctx.store.db.selectFrom('deliveries').select(['id', 'last_error']).execute();
        const messages = await herald.ctx.store.db.selectFrom('messages').select(['data']).execute();
        const everything = JSON.stringify([attempts, deliveries, messages]);
        for (const s of secrets) assert.ok(!everything.includes(s), `a credential of ${s.length} characters is stored in attempts, deliveries or messages`);
        assert.ok(deliveries.some((d) => d.last_error?.startsWith('HTTP 500: echo') && d.last_error.includes('****')));
        for (const s of secrets) for (const f of forms(s)) assert.ok(!lines.join('').includes(f), `a credential of ${s.length} characters appears in the logs`);
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
