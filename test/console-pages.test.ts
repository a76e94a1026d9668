import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DIALECTS, skipFor } from './helpers/databases.js';
import { startReceiver } from './helpers/receiver.js';
import { startTestHerald, TEST_TOKEN, until } from './helpers/herald.js';

/** The console over plain HTTP on both databases: auth, escaping, and the overview's numbers. */
for (const dialect of DIALECTS) {
  describe(`console pages (${dialect})`, { skip: skipFor(dialect) }, () => {
    test('pages need the cookie, escape stored text, and the overview counts attempts per minute', async () => {
      const h = await startTestHerald(dialect, { HERALD_RETRY_SCHEDULE: '50ms' });
      const receiver = await startReceiver((_r, i) => ({ status: i === 0 ? 500 : 200 }));
      try {
        const anon = await fetch(`${h.url}/endpoints`, { redirect: 'manual' });
        assert.equal(anon.status, 303);
        assert.equal(anon.headers.get('location'), '/login?next=%2Fendpoints');
        const bad = await fetch(`${h.url}/login`, { method: 'POST', body: new URLSearchParams({ token: 'wrong-token-wrong-token' }), redirect: 'manual' });
        assert.equal(bad.status, 401);
        const login = await fetch(`${h.url}/login?next=//evil.example`, { method: 'POST', body: new URLSearchParams({ token: TEST_TOKEN }), redirect: 'manual' });
        assert.equal(login.status, 303);
        assert.equal(login.headers.get('location'), '/', 'no open redirect');
        const setCookie = login.headers.get('set-cookie') ?? '';
        assert.match(setCookie, /HttpOnly/);
        assert.match(setCookie, /SameSite=Strict/);
        const cookie = setCookie.split(';')[0]!;
        const get = async (path: string) => {
          const res = await fetch(h.url + path, { headers: { cookie } });
          return { status: res.status, text: await res.text() };
        };

        const ep = await h.api('POST', '/v1/endpoints', { name: '<script>alert(1)</script>', url: receiver.url, format: 'strigo' });
        assert.equal(ep.status, 201);
        await h.api('POST', '/v1/subscriptions', { endpoint_id: ep.json.id, events: ['ONDEMAND_ENROLLMENT/*'] });
        await h.api('POST', '/v1/events', { type: 'ONDEMAND_ENROLLMENT', action: 'STARTED', entity_ids: ['enr_<b>'] });
        await receiver.waitFor(2);
        await until(async () => (await h.api('GET', '/v1/deliveries?status=succeeded')).json.data.length === 1, 10_000, 'the delivery');

        const list = await get('/endpoints');
        assert.equal(list.status, 200);
        assert.ok(!list.text.includes('<script>alert(1)</script>'), 'names are escaped');
        assert.ok(list.text.includes('&lt;script&gt;alert(1)&lt;/script&gt;'));
        assert.match(list.text, /50%/, 'one success in two attempts');

        const overview = await get('/');
        assert.equal(overview.status, 200);
        assert.match(overview.text, /<div class="value">2<\/div><div class="label">attempts in the last hour/);
        // Counted per delivery: it got through on its second attempt, so nothing is red.
        assert.match(overview.text, /<div class="value">1<\/div><div class="label">delivered in the last hour \(1 needed a retry\)/);
        assert.match(overview.text, /<svg class="ring ok"/);
        // The two attempts may fall either side of a minute: summed over the minutes, one ok and one failed.
        const minutes = new Map([...overview.text.matchAll(/<title>([0-9:]+): (\d+) ok, (\d+) failed<\/title>/g)].map((m) => [m[1], [Number(m[2]), Number(m[3])]]));
        const sum = [...minutes.values()].reduce((t, [ok, failed]) => [t[0]! + ok!, t[1]! + failed!], [0, 0]);
        assert.deepEqual(sum, [1, 1], JSON.stringify([...minutes]));
        assert.match(overview.text, /class="bad"><title>[0-9:]+: \d+ ok, 1 failed/, 'a minute with a failure is drawn red');

        for (const path of ['/subscriptions', '/topics', '/deliveries?status=succeeded&since=1h', '/incoming', '/entities', `/endpoints/${ep.json.id}`]) {
          const page = await get(path);
          assert.equal(page.status, 200, `${path}: ${page.text.slice(0, 300)}`);
        }
        const bogus = await get('/deliveries?since=yesterday-ish');
        assert.equal(bogus.status, 422);
        assert.match(bogus.text, /must be 15m, 1h, 24h, 7d or an ISO-8601 time/);

        const foreign = await fetch(`${h.url}/endpoints/${ep.json.id}/disable`, { method: 'POST', headers: { cookie, origin: 'http://evil.example' }, redirect: 'manual' });
        assert.equal(foreign.status, 403, 'a form from another origin is refused');
        assert.equal((await h.api('GET', `/v1/endpoints/${ep.json.id}`)).json.enabled, true);
      } finally {
        await receiver.close();
        await h.stop();
      }
    });
  });
}
