import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DIALECTS, freshDatabase, skipFor } from './helpers/databases.js';
import { startTestHerald, type TestHerald } from './helpers/herald.js';
import { startReceiver } from './helpers/receiver.js';

/** Opens a portal link without following its redirect: the answer carries the cookie or the refusal page. */
async function open(url: string) {
  const res = await fetch(url, { redirect: 'manual' });
  return { status: res.status, location: res.headers.get('location'), cookie: res.headers.get('set-cookie'), text: await res.text(), csp: res.headers.get('content-security-policy') };
}

const sessionCookie = (setCookie: string | null) => (setCookie ?? '').split(';')[0]!;

for (const dialect of DIALECTS) {
  describe(`portal sessions (${dialect})`, { skip: skipFor(dialect) }, () => {
    let h: TestHerald;
    before(async () => {
      h = await startTestHerald(dialect);
    });
    after(async () => {
      await h?.stop();
    });

    it('creates a session whose link lets one person in, once, with an HttpOnly cookie scoped to /portal', async () => {
      const r = await h.api('POST', '/v1/portal-sessions', { tenant: 'acme', ttl: '2h', brand: { name: 'Acme Labs', color: '#aa3300', logo_url: 'https://acme.example/logo.png' } });
      assert.equal(r.status, 201, r.text);
      assert.match(r.json.id, /^psn_/);
      assert.ok(r.json.url.startsWith(`${h.url}/portal/enter/pe_`), r.json.url);
      const expires = Date.parse(r.json.expires_at);
      assert.ok(Math.abs(expires - (Date.now() + 2 * 3600_000)) < 60_000, r.json.expires_at);

      const first = await open(r.json.url);
      assert.equal(first.status, 303);
      assert.equal(first.location, '/portal');
      assert.match(first.cookie ?? '', /^herald_portal=ps_[\w-]+; Path=\/portal; HttpOnly; SameSite=None; Secure; Partitioned; Max-Age=\d+$/);
      const page = await fetch(`${h.url}/portal`, { headers: { cookie: sessionCookie(first.cookie) } });
      assert.equal(page.status, 200);
      const text = await page.text();
      assert.match(text, /Acme Labs/);
      assert.match(text, /#aa3300/);
      assert.match(page.headers.get('content-security-policy') ?? '', /frame-ancestors 'self'/);

      const nowhere = await fetch(`${h.url}/portal/nowhere`, { headers: { cookie: sessionCookie(first.cookie) } });
      assert.equal(nowhere.status, 404);
      assert.match(await nowhere.text(), /the portal has no page \/portal\/nowhere/);

      const second = await open(r.json.url);
      assert.equal(second.status, 410);
      assert.equal(second.cookie, null);
      assert.match(second.text, /already used/);
    });

    it('on plain http to a host that is not loopback the cookie is SameSite=Lax, without Secure', async () => {
      const r = await h.api('POST', '/v1/portal-sessions', { tenant: 'acme' });
      const { request } = await import('node:http');
      const u = new URL(r.json.url);
      const cookie = await new Promise<string>((resolve, reject) => {
        const req = request({ host: u.hostname, port: u.port, path: u.pathname, headers: { host: 'herald.internal' } }, (res) => {
          res.resume();
          resolve(String(res.headers['set-cookie'] ?? ''));
        });
        req.on('error', reject);
        req.end();
      });
      assert.match(cookie, /^herald_portal=ps_[\w-]+; Path=\/portal; HttpOnly; SameSite=Lax; Max-Age=\d+$/);
    });

    it('the stored session holds neither token', async () => {
      const r = await h.api('POST', '/v1/portal-sessions', { tenant: 'acme' });
      const token = r.json.url.split('/').pop() as string;
      const entered = await open(r.json.url);
      const cookieToken = sessionCookie(entered.cookie).split('=')[1]!;
      const rows = await h.herald.ctx.store.db.selectFrom('portal_sessions').selectAll().where('id', '=', r.json.id).execute();
      const stored = JSON.stringify(rows);
      assert.equal(stored.includes(token), false);
      assert.equal(stored.includes(cookieToken), false);
      assert.equal(rows.length, 1);
    });

    it('refuses an unknown link, an expired session and a revoked one, each with its own page', async () => {
      const unknown = await open(`${h.url}/portal/enter/pe_nothing-like-a-real-token`);
      assert.equal(unknown.status, 401);
      assert.match(unknown.text, /not valid/);

      const short = await h.api('POST', '/v1/portal-sessions', { tenant: 'acme', ttl: '1s' });
      assert.equal(short.status, 201, short.text);
      await new Promise((r) => setTimeout(r, 1200));
      const expired = await open(short.json.url);
      assert.equal(expired.status, 410);
      assert.match(expired.text, /expired/);

      const revoked = await h.api('POST', '/v1/portal-sessions', { tenant: 'acme' });
      assert.equal((await h.api('DELETE', `/v1/portal-sessions/${revoked.json.id}`)).status, 204);
      const gone = await open(revoked.json.url);
      assert.equal(gone.status, 410);
      assert.match(gone.text, /revoked/);
      assert.equal((await h.api('DELETE', '/v1/portal-sessions/psn_missing')).status, 404);
    });

    it('revoking a session ends it at once, and revoking a tenant ends all of its sessions and no other', async () => {
      const enter = async (tenant: string) => {
        const r = await h.api('POST', '/v1/portal-sessions', { tenant });
        return { id: r.json.id as string, cookie: sessionCookie((await open(r.json.url)).cookie) };
      };
      const a1 = await enter('t-a');
      const a2 = await enter('t-a');
      const b = await enter('t-b');
      const status = async (cookie: string) => (await fetch(`${h.url}/portal`, { headers: { cookie } })).status;
      assert.equal(await status(a1.cookie), 200);
      assert.equal((await h.api('DELETE', `/v1/portal-sessions/${a1.id}`)).status, 204);
      const after1 = await fetch(`${h.url}/portal`, { headers: { cookie: a1.cookie } });
      assert.equal(after1.status, 410);
      assert.match(await after1.text(), /revoked/);
      assert.equal(await status(a2.cookie), 200);

      const all = await h.api('DELETE', '/v1/portal-sessions?tenant=t-a');
      assert.equal(all.status, 200, all.text);
      assert.equal(all.json.revoked, 1);
      assert.equal(await status(a2.cookie), 410);
      assert.equal(await status(b.cookie), 200);
      const noTenant = await h.api('DELETE', '/v1/portal-sessions');
      assert.equal(noTenant.status, 422);
      assert.match(noTenant.text, /tenant/);
    });

    it('names each bad field', async () => {
      const r = await h.api('POST', '/v1/portal-sessions', { tenant: 'acme', ttl: '8d', brand: { color: 'red', logo_url: 'http://acme.example/logo.png' } });
      assert.equal(r.status, 422, r.text);
      const paths = r.json.error.details.map((d: any) => d.path).sort();
      assert.deepEqual(paths, ['/brand/color', '/brand/logo_url', '/ttl']);
      assert.match(r.text, /at most 7d/);
      const bad = await h.api('POST', '/v1/portal-sessions', { tenant: 'acme', ttl: 'soon' });
      assert.equal(bad.status, 422);
      assert.match(bad.text, /30m, 1h or 7d/);
      const extra = await h.api('POST', '/v1/portal-sessions', { tenant: 'acme', tennant: 'x' });
      assert.equal(extra.status, 422);
      assert.equal((await h.api('POST', '/v1/portal-sessions', { tenant: 'acme' }, { authorization: 'Bearer wrong' })).status, 401);
    });

    it('a signed-out visitor and a forged cookie get the sign-in page, not the portal', async () => {
      const none = await fetch(`${h.url}/portal`);
      assert.equal(none.status, 401);
      assert.match(await none.text(), /not signed in/);
      const forged = await fetch(`${h.url}/portal/deliveries`, { headers: { cookie: 'herald_portal=ps_forged' } });
      assert.equal(forged.status, 401);
    });

    it('POSTs need the session form token and a same-site Origin', async () => {
      const r = await h.api('POST', '/v1/portal-sessions', { tenant: 'acme' });
      const cookie = sessionCookie((await open(r.json.url)).cookie);
      const page = await (await fetch(`${h.url}/portal`, { headers: { cookie } })).text();
      const csrf = /name="_csrf" value="([0-9a-f]+)"/.exec(page)![1]!;
      const post = (body: string, origin?: string) =>
        fetch(`${h.url}/portal/endpoints`, { method: 'POST', redirect: 'manual', headers: { cookie, 'content-type': 'application/x-www-form-urlencoded', ...(origin ? { origin } : {}) }, body });
      const form = `name=x&url=${encodeURIComponent('http://127.0.0.1:9/x')}&format=standard`;
      assert.equal((await post(form)).status, 403);
      assert.equal((await post(`${form}&_csrf=${'0'.repeat(64)}`)).status, 403);
      assert.equal((await post(`${form}&_csrf=${csrf}`, 'http://evil.example')).status, 403);
      const ok = await post(`${form}&_csrf=${csrf}`, h.url);
      assert.equal(ok.status, 201, await ok.text());
      const listed = await h.api('GET', '/v1/endpoints?tenant=acme');
      assert.equal(listed.json.data.filter((e: any) => e.name === 'x').length, 1);
    });
  });
}

/** Signs in to the portal with a fresh session and answers a POST helper that carries its form token. */
async function signIn(h: TestHerald, body: Record<string, unknown>) {
  const r = await h.api('POST', '/v1/portal-sessions', body);
  const cookie = sessionCookie((await open(r.json.url)).cookie);
  const page = await (await fetch(`${h.url}/portal`, { headers: { cookie } })).text();
  const csrf = /name="_csrf" value="([0-9a-f]+)"/.exec(page)?.[1] ?? '';
  const post = async (path: string, form: Record<string, string>) => {
    const res = await fetch(`${h.url}${path}`, {
      method: 'POST',
      redirect: 'manual',
      headers: { cookie, origin: h.url, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ _csrf: csrf, ...form }).toString(),
    });
    return { status: res.status, text: await res.text() };
  };
  return { cookie, page, post };
}

for (const dialect of DIALECTS) {
  describe(`the portal's forms (${dialect})`, { skip: skipFor(dialect) }, () => {
    let h: TestHerald;
    before(async () => {
      h = await startTestHerald(dialect);
    });
    after(async () => {
      await h?.stop();
    });

    it('a cloudpods endpoint whose validation call fails is refused with the reason, and nothing is stored', async () => {
      const refusing = await startReceiver(() => ({ status: 500, body: 'no thanks' }));
      try {
        const { post } = await signIn(h, { tenant: 'pods' });
        const r = await post('/portal/endpoints', { name: 'robot', url: `${refusing.url}/robot`, format: 'cloudpods', validate: '1' });
        assert.equal(r.status, 422, r.text);
        assert.match(r.text, /validation call failed/);
        assert.equal(refusing.received.length, 1, 'the validation call was made');
        assert.equal((await h.api('GET', '/v1/endpoints?tenant=pods')).json.data.length, 0);
      } finally {
        await refusing.close();
      }
    });

    it('the SSRF guard applies to endpoints made in the portal', async () => {
      const guarded = await startTestHerald(dialect, { HERALD_ALLOW_PRIVATE_NETWORKS: 'false' });
      try {
        const { post } = await signIn(guarded, { tenant: 'acme' });
        const r = await post('/portal/endpoints', { name: 'metadata', url: 'http://169.254.169.254/latest', format: 'standard' });
        assert.equal(r.status, 422, r.text);
        assert.match(r.text, /URL/);
        assert.equal((await guarded.api('GET', '/v1/endpoints?tenant=acme')).json.data.length, 0);
      } finally {
        await guarded.stop();
      }
    });

    it('a form naming another tenant is refused, and brand text is shown as text', async () => {
      const { page, post } = await signIn(h, { tenant: 'acme', brand: { name: '<script>alert(1)</script>' } });
      assert.equal(page.includes('<script>alert(1)</script>'), false);
      assert.match(page, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/);
      const r = await post('/portal/endpoints', { name: 'x', url: 'http://127.0.0.1:9/x', format: 'standard', tenant: 'globex' });
      assert.equal(r.status, 422);
      assert.match(r.text, /must be acme/);
      assert.equal((await h.api('GET', '/v1/endpoints?tenant=globex')).json.data.length, 0);
    });
  });
}

describe('portal sessions across processes (postgres)', { skip: skipFor('postgres') }, () => {
  it('a link made on one process opens on another, and a revocation on either holds on both', async () => {
    const db = await freshDatabase('postgres');
    const one = await startTestHerald('postgres', {}, db);
    const two = await startTestHerald('postgres', {}, db);
    try {
      const r = await one.api('POST', '/v1/portal-sessions', { tenant: 'acme' });
      assert.equal(r.status, 201, r.text);
      const onTwo = r.json.url.replace(one.url, two.url);
      const entered = await open(onTwo);
      assert.equal(entered.status, 303);
      const cookie = sessionCookie(entered.cookie);
      // Used on the second process: the first refuses it too.
      assert.equal((await open(r.json.url)).status, 410);
      assert.equal((await fetch(`${one.url}/portal`, { headers: { cookie } })).status, 200);
      assert.equal((await two.api('DELETE', `/v1/portal-sessions/${r.json.id}`)).status, 204);
      const after = await fetch(`${one.url}/portal`, { headers: { cookie } });
      assert.equal(after.status, 410);
      assert.match(await after.text(), /revoked/);
    } finally {
      await one.stop();
      await two.stop();
      await db.drop();
    }
  });
});

describe('HERALD_PORTAL_FRAME_ANCESTORS', () => {
  it('is checked at start-up', async () => {
    const { loadConfig } = await import('../src/config.js');
    assert.throws(() => loadConfig({ HERALD_PORTAL_FRAME_ANCESTORS: "https://app.example.com; script-src *" }), /HERALD_PORTAL_FRAME_ANCESTORS/);
    assert.throws(() => loadConfig({ HERALD_PORTAL_FRAME_ANCESTORS: "'none' https://a.example" }), /'none'/);
    assert.equal(loadConfig({ HERALD_PORTAL_FRAME_ANCESTORS: "'self'  https://*.example.com http://localhost:3000" }).portalFrameAncestors, "'self' https://*.example.com http://localhost:3000");
    assert.equal(loadConfig({}).portalFrameAncestors, "'self'");
  });
});
