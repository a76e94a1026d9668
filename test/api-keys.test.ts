import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { DIALECTS, skipFor } from './helpers/databases.js';
import { startTestHerald, until, type TestHerald } from './helpers/herald.js';
import { startReceiver, type Receiver } from './helpers/receiver.js';
import { spawnHerald } from './helpers/spawn-herald.js';

const ALL_SCOPES = ['events:publish', 'endpoints:read', 'endpoints:write', 'deliveries:read', 'deliveries:retry', 'entities:read'];

async function call(url: string, method: string, path: string, token: string | null, body?: unknown) {
  const res = await fetch(url + path, {
    method,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : null, text };
}

interface Tenant {
  endpointId: string;
  subscriptionId: string;
  messageId: string;
  deliveryId: string;
  entityId: string;
}

/** One tenant's world: an endpoint, its subscription, a delivered message, and lab state its backend reported. */
async function tenantWorld(t: TestHerald, backend: Receiver, tenant: string): Promise<Tenant> {
  const ep = await t.api('POST', '/v1/endpoints', { name: `${tenant} backend`, url: `${backend.url}/${tenant}`, format: 'strigo', tenant });
  assert.equal(ep.status, 201, ep.text);
  const sub = await t.api('POST', '/v1/subscriptions', { endpoint_id: ep.json.id, events: ['CLASS/*'] });
  assert.equal(sub.status, 201, sub.text);
  const entityId = `class_${tenant}`;
  const pub = await t.api('POST', '/v1/events', { type: 'CLASS', action: 'CREATED', entity_ids: [entityId], tenant });
  assert.equal(pub.status, 202, pub.text);
  const messageId = pub.json.id as string;
  const delivered = await until(async () => {
    const d = await t.api('GET', `/v1/deliveries?message_id=${messageId}`);
    return d.json.data.find((x: any) => x.status === 'succeeded');
  }, 15_000, `${tenant}'s delivery`);
  const incoming = await fetch(`${t.url}/v1/incoming`, {
    method: 'POST',
    headers: { authorization: `Bearer ${ep.json.callback.user}:${ep.json.callback.key}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      source_message_id: messageId,
      type: 'RESOURCE',
      action: 'CREATED',
      data: { resources: [{ id: `vm-${tenant}`, type: 'VM', name: 'server', status: 'READY' }], interfaces: [] },
    }),
  });
  assert.equal(incoming.status, 200, await incoming.text());
  return { endpointId: ep.json.id, subscriptionId: sub.json.id, messageId, deliveryId: delivered.id, entityId };
}

async function makeKey(t: TestHerald, tenant: string, scopes: string[], extra: Record<string, unknown> = {}) {
  const res = await t.api('POST', '/v1/api-keys', { name: `${tenant} ${scopes.join(' ')}`, tenant, scopes, ...extra });
  assert.equal(res.status, 201, res.text);
  return res.json as { id: string; key: string; prefix: string; tenant: string; scopes: string[] };
}

for (const dialect of DIALECTS) {
  describe(`scoped API keys (${dialect})`, { skip: skipFor(dialect) }, () => {
    let t: TestHerald;
    let backend: Receiver;
    let acme: Tenant;
    let globex: Tenant;
    let acmeKey: string;

    before(async () => {
      backend = await startReceiver();
      t = await startTestHerald(dialect);
      acme = await tenantWorld(t, backend, 'acme');
      globex = await tenantWorld(t, backend, 'globex');
      acmeKey = (await makeKey(t, 'acme', ALL_SCOPES)).key;
    });
    after(async () => {
      await t?.stop();
      await backend?.close();
    });

    it('shows the key once; lists never show it; the store keeps only its SHA-256', async () => {
      const made = await makeKey(t, 'acme', ['endpoints:read']);
      assert.match(made.key, /^hk_[A-Za-z0-9_-]{43}$/);
      assert.ok(made.key.startsWith(made.prefix) && made.prefix.length < 16, made.prefix);
      assert.deepEqual(made.scopes, ['endpoints:read']);

      const list = await t.api('GET', '/v1/api-keys');
      assert.equal(list.status, 200, list.text);
      const listed = list.json.data.find((k: any) => k.id === made.id);
      assert.equal(listed.prefix, made.prefix);
      assert.equal(listed.status, 'active');
      assert.equal(listed.key, undefined);
      assert.ok(!list.text.includes(made.key), 'the key is not in the list');
      assert.ok(!list.text.includes(made.key.slice(made.prefix.length)), 'nor its secret part');
      assert.ok(!/key_hash/.test(list.text));

      const row = await t.herald.ctx.store.db.selectFrom('api_keys').selectAll().where('id', '=', made.id).executeTakeFirstOrThrow();
      assert.equal(row.key_hash, createHash('sha256').update(made.key).digest('hex'));
      assert.ok(!Object.values(row).some((v) => typeof v === 'string' && v.includes(made.key.slice(made.prefix.length))), 'no column holds the key');
    });

    it('refuses bad key requests with the field and the allowed values', async () => {
      const unknown = await t.api('POST', '/v1/api-keys', { name: 'k', tenant: 'acme', scopes: ['endpoints:read', 'endpoints:admin'] });
      assert.equal(unknown.status, 422, unknown.text);
      assert.equal(unknown.json.error.details[0].path, '/scopes/1');
      assert.deepEqual(unknown.json.error.details[0].allowed, ALL_SCOPES);
      assert.match(unknown.json.error.message, /endpoints:admin.*events:publish, endpoints:read/);

      const noTenant = await t.api('POST', '/v1/api-keys', { name: 'k', scopes: ['endpoints:read'] });
      assert.equal(noTenant.status, 422);
      assert.equal(noTenant.json.error.details[0].path, '/tenant');
      const emptyTenant = await t.api('POST', '/v1/api-keys', { name: 'k', tenant: '', scopes: ['endpoints:read'] });
      assert.equal(emptyTenant.status, 422);
      assert.equal(emptyTenant.json.error.details[0].path, '/tenant');

      const noScopes = await t.api('POST', '/v1/api-keys', { name: 'k', tenant: 'acme', scopes: [] });
      assert.equal(noScopes.status, 422);
      assert.equal(noScopes.json.error.details[0].path, '/scopes');

      const past = await t.api('POST', '/v1/api-keys', { name: 'k', tenant: 'acme', scopes: ['endpoints:read'], expires_at: '2020-01-01T00:00:00Z' });
      assert.equal(past.status, 422);
      assert.deepEqual(past.json.error.details, [{ path: '/expires_at', message: 'must be in the future' }]);
      const garbage = await t.api('POST', '/v1/api-keys', { name: 'k', tenant: 'acme', scopes: ['endpoints:read'], expires_at: 'tomorrow' });
      assert.equal(garbage.status, 422);
      assert.equal(garbage.json.error.details[0].path, '/expires_at');

      const before = await t.herald.ctx.store.db.selectFrom('api_keys').select('id').execute();
      const extra = await t.api('POST', '/v1/api-keys', { name: 'k', tenant: 'acme', scopes: ['endpoints:read'], admin: true });
      assert.equal(extra.status, 422);
      const after = await t.herald.ctx.store.db.selectFrom('api_keys').select('id').execute();
      assert.equal(after.length, before.length, 'nothing stored by refused requests');
    });

    it('each scope opens its routes and no other; a missing scope is a 403 naming it', async () => {
      const routes: Array<{ scope: string; method: string; path: () => string; body?: () => unknown; ok: number }> = [
        { scope: 'endpoints:read', method: 'GET', path: () => `/v1/endpoints/${acme.endpointId}`, ok: 200 },
        { scope: 'endpoints:read', method: 'GET', path: () => '/v1/subscriptions', ok: 200 },
        { scope: 'endpoints:write', method: 'PATCH', path: () => `/v1/endpoints/${acme.endpointId}`, body: () => ({ name: 'acme backend' }), ok: 200 },
        { scope: 'endpoints:write', method: 'PATCH', path: () => `/v1/subscriptions/${acme.subscriptionId}`, body: () => ({ enabled: true }), ok: 200 },
        { scope: 'events:publish', method: 'POST', path: () => '/v1/events', body: () => ({ type: 'CLASS', action: 'CREATED', entity_ids: ['class_scope_probe'] }), ok: 202 },
        { scope: 'deliveries:read', method: 'GET', path: () => `/v1/deliveries/${acme.deliveryId}`, ok: 200 },
        { scope: 'deliveries:read', method: 'GET', path: () => `/v1/messages/${acme.messageId}`, ok: 200 },
        { scope: 'deliveries:retry', method: 'POST', path: () => `/v1/deliveries/${acme.deliveryId}/retry`, ok: 200 },
        { scope: 'deliveries:retry', method: 'POST', path: () => `/v1/endpoints/${acme.endpointId}/recover`, body: () => ({ since: '1h' }), ok: 200 },
        { scope: 'entities:read', method: 'GET', path: () => `/v1/entities/${acme.entityId}`, ok: 200 },
        { scope: 'entities:read', method: 'GET', path: () => '/v1/incoming', ok: 200 },
      ];
      for (const scope of ALL_SCOPES) {
        const { key } = await makeKey(t, 'acme', [scope]);
        for (const r of routes) {
          const res = await call(t.url, r.method, r.path(), key, r.body?.());
          if (r.scope === scope) {
            assert.equal(res.status, r.ok, `${scope} may ${r.method} ${r.path()}: ${res.text}`);
          } else {
            assert.equal(res.status, 403, `${scope} may not ${r.method} ${r.path()}: ${res.text}`);
            assert.equal(res.json.error.code, 'forbidden');
            assert.equal(res.json.error.message, `this key lacks the scope ${r.scope}`);
          }
        }
      }
    });

    it('admin-only routes refuse even a key with every scope, saying they need the admin token', async () => {
      const adminOnly: Array<[string, string, unknown?]> = [
        ['GET', '/v1/api-keys'],
        ['POST', '/v1/api-keys', { name: 'escalate', tenant: 'globex', scopes: ALL_SCOPES }],
        ['DELETE', '/v1/api-keys/key_whatever'],
        ['POST', '/v1/topics', { name: 'mine', patterns: ['CLASS/*'] }],
        ['POST', '/v1/event-types', { type: 'MINE', actions: ['DONE'] }],
      ];
      for (const [method, path, body] of adminOnly) {
        const res = await call(t.url, method, path, acmeKey, body);
        assert.equal(res.status, 403, `${method} ${path}: ${res.text}`);
        assert.equal(res.json.error.message, 'this key cannot use this route: it needs the admin token');
      }
      const keys = await t.api('GET', '/v1/api-keys?tenant=globex');
      assert.equal(keys.json.data.length, 0, 'no key was made for globex');
    });

    it("lists show only the key's tenant", async () => {
      const endpoints = await call(t.url, 'GET', '/v1/endpoints', acmeKey);
      assert.equal(endpoints.status, 200);
      assert.ok(endpoints.json.data.length >= 1);
      assert.ok(endpoints.json.data.every((e: any) => e.tenant === 'acme'), endpoints.text);
      const asked = await call(t.url, 'GET', '/v1/endpoints?tenant=globex', acmeKey);
      assert.deepEqual(asked.json.data, []);

      const deliveries = await call(t.url, 'GET', '/v1/deliveries', acmeKey);
      assert.ok(deliveries.json.data.length >= 1);
      assert.ok(deliveries.json.data.every((d: any) => d.tenant === 'acme'), deliveries.text);
      const byEndpoint = await call(t.url, 'GET', `/v1/deliveries?endpoint_id=${globex.endpointId}`, acmeKey);
      assert.deepEqual(byEndpoint.json.data, []);

      const subs = await call(t.url, 'GET', '/v1/subscriptions', acmeKey);
      assert.deepEqual(subs.json.data.map((s: any) => s.endpoint_id), [acme.endpointId]);

      const incoming = await call(t.url, 'GET', '/v1/incoming', acmeKey);
      assert.ok(incoming.json.data.length >= 1);
      assert.ok(incoming.json.data.every((i: any) => i.endpoint_id === acme.endpointId), incoming.text);

      // The admin token still sees everyone.
      const all = await t.api('GET', '/v1/endpoints');
      assert.deepEqual(new Set(all.json.data.map((e: any) => e.tenant)), new Set(['acme', 'globex']));
    });

    it("another tenant's endpoint, subscription, delivery, message and entity are the same 404 as missing ones", async () => {
      const missing = await call(t.url, 'GET', '/v1/endpoints/ep_missing', acmeKey);
      assert.equal(missing.status, 404);
      const probes: Array<[string, string, unknown?]> = [
        ['GET', `/v1/endpoints/${globex.endpointId}`],
        ['PATCH', `/v1/endpoints/${globex.endpointId}`, { name: 'taken over' }],
        ['POST', `/v1/endpoints/${globex.endpointId}/disable`],
        ['POST', `/v1/endpoints/${globex.endpointId}/rotate-secret`, {}],
        ['POST', `/v1/endpoints/${globex.endpointId}/rotate-callback-key`],
        ['POST', `/v1/endpoints/${globex.endpointId}/recover`, { since: '1h' }],
        ['DELETE', `/v1/endpoints/${globex.endpointId}`],
        ['GET', `/v1/subscriptions/${globex.subscriptionId}`],
        ['PATCH', `/v1/subscriptions/${globex.subscriptionId}`, { enabled: false }],
        ['DELETE', `/v1/subscriptions/${globex.subscriptionId}`],
        ['GET', `/v1/deliveries/${globex.deliveryId}`],
        ['POST', `/v1/deliveries/${globex.deliveryId}/retry`],
        ['GET', `/v1/messages/${globex.messageId}`],
        ['GET', `/v1/entities/${globex.entityId}`],
        ['GET', `/v1/entities/${globex.entityId}/stream`],
      ];
      for (const [method, path, body] of probes) {
        const res = await call(t.url, method, path, acmeKey, body);
        assert.equal(res.status, 404, `${method} ${path}: ${res.text}`);
        assert.equal(res.json.error.code, 'not_found');
        const id = path.split('/')[3]!;
        assert.match(res.json.error.message, new RegExp(`^(endpoint|subscription|delivery|message|entity) ${id} not found$`));
      }
      // A key with the token in the query string (EventSource) is confined the same way.
      const streamed = await call(t.url, 'GET', `/v1/entities/${globex.entityId}/stream?token=${acmeKey}`, null);
      assert.equal(streamed.status, 404, streamed.text);

      const sub = await call(t.url, 'POST', '/v1/subscriptions', acmeKey, { endpoint_id: globex.endpointId, events: ['CLASS/*'] });
      assert.equal(sub.status, 422);
      assert.equal(sub.json.error.details[0].message, `endpoint ${globex.endpointId} does not exist`);

      // Nothing of globex's changed: the admin sees it as it was.
      const ep = await t.api('GET', `/v1/endpoints/${globex.endpointId}`);
      assert.equal(ep.status, 200);
      assert.equal(ep.json.name, 'globex backend');
      assert.equal(ep.json.enabled, true);
      const s = await t.api('GET', `/v1/subscriptions/${globex.subscriptionId}`);
      assert.equal(s.json.enabled, true);
      const d = await t.api('GET', `/v1/deliveries/${globex.deliveryId}`);
      assert.equal(d.json.status, 'succeeded');
      assert.equal(d.json.attempt_count, 1);
      assert.equal((await t.api('GET', `/v1/entities/${globex.entityId}`)).status, 200);
      assert.equal((await call(t.url, 'GET', `/v1/entities/${acme.entityId}`, acmeKey)).json.resources[0].id, 'vm-acme');
    });

    it("a key publishes into its own tenant only: another tenant named is a 422 and nothing is stored", async () => {
      const before = backend.received.length;
      const forced = await call(t.url, 'POST', '/v1/events', acmeKey, { type: 'CLASS', action: 'CREATED', entity_ids: ['class_forced'] });
      assert.equal(forced.status, 202, forced.text);
      const msg = await t.api('GET', `/v1/messages/${forced.json.id}`);
      assert.equal(msg.json.tenant, 'acme');
      assert.deepEqual(msg.json.deliveries.map((d: any) => d.endpoint_id), [acme.endpointId]);

      const same = await call(t.url, 'POST', '/v1/events', acmeKey, { type: 'CLASS', action: 'CREATED', entity_ids: ['class_same'], tenant: 'acme' });
      assert.equal(same.status, 202, same.text);

      const messagesBefore = await t.herald.ctx.store.db.selectFrom('messages').select('id').execute();
      const other = await call(t.url, 'POST', '/v1/events', acmeKey, { type: 'CLASS', action: 'CREATED', entity_ids: ['class_x'], tenant: 'globex' });
      assert.equal(other.status, 422, other.text);
      assert.deepEqual(other.json.error.details, [{ path: '/tenant', message: 'must be acme, the tenant of this key', allowed: ['acme'] }]);
      const batch = await call(t.url, 'POST', '/v1/events', acmeKey, {
        events: [
          { type: 'CLASS', action: 'CREATED', entity_ids: ['class_y'] },
          { type: 'CLASS', action: 'CREATED', entity_ids: ['class_z'], tenant: 'globex' },
        ],
      });
      assert.equal(batch.status, 422, batch.text);
      assert.equal(batch.json.error.details[0].path, '/events/1/tenant');
      const messagesAfter = await t.herald.ctx.store.db.selectFrom('messages').select('id').execute();
      assert.equal(messagesAfter.length, messagesBefore.length, 'no event of a refused request was stored');

      await until(async () => backend.received.length >= before + 2, 15_000, 'the two accepted events delivered');
      const globexPaths = backend.received.slice(before).filter((r) => r.url === '/globex');
      assert.equal(globexPaths.length, 0, "nothing reached globex's endpoint");

      const ep = await call(t.url, 'POST', '/v1/endpoints', acmeKey, { name: 'second', url: `${backend.url}/acme2`, format: 'standard' });
      assert.equal(ep.status, 201, ep.text);
      assert.equal(ep.json.tenant, 'acme');
      const foreign = await call(t.url, 'POST', '/v1/endpoints', acmeKey, { name: 'third', url: `${backend.url}/x`, format: 'standard', tenant: 'globex' });
      assert.equal(foreign.status, 422);
      assert.equal(foreign.json.error.details[0].path, '/tenant');
    });

    it('a revoked key is refused at once; an expired one once its time has come; the admin token keeps full power', async () => {
      const made = await makeKey(t, 'acme', ['endpoints:read']);
      assert.equal((await call(t.url, 'GET', '/v1/endpoints', made.key)).status, 200);
      const del = await t.api('DELETE', `/v1/api-keys/${made.id}`);
      assert.equal(del.status, 204);
      const refused = await call(t.url, 'GET', '/v1/endpoints', made.key);
      assert.equal(refused.status, 401);
      assert.equal(refused.json.error.message, 'this API key was revoked');
      const listed = (await t.api('GET', '/v1/api-keys?tenant=acme')).json.data.find((k: any) => k.id === made.id);
      assert.equal(listed.status, 'revoked');
      assert.ok(listed.revoked_at);
      assert.equal((await t.api('DELETE', `/v1/api-keys/${made.id}`)).status, 204, 'revoking again is harmless');
      assert.equal((await t.api('DELETE', '/v1/api-keys/key_missing')).status, 404);

      const expiresAt = new Date(Date.now() + 1500).toISOString();
      const short = await makeKey(t, 'acme', ['endpoints:read'], { expires_at: expiresAt });
      assert.equal(short.scopes.length, 1);
      const early = await call(t.url, 'GET', '/v1/endpoints', short.key);
      if (Date.now() < Date.parse(expiresAt)) assert.equal(early.status, 200, early.text);
      const expired = await until(async () => {
        const r = await call(t.url, 'GET', '/v1/endpoints', short.key);
        return r.status === 401 ? r : null;
      }, 15_000, 'the key to expire');
      assert.equal(expired.json.error.message, 'this API key has expired');
      assert.ok(Date.now() >= Date.parse(expiresAt), 'refused only after its time');

      const forged = await call(t.url, 'GET', '/v1/endpoints', `hk_${'A'.repeat(43)}`);
      assert.equal(forged.status, 401);
      assert.equal(forged.json.error.message, 'invalid API key');
      assert.equal((await call(t.url, 'GET', '/v1/endpoints', null)).status, 401);

      assert.equal((await t.api('GET', `/v1/endpoints/${globex.endpointId}`)).status, 200);
      assert.equal((await t.api('GET', '/v1/api-keys')).status, 200);
    });

    if (dialect === 'postgres') {
      it('a key revoked on one process is refused at once by another sharing the database', async () => {
        const other = await spawnHerald({ HERALD_DATABASE_URL: t.db.databaseUrl!, HERALD_DATA_DIR: t.db.dataDir, HERALD_ROLE: 'api' });
        try {
          const made = await makeKey(t, 'acme', ['endpoints:read']);
          const seen = await call(other.url, 'GET', '/v1/endpoints', made.key);
          assert.equal(seen.status, 200, seen.text);
          assert.ok(seen.json.data.every((e: any) => e.tenant === 'acme'));
          assert.equal((await call(other.url, 'GET', `/v1/endpoints/${globex.endpointId}`, made.key)).status, 404);
          assert.equal((await t.api('DELETE', `/v1/api-keys/${made.id}`)).status, 204);
          const refused = await call(other.url, 'GET', '/v1/endpoints', made.key);
          assert.equal(refused.status, 401, refused.text);
          assert.equal(refused.json.error.message, 'this API key was revoked');
        } finally {
          other.child.kill('SIGTERM');
          await other.exited;
        }
      });
    }
  });
}
