import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadConfig } from '../src/config.js';
import { DIALECTS, skipFor } from './helpers/databases.js';
import { startTestHerald, TEST_TOKEN } from './helpers/herald.js';

describe('HERALD_MAX_BODY_BYTES', () => {
  it('defaults to 8 MiB, takes KiB or MiB, and must hold one event of HERALD_MAX_EVENT_BYTES', () => {
    assert.equal(loadConfig({}).maxBodyBytes, 8 * 1024 * 1024);
    assert.equal(loadConfig({ HERALD_MAX_BODY_BYTES: '512KiB' }).maxBodyBytes, 512 * 1024);
    assert.equal(loadConfig({ HERALD_MAX_BODY_BYTES: '32MiB', HERALD_MAX_EVENT_BYTES: '16MiB' }).maxEventBytes, 16 * 1024 * 1024);
    assert.throws(
      () => loadConfig({ HERALD_MAX_BODY_BYTES: '64KiB' }),
      /^ConfigError: HERALD_MAX_BODY_BYTES: 65536 bytes cannot hold one event of HERALD_MAX_EVENT_BYTES \(262144 bytes\); lower HERALD_MAX_EVENT_BYTES too$/,
    );
    for (const bad of ['huge', '1KiB', '65MiB']) {
      assert.throws(() => loadConfig({ HERALD_MAX_BODY_BYTES: bad }), /^ConfigError: HERALD_MAX_BODY_BYTES: must be a size/, bad);
    }
    assert.throws(
      () => loadConfig({ HERALD_MAX_EVENT_BYTES: '16MiB' }),
      /^ConfigError: HERALD_MAX_EVENT_BYTES: 16777216 bytes does not fit in a request body of HERALD_MAX_BODY_BYTES \(8388608 bytes\); raise HERALD_MAX_BODY_BYTES too$/,
    );
  });
});

for (const dialect of DIALECTS) {
  describe(`every problem at once, and what was expected (${dialect})`, { skip: skipFor(dialect) }, () => {
    it('a 422 lists the schema problems and the rules of endpoints, subscriptions and topics together, and stores nothing', async () => {
      const h = await startTestHerald(dialect);
      try {
        const both = await h.api('POST', '/v1/endpoints', { name: 'x', url: 'ftp://example.com/', format: 'standard', headers: { 'X-Count': 5, Host: 'evil' } });
        assert.equal(both.status, 422);
        assert.equal(both.json.error.message, '3 problems in the request');
        assert.deepEqual(
          both.json.error.details.map((d: { path: string }) => d.path).sort(),
          ['/headers/Host', '/headers/X-Count', '/url'],
        );
        assert.equal(both.json.error.details.find((d: { path: string }) => d.path === '/url').message, 'scheme ftp is not allowed (only http and https)');

        // A field the schema already refused is not refused twice.
        const once = await h.api('POST', '/v1/endpoints', { name: 'x', url: 'ftp://' + 'a'.repeat(2100), format: 'nope' });
        assert.equal(once.status, 422);
        assert.deepEqual(once.json.error.details.map((d: { path: string }) => d.path).sort(), ['/format', '/url']);

        const listed = await h.api('GET', '/v1/endpoints');
        assert.deepEqual(listed.json.data, [], 'nothing was stored');

        const ep = await h.api('POST', '/v1/endpoints', { name: 'ok', url: 'http://127.0.0.1:9/hook', format: 'standard' });
        assert.equal(ep.status, 201);
        const patch = await h.api('PATCH', `/v1/endpoints/${ep.json.id}`, { url: 'gopher://example.com/', rate_limit: 0 });
        assert.equal(patch.status, 422);
        assert.deepEqual(patch.json.error.details.map((d: { path: string }) => d.path).sort(), ['/rate_limit', '/url']);
        assert.equal((await h.api('GET', `/v1/endpoints/${ep.json.id}`)).json.url, 'http://127.0.0.1:9/hook', 'unchanged');

        const sub = await h.api('POST', '/v1/subscriptions', { endpoint_id: ep.json.id, events: ['a b//c'], scope: { resource_scope: 'galaxy' } });
        assert.equal(sub.status, 422);
        assert.deepEqual(sub.json.error.details.map((d: { path: string }) => d.path).sort(), ['/events/0', '/scope/resource_scope']);
        const topic = await h.api('POST', '/v1/topics', { name: 't', events: ['a b//c'], title_en: '{{.x', enabled: 'yes' });
        assert.equal(topic.status, 422);
        assert.deepEqual(topic.json.error.details.map((d: { path: string }) => d.path).sort(), ['/enabled', '/events/0', '/title_en']);
        assert.deepEqual((await h.api('GET', '/v1/subscriptions')).json.data, [], 'no subscription was stored');
      } finally {
        await h.stop();
      }
    });

    it('an Authorization header without Bearer says what was expected; a missing or wrong token says so', async () => {
      const h = await startTestHerald(dialect);
      try {
        const message = async (authorization: string | undefined) => {
          const res = await fetch(`${h.url}/v1/endpoints`, { headers: authorization === undefined ? {} : { authorization } });
          assert.equal(res.status, 401);
          return ((await res.json()) as { error: { message: string } }).error.message;
        };
        assert.equal(await message(TEST_TOKEN), 'expected `Authorization: Bearer <token>`, got a value without a scheme');
        assert.equal(await message(`Basic ${TEST_TOKEN}`), 'expected `Authorization: Bearer <token>`, got the Basic scheme');
        assert.equal(await message('Token abc'), 'expected `Authorization: Bearer <token>`, got the Token scheme');
        assert.match(await message(undefined), /^missing admin token: send Authorization: Bearer <HERALD_ADMIN_TOKEN>$/);
        assert.match(await message('Bearer'), /^missing admin token/);
        assert.equal(await message('Bearer not-the-token-at-all'), 'invalid admin token');
        assert.equal((await fetch(`${h.url}/v1/endpoints`, { headers: { authorization: `bearer ${TEST_TOKEN}` } })).status, 200);
      } finally {
        await h.stop();
      }
    });

    it('`since` takes an age or an ISO time wherever it is accepted, and names itself when it is neither', async () => {
      const h = await startTestHerald(dialect);
      try {
        const ep = await h.api('POST', '/v1/endpoints', { name: 'ok', url: 'http://127.0.0.1:9/hook', format: 'standard' });
        for (const since of ['30m', '2h', '7d', '2026-01-31T12:00:00Z']) {
          const recover = await h.api('POST', `/v1/endpoints/${ep.json.id}/recover`, { since });
          assert.equal(recover.status, 200, `${since}: ${recover.text}`);
          assert.deepEqual(recover.json, { requeued: 0 });
          for (const q of ['since', 'created_since']) {
            const list = await h.api('GET', `/v1/deliveries?${q}=${encodeURIComponent(since)}`);
            assert.equal(list.status, 200, `${q}=${since}: ${list.text}`);
          }
        }
        const bad = await h.api('POST', `/v1/endpoints/${ep.json.id}/recover`, { since: 'yesterday' });
        assert.equal(bad.status, 422);
        assert.equal(bad.json.error.details[0].path, '/since');
        assert.match(bad.json.error.details[0].message, /ISO-8601 time .* or an age such as 30m, 2h or 7d/);
        const badQuery = await h.api('GET', '/v1/deliveries?created_since=soon');
        assert.equal(badQuery.status, 422);
        assert.equal(badQuery.json.error.details[0].path, '/created_since');
      } finally {
        await h.stop();
      }
    });

    it('a publish body over HERALD_MAX_BODY_BYTES is a 413 naming the limit and the variable, and stores nothing', async () => {
      const h = await startTestHerald(dialect, { HERALD_MAX_BODY_BYTES: '64KiB', HERALD_MAX_EVENT_BYTES: '16KiB' });
      try {
        const events = Array.from({ length: 40 }, (_, i) => ({ type: 'CLASS', action: 'CREATED', entity_ids: [`c${i}`], data: { pad: 'x'.repeat(2000) } }));
        const over = await h.api('POST', '/v1/events', { events });
        assert.equal(over.status, 413);
        assert.equal(over.json.error.code, 'payload_too_large');
        assert.equal(over.json.error.message, 'request body is larger than the 64 KiB limit (HERALD_MAX_BODY_BYTES)');
        const within = await h.api('POST', '/v1/events', { events: events.slice(0, 20) });
        assert.equal(within.status, 202, within.text);
        const count = await h.herald.ctx.store.db.selectFrom('messages').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
        assert.equal(Number(count.n), 20, 'only the batch within the limit was stored');
      } finally {
        await h.stop();
      }
    });
  });
}
