import dns from 'node:dns';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import assert from 'node:assert/strict';
import { after, before, describe, it, mock } from 'node:test';
import { request } from 'undici';

import {
  addressProblem,
  createGuardedAgent,
  guardedLookup,
  parseAllowPrivate,
  resolvedUrlProblem,
  urlProblem,
} from '../../src/delivery/ssrf.js';

const GUARD_ON = parseAllowPrivate(undefined);

describe('urlProblem refuses every forbidden literal destination', () => {
  const forbidden: [string, RegExp][] = [
    ['http://127.0.0.1/', /127\.0\.0\.1 is a loopback address/],
    ['http://2130706433/', /127\.0\.0\.1 is a loopback address/],
    ['http://0x7f.1/', /127\.0\.0\.1 is a loopback address/],
    ['http://127.1/', /127\.0\.0\.1 is a loopback address/],
    ['http://0177.0.0.1/', /127\.0\.0\.1 is a loopback address/],
    ['http://10.0.0.1/', /private/],
    ['http://172.16.0.1/', /private/],
    ['http://192.168.1.1/', /private/],
    ['http://169.254.169.254/latest/meta-data/', /link-local/],
    ['http://100.64.0.1/', /carrier-grade NAT/],
    ['http://224.0.0.1/', /multicast/],
    ['http://0.0.0.0/', /unspecified/],
    ['http://255.255.255.255/', /broadcast/],
    ['http://192.0.2.1/', /reserved/],
    ['http://[::1]/', /loopback/],
    ['http://[::]/', /unspecified/],
    ['http://[fc00::1]/', /unique-local/],
    ['http://[fe80::1]/', /link-local/],
    ['http://[::ffff:127.0.0.1]/', /embeds 127\.0\.0\.1, a loopback address/],
    ['http://[::ffff:7f00:1]/', /embeds 127\.0\.0\.1, a loopback address/],
    ['http://[64:ff9b::a00:1]/', /embeds 10\.0\.0\.1, a private address/],
    ['http://[2002:c0a8:101::1]/', /6to4/],
    ['http://[2001::1]/', /Teredo/],
    ['http://[::7f00:1]/', /not a global unicast address/],
  ];
  for (const [url, reason] of forbidden) {
    it(`refuses ${url}`, () => {
      const problem = urlProblem(url, GUARD_ON);
      assert.ok(problem, `${url} should be refused`);
      assert.match(problem, /^destination not allowed: /);
      assert.match(problem, reason);
    });
  }
});

describe('urlProblem checks scheme, host and credentials', () => {
  it('refuses ftp:// and file://', () => {
    assert.match(urlProblem('ftp://files.example.com/x', GUARD_ON) ?? '', /scheme ftp is not allowed/);
    assert.match(urlProblem('file:///etc/passwd', GUARD_ON) ?? '', /scheme file is not allowed/);
  });

  it('refuses credentials in the URL', () => {
    assert.match(urlProblem('https://user:pw@hooks.example.com/', GUARD_ON) ?? '', /credentials/);
    assert.match(urlProblem('https://user@hooks.example.com/', GUARD_ON) ?? '', /credentials/);
  });

  it('refuses what is not a URL', () => {
    assert.equal(urlProblem('hooks.example.com/in', GUARD_ON), 'not a valid URL');
  });

  it('allows global unicast addresses and leaves host names to the lookup', () => {
    assert.equal(urlProblem('http://93.184.216.34/hook', GUARD_ON), null);
    assert.equal(urlProblem('https://[2606:4700::1111]/hook', GUARD_ON), null);
    assert.equal(urlProblem('https://[64:ff9b::5db8:d822]/hook', GUARD_ON), null);
    assert.equal(urlProblem('https://hooks.example.com:8443/in?x=1', GUARD_ON), null);
    assert.equal(urlProblem('http://localhost:8080/', GUARD_ON), null);
  });
});

describe('parseAllowPrivate', () => {
  it('reads unset, empty and false as guard on, true as guard off', () => {
    for (const value of [undefined, '', 'false', ' FALSE ']) {
      assert.deepEqual(parseAllowPrivate(value), { mode: 'none' });
    }
    const all = parseAllowPrivate('true');
    assert.equal(addressProblem('127.0.0.1', all), null);
    assert.equal(addressProblem('169.254.169.254', all), null);
    assert.equal(urlProblem('http://[::ffff:10.0.0.1]/', all), null);
  });

  it('opens exactly the listed ranges, IPv4 and IPv6', () => {
    const allow = parseAllowPrivate('10.1.0.0/16, fd00:1::/32,192.168.7.7');
    assert.equal(addressProblem('10.1.0.1', allow), null);
    assert.equal(addressProblem('10.1.255.254', allow), null);
    assert.match(addressProblem('10.2.0.1', allow) ?? '', /private/);
    assert.match(addressProblem('10.0.255.255', allow) ?? '', /private/);
    assert.equal(addressProblem('fd00:1::5', allow), null);
    assert.match(addressProblem('fd00:2::5', allow) ?? '', /unique-local/);
    assert.equal(addressProblem('192.168.7.7', allow), null);
    assert.match(addressProblem('192.168.7.8', allow) ?? '', /private/);
    assert.match(addressProblem('127.0.0.1', allow) ?? '', /loopback/);
    // A mapped address reaches the IPv4 host it embeds, so the IPv4 range decides.
    assert.equal(addressProblem('::ffff:10.1.2.3', allow), null);
    assert.match(addressProblem('::ffff:10.2.2.3', allow) ?? '', /embeds 10\.2\.2\.3/);
  });

  it('names the variable and the bad entry', () => {
    for (const bad of ['yes', '10.0.0.0/33', '10/8', '0x7f.1/8', 'fe80::/129', '10.0.0.0/8,,::1', 'example.com']) {
      assert.throws(() => parseAllowPrivate(bad), /^Error: HERALD_ALLOW_PRIVATE_NETWORKS: "[^"]*" is not a CIDR/, bad);
    }
    assert.throws(() => parseAllowPrivate('127.0.0.0/8,nope'), /"nope"/);
  });
});

describe('addressProblem', () => {
  it('refuses what is not an IP address', () => {
    assert.equal(addressProblem('example.com', GUARD_ON), 'example.com is not an IP address');
  });

  it('accepts bracketed IPv6 as found in URL host names', () => {
    assert.match(addressProblem('[::1]', GUARD_ON) ?? '', /loopback/);
    assert.equal(addressProblem('[2606:4700::1111]', GUARD_ON), null);
  });
});

describe('guardedLookup', () => {
  it('refuses a host name that resolves to a forbidden address', async () => {
    const error = await lookupError(guardedLookup(GUARD_ON), 'localhost', {});
    assert.equal(error.code, 'EDESTINATION');
    assert.match(error.message, /^destination not allowed: .*loopback address \(resolved from localhost\); set HERALD_ALLOW_PRIVATE_NETWORKS /);
  });

  it('refuses when any one of several answers is forbidden', async (t) => {
    const resolver = fakeResolver([
      { address: '93.184.216.34', family: 4 },
      { address: '10.0.0.7', family: 4 },
    ]);
    t.mock.method(dns, 'lookup', resolver);
    const error = await lookupError(guardedLookup(GUARD_ON), 'mixed.example', {});
    assert.equal(error.code, 'EDESTINATION');
    assert.match(error.message, /10\.0\.0\.7 is a private address/);
  });

  it('resolves once and hands back only checked addresses, one or all as asked', async (t) => {
    const answers = [
      { address: '93.184.216.34', family: 4 },
      { address: '2606:2800:220:1::1', family: 6 },
    ];
    const resolver = t.mock.method(dns, 'lookup', fakeResolver(answers));
    const lookup = guardedLookup(GUARD_ON);

    const one = await new Promise<unknown[]>((resolve, reject) => {
      lookup('public.example', { family: 0 }, (err, address, family) =>
        err ? reject(err) : resolve([address, family]),
      );
    });
    assert.deepEqual(one, ['93.184.216.34', 4]);

    const all = await new Promise<unknown>((resolve, reject) => {
      lookup('public.example', { all: true }, (err, address) => (err ? reject(err) : resolve(address)));
    });
    assert.deepEqual(all, answers);
    assert.equal(resolver.mock.callCount(), 2);
    for (const call of resolver.mock.calls) assert.equal((call.arguments[1] as dns.LookupOptions).all, true);
  });

  it('passes resolver errors through', async (t) => {
    t.mock.method(dns, 'lookup', (_host: string, _options: unknown, callback: (err: Error) => void) => {
      callback(Object.assign(new Error('getaddrinfo ENOTFOUND nowhere.invalid'), { code: 'ENOTFOUND' }));
    });
    const error = await lookupError(guardedLookup(GUARD_ON), 'nowhere.invalid', {});
    assert.equal(error.code, 'ENOTFOUND');
  });
});

describe('createGuardedAgent against a real loopback server', () => {
  let server: Server;
  let port: number;

  before(async () => {
    server = createServer((_req, res) => res.end('reached'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('refuses http://localhost when private networks are not allowed', async () => {
    const agent = createGuardedAgent({ allow: GUARD_ON, connectTimeoutMs: 2000 });
    try {
      const refused = request(`http://localhost:${port}/`, { dispatcher: agent });
      await assert.rejects(refused, (error: NodeJS.ErrnoException) => {
        assert.equal(error.code, 'EDESTINATION');
        assert.match(error.message, /^destination not allowed: /);
        return true;
      });
    } finally {
      await agent.close();
    }
  });

  for (const allowed of ['true', '127.0.0.0/8,::1/128']) {
    it(`reaches http://localhost when HERALD_ALLOW_PRIVATE_NETWORKS=${allowed}`, async () => {
      const agent = createGuardedAgent({ allow: parseAllowPrivate(allowed), connectTimeoutMs: 2000 });
      try {
        const response = await request(`http://localhost:${port}/`, { dispatcher: agent });
        assert.equal(response.statusCode, 200);
        assert.equal(await response.body.text(), 'reached');
      } finally {
        await agent.close();
      }
    });
  }

  // Pins the reason the sender must call urlProblem before every send: Node skips lookup for literal IPs.
  it('cannot see literal IP hosts, which only urlProblem catches', async () => {
    const agent = createGuardedAgent({ allow: GUARD_ON, connectTimeoutMs: 2000 });
    try {
      const url = `http://127.0.0.1:${port}/`;
      assert.match(urlProblem(url, GUARD_ON) ?? '', /loopback/);
      const response = await request(url, { dispatcher: agent });
      assert.equal(response.statusCode, 200);
      await response.body.dump();
    } finally {
      await agent.close();
    }
  });
});

type LookupFn = ReturnType<typeof guardedLookup>;

function lookupError(lookup: LookupFn, host: string, options: dns.LookupOptions): Promise<NodeJS.ErrnoException> {
  return new Promise((resolve, reject) => {
    lookup(host, options, (err) => (err ? resolve(err) : reject(new Error(`lookup of ${host} succeeded`))));
  });
}

function fakeResolver(answers: dns.LookupAddress[]) {
  return (_host: string, _options: unknown, callback: (err: null, addresses: dns.LookupAddress[]) => void) => {
    setImmediate(() => callback(null, answers));
  };
}

describe('resolvedUrlProblem: the send-time verdict on a host name, given when the endpoint is saved', () => {
  it('refuses a name that resolves to loopback, naming the address, the name and the setting', async () => {
    const problem = await resolvedUrlProblem('http://localhost:9999/hook', GUARD_ON);
    assert.match(problem ?? '', /^destination not allowed: (127\.0\.0\.1|::1) is a loopback address \(resolved from localhost\); set HERALD_ALLOW_PRIVATE_NETWORKS to true or to CIDRs/);
  });

  it('says when the address is outside the ranges HERALD_ALLOW_PRIVATE_NETWORKS opens', async () => {
    const problem = await resolvedUrlProblem('http://localhost/', parseAllowPrivate('10.0.0.0/8'));
    assert.match(problem ?? '', /loopback address \(resolved from localhost\); it is outside the ranges HERALD_ALLOW_PRIVATE_NETWORKS opens$/);
  });

  it('accepts the name when the setting opens its addresses', async () => {
    assert.equal(await resolvedUrlProblem('http://localhost/', parseAllowPrivate('true')), null);
    assert.equal(await resolvedUrlProblem('http://localhost/', parseAllowPrivate('127.0.0.0/8,::1/128')), null);
  });

  it('refuses when any one answer is forbidden', async () => {
    const lookup = async () => [
      { address: '93.184.216.34', family: 4 },
      { address: '169.254.169.254', family: 4 },
    ];
    assert.match((await resolvedUrlProblem('https://mixed.example.com/', GUARD_ON, { lookup })) ?? '', /169\.254\.169\.254 is a link-local address \(resolved from mixed\.example\.com\)/);
  });

  it('accepts a name that resolves only to public addresses', async () => {
    const lookup = async () => [{ address: '93.184.216.34', family: 4 }, { address: '2606:2800:220:1:248:1893:25c8:1946', family: 6 }];
    assert.equal(await resolvedUrlProblem('https://public.example.com/', GUARD_ON, { lookup }), null);
  });

  it('leaves a name that does not resolve to be judged at send time', async () => {
    // .invalid never resolves (RFC 6761).
    assert.equal(await resolvedUrlProblem('https://no-such-host.invalid/hook', GUARD_ON), null);
  });

  it('stops waiting for a resolver that does not answer', async () => {
    const lookup = () => new Promise<never>(() => {});
    assert.equal(await resolvedUrlProblem('https://slow.example.com/', GUARD_ON, { lookup, timeoutMs: 50 }), null);
  });

  it('leaves literal addresses and bad URLs to urlProblem', async () => {
    let asked = 0;
    const lookup = async () => {
      asked++;
      return [{ address: '127.0.0.1', family: 4 }];
    };
    assert.equal(await resolvedUrlProblem('http://127.0.0.1/', GUARD_ON, { lookup }), null);
    assert.equal(await resolvedUrlProblem('ftp://localhost/', GUARD_ON, { lookup }), null);
    assert.equal(asked, 0);
  });
});
