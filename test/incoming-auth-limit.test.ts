import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { makeAuthFailureLimiter } from '../src/api/auth-failures.js';
import { DIALECTS, skipFor } from './helpers/databases.js';
import { startTestHerald, until } from './helpers/herald.js';

function metric(text: string, name: string, labels = ''): number {
  const line = text.split('\n').find((l) => l.startsWith(`${name}${labels} `));
  return line ? Number(line.split(' ')[1]) : 0;
}

for (const dialect of DIALECTS) {
  describe(`failed callback authentications (${dialect})`, { skip: skipFor(dialect) }, () => {
    it('are limited per address with 429 and Retry-After, counted in /metrics, and only the 401s are logged', async () => {
      const h = await startTestHerald(dialect, { HERALD_INCOMING_AUTH_FAILURES: '3', HERALD_INCOMING_AUTH_WINDOW: '2s' });
      try {
        const ep = await h.api('POST', '/v1/endpoints', { name: 'backend', url: 'http://127.0.0.1:9/', format: 'strigo', validate: false });
        const good = `Bearer ${ep.json.callback.user}:${ep.json.callback.key}`;
        const body = JSON.stringify({ source_message_id: 'msg_nothing', type: 'RESOURCE', action: 'CREATED', data: { resources: [] } });
        const post = async (authorization: string) => {
          const res = await fetch(`${h.url}/v1/incoming`, { method: 'POST', headers: { authorization, 'content-type': 'application/json' }, body });
          return { status: res.status, retryAfter: res.headers.get('retry-after'), json: (await res.json()) as any };
        };

        // Credentials are checked while the address is under its limit: the right key is not refused as a stranger.
        assert.equal((await post(good)).status, 404);
        for (let i = 0; i < 3; i++) assert.equal((await post(`Bearer ${ep.json.callback.user}:wrong-${i}`)).status, 401);
        for (const authorization of ['Bearer cb_nobody:nope', good]) {
          const limited = await post(authorization);
          assert.equal(limited.status, 429);
          assert.equal(limited.json.error.code, 'rate_limited');
          assert.match(limited.json.error.message, /too many failed callback authentications/);
          const seconds = Number(limited.retryAfter);
          assert.ok(Number.isInteger(seconds) && seconds >= 1 && seconds <= 2, `Retry-After ${limited.retryAfter}`);
        }

        const log = (await h.api('GET', '/v1/incoming?limit=500')).json.data.map((r: any) => r.status_code);
        assert.deepEqual(log, [401, 401, 401, 404], 'the 429s leave no row');
        const metrics = await (await fetch(`${h.url}/metrics`)).text();
        assert.equal(metric(metrics, 'herald_incoming_refused_total', '{status="401"}'), 3);
        assert.equal(metric(metrics, 'herald_incoming_refused_total', '{status="429"}'), 2);
        assert.equal(metric(metrics, 'herald_incoming_refused_total', '{status="404"}'), 1);
        assert.equal(metric(metrics, 'herald_incoming_refused_unlogged_total'), 2);
        assert.equal(metric(metrics, 'herald_incoming_total', '{result="refused"}'), 6);

        // When the window ends the address is heard again.
        const after = await until(async () => {
          const res = await post(good);
          return res.status === 429 ? null : res;
        }, 5000, 'the window to end');
        assert.equal(after.status, 404);
      } finally {
        await h.stop();
      }
    });
  });
}

describe('the failure limiter', () => {
  it('keeps at most its capacity of addresses, dropping ended windows first, then the oldest', () => {
    let now = 0;
    const limiter = makeAuthFailureLimiter({ max: 2, windowMs: 1000, capacity: 3, now: () => now });
    for (const a of ['a', 'a', 'b', 'c']) limiter.fail(a);
    assert.equal(limiter.blockedFor('a'), 1000);
    assert.equal(limiter.blockedFor('b'), 0);
    limiter.fail('d');
    assert.equal(limiter.size, 3);
    assert.equal(limiter.blockedFor('a'), 0, 'the oldest address made room');
    now = 1500;
    limiter.fail('e');
    assert.equal(limiter.size, 1, 'ended windows went first');
    for (let i = 0; i < 10_000; i++) limiter.fail(`x${i}`);
    assert.equal(limiter.size, 3);
  });
});
