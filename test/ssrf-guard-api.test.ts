import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestHerald, until, type TestHerald } from './helpers/herald.js';
import { startReceiver, type Receiver } from './helpers/receiver.js';

/**
 * The SSRF guard as a client meets it: through the API and real deliveries. The address classification itself is
 * unit-tested in test/unit/ssrf.test.ts; here every kind is shown to be refused where it matters.
 */

const FORBIDDEN: Array<[kind: string, url: string]> = [
  ['IPv4 loopback', 'http://127.0.0.1/hook'],
  ['loopback, decimal notation', 'http://2130706433/hook'],
  ['loopback, hex notation', 'http://0x7f000001/hook'],
  ['loopback, short form', 'http://127.1/hook'],
  ['loopback, octal notation', 'http://0177.0.0.1/hook'],
  ['private 10/8', 'http://10.0.0.1/hook'],
  ['private 172.16/12', 'http://172.16.5.4/hook'],
  ['private 192.168/16', 'https://192.168.1.10/hook'],
  ['link-local (cloud metadata)', 'http://169.254.169.254/latest/meta-data/'],
  ['carrier-grade NAT', 'http://100.64.0.1/hook'],
  ['multicast', 'http://224.0.0.1/hook'],
  ['unspecified', 'http://0.0.0.0/hook'],
  ['broadcast', 'http://255.255.255.255/hook'],
  ['IPv6 loopback', 'http://[::1]/hook'],
  ['IPv6 unspecified', 'http://[::]/hook'],
  ['IPv6 unique-local', 'http://[fd12:3456::1]/hook'],
  ['IPv6 link-local', 'http://[fe80::1]/hook'],
  ['IPv6 multicast', 'http://[ff02::1]/hook'],
  ['IPv4-mapped IPv6 loopback', 'http://[::ffff:127.0.0.1]/hook'],
  ['IPv4-mapped IPv6 metadata', 'http://[::ffff:a9fe:a9fe]/hook'],
  ['NAT64 embedding a private address', 'http://[64:ff9b::a00:1]/hook'],
  ['scheme other than http(s)', 'ftp://example.com/hook'],
  ['file scheme', 'file:///etc/passwd'],
  ['credentials in the URL', 'https://user:pass@example.com/hook'],
];

async function deliveryOf(h: TestHerald, endpointId: string, done: (d: any) => boolean) {
  return until(
    async () => {
      const list = await h.api('GET', `/v1/deliveries?endpoint_id=${endpointId}`);
      const d = list.json.data[0];
      if (!d) return null;
      const full = await h.api('GET', `/v1/deliveries/${d.id}`);
      return done(full.json) ? full.json : null;
    },
    10_000,
    'delivery state',
  );
}

describe('SSRF guard with HERALD_ALLOW_PRIVATE_NETWORKS unset', () => {
  let h: TestHerald;
  let r: Receiver;
  before(async () => {
    h = await startTestHerald('sqlite', { HERALD_ALLOW_PRIVATE_NETWORKS: '', HERALD_RETRY_SCHEDULE: '100ms' });
    r = await startReceiver();
  });
  after(async () => {
    await r.close();
    await h.stop();
  });

  for (const [kind, url] of FORBIDDEN) {
    it(`refuses at create: ${kind} (${url})`, async () => {
      const before = await h.herald.ctx.store.db.selectFrom('endpoints').select('id').execute();
      const res = await h.api('POST', '/v1/endpoints', { name: kind, url, format: 'strigo' });
      assert.equal(res.status, 422, res.text);
      assert.equal(res.json.error.code, 'invalid');
      const urlProblem = res.json.error.details.find((d: { path: string }) => d.path === '/url');
      assert.ok(urlProblem, `a problem names /url: ${res.text}`);
      const after = await h.herald.ctx.store.db.selectFrom('endpoints').select('id').execute();
      assert.equal(after.length, before.length, 'nothing stored');
    });
  }

  it('refuses a forbidden URL on update too', async () => {
    const ep = await h.api('POST', '/v1/endpoints', { name: 'public', url: 'https://hooks.example.com/in', format: 'strigo', enabled: false });
    assert.equal(ep.status, 201, ep.text);
    const res = await h.api('PATCH', `/v1/endpoints/${ep.json.id}`, { url: 'http://169.254.169.254/' });
    assert.equal(res.status, 422, res.text);
    assert.equal(res.json.error.details[0].path, '/url');
    const shown = await h.api('GET', `/v1/endpoints/${ep.json.id}`);
    assert.equal(shown.json.url, 'https://hooks.example.com/in');
  });

  it('refuses at create a host name that resolves to loopback, naming the address and HERALD_ALLOW_PRIVATE_NETWORKS', async () => {
    const before = await h.herald.ctx.store.db.selectFrom('endpoints').select('id').execute();
    const res = await h.api('POST', '/v1/endpoints', { name: 'resolves to loopback', url: `http://localhost:${r.port}/hook`, format: 'strigo', headers: { Host: 'x' } });
    assert.equal(res.status, 422, res.text);
    assert.equal(res.json.error.code, 'invalid');
    const details = res.json.error.details as Array<{ path: string; message: string }>;
    assert.deepEqual(details.map((d) => d.path).sort(), ['/headers/Host', '/url'], 'every problem is listed');
    const url = details.find((d) => d.path === '/url')!;
    assert.match(url.message, /^destination not allowed: (127\.0\.0\.1|::1) is a loopback address \(resolved from localhost\)/);
    assert.match(url.message, /HERALD_ALLOW_PRIVATE_NETWORKS/);
    const after = await h.herald.ctx.store.db.selectFrom('endpoints').select('id').execute();
    assert.equal(after.length, before.length, 'nothing stored');
  });

  it('refuses on update a URL whose host name resolves to loopback', async () => {
    const ep = await h.api('POST', '/v1/endpoints', { name: 'moves home', url: 'https://hooks.example.com/in', format: 'strigo', enabled: false });
    assert.equal(ep.status, 201, ep.text);
    const res = await h.api('PATCH', `/v1/endpoints/${ep.json.id}`, { url: 'http://localhost:9999/' });
    assert.equal(res.status, 422, res.text);
    assert.equal(res.json.error.details[0].path, '/url');
    assert.match(res.json.error.details[0].message, /resolved from localhost\).*HERALD_ALLOW_PRIVATE_NETWORKS/);
    assert.equal((await h.api('GET', `/v1/endpoints/${ep.json.id}`)).json.url, 'https://hooks.example.com/in');
    // A change that leaves the URL alone is not judged by what the host resolves to.
    assert.equal((await h.api('PATCH', `/v1/endpoints/${ep.json.id}`, { name: 'renamed' })).status, 200);
  });

  it('accepts a host name that does not resolve: it may not exist yet, and is judged at every send', async () => {
    const res = await h.api('POST', '/v1/endpoints', { name: 'not yet in DNS', url: 'https://not-yet-there.invalid/hook', format: 'strigo', enabled: false });
    assert.equal(res.status, 201, res.text);
  });

  // The endpoint was saved when its name resolved elsewhere (or before the check existed): the guard's refusal
  // at send time is policy, so the delivery fails at its first attempt rather than retrying on the schedule.
  for (const [kind, target, action] of [
    ['a host name that now resolves to loopback', (port: number) => `http://localhost:${port}/hook`, 'UPDATED'],
    ['a literal loopback address', (port: number) => `http://127.0.0.1:${port}/hook`, 'DELETED'],
  ] as const) {
    it(`fails at once a delivery to ${kind}, naming HERALD_ALLOW_PRIVATE_NETWORKS`, async () => {
      const ep = await h.api('POST', '/v1/endpoints', { name: kind, url: 'https://moved.example.com/hook', format: 'strigo' });
      assert.equal(ep.status, 201, ep.text);
      await h.herald.ctx.store.db.updateTable('endpoints').set({ url: target(r.port) }).where('id', '=', ep.json.id).execute();
      h.herald.ctx.events.emit('endpoint-changed', ep.json.id);
      await h.api('POST', '/v1/subscriptions', { endpoint_id: ep.json.id, events: [`CLASS/${action}`] });
      const pub = await h.api('POST', '/v1/events', { type: 'CLASS', action });
      assert.equal(pub.json.deliveries, 1);
      const d = await deliveryOf(h, ep.json.id, (x) => x.status === 'failed');
      assert.equal(d.attempts.length, 1, `one attempt, though the schedule has another: ${JSON.stringify(d.attempts)}`);
      assert.equal(d.attempts[0].error_class, 'destination');
      assert.equal(d.attempts[0].status_code, null);
      assert.equal(d.next_attempt_at, null);
      assert.match(d.last_error, /^destination not allowed: .*loopback address.*; set HERALD_ALLOW_PRIVATE_NETWORKS /);
      assert.doesNotMatch(d.last_error, /destination not allowed: destination not allowed/, 'said once');
      assert.equal(r.received.length, 0, 'the receiver on loopback got nothing');
    });
  }
});

describe('SSRF guard: redirects and opened ranges', () => {
  it('does not follow a redirect: the attempt records the 302 and the target gets nothing', async () => {
    const h = await startTestHerald('sqlite', { HERALD_ALLOW_PRIVATE_NETWORKS: 'true', HERALD_RETRY_SCHEDULE: '100ms' });
    const target = await startReceiver();
    const redirector = await startReceiver(() => ({ status: 302, headers: { location: target.url } }));
    try {
      const ep = await h.api('POST', '/v1/endpoints', { name: 'redirects', url: redirector.url, format: 'strigo' });
      await h.api('POST', '/v1/subscriptions', { endpoint_id: ep.json.id, events: ['CLASS/*'] });
      await h.api('POST', '/v1/events', { type: 'CLASS', action: 'CREATED' });
      const d = await deliveryOf(h, ep.json.id, (x) => x.status === 'failed');
      assert.equal(d.attempts.length, 2);
      for (const a of d.attempts) assert.equal(a.status_code, 302);
      assert.equal(d.last_status_code, 302);
      assert.equal(redirector.received.length, 2);
      await new Promise((res) => setTimeout(res, 200));
      assert.equal(target.received.length, 0, 'the redirect target was never called');
    } finally {
      await target.close();
      await redirector.close();
      await h.stop();
    }
  });

  it('HERALD_ALLOW_PRIVATE_NETWORKS=127.0.0.0/8 opens loopback (literal and resolved) and nothing else', async () => {
    const h = await startTestHerald('sqlite', { HERALD_ALLOW_PRIVATE_NETWORKS: '127.0.0.0/8' });
    const r = await startReceiver();
    try {
      const literal = await h.api('POST', '/v1/endpoints', { name: 'literal', url: r.url, format: 'strigo' });
      assert.equal(literal.status, 201, literal.text);
      const named = await h.api('POST', '/v1/endpoints', { name: 'named', url: `http://localhost:${r.port}/named`, format: 'strigo' });
      assert.equal(named.status, 201, named.text);
      const privateNet = await h.api('POST', '/v1/endpoints', { name: 'private', url: 'http://10.0.0.1/hook', format: 'strigo' });
      assert.equal(privateNet.status, 422, 'other private ranges stay closed');
      const metadata = await h.api('POST', '/v1/endpoints', { name: 'metadata', url: 'http://169.254.169.254/', format: 'strigo' });
      assert.equal(metadata.status, 422);
      for (const ep of [literal, named]) await h.api('POST', '/v1/subscriptions', { endpoint_id: ep.json.id, events: ['CLASS/*'] });
      await h.api('POST', '/v1/events', { type: 'CLASS', action: 'CREATED' });
      await r.waitFor(2);
      assert.deepEqual(r.received.map((x) => x.url).sort(), ['/hook', '/named']);
    } finally {
      await r.close();
      await h.stop();
    }
  });
});
