import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { DIALECTS, skipFor } from './helpers/databases.js';
import { startTestHerald, until, type TestHerald } from './helpers/herald.js';
import { startReceiver } from './helpers/receiver.js';
import { TEST_TOKEN } from './helpers/herald.js';
import { seededRandom } from './helpers/seeded-random.js';

/**
 * Generated hostile bodies against every write route. Deterministic: a fixed seed drives everything, so a failure
 * names a case number that reproduces. Every generated body is invalid by construction (malformed, too large, too
 * deep, not UTF-8, or carrying at least one field that breaks the schema, or a string no database can store as
 * given), so nothing may be stored. It runs on both databases: PostgreSQL refuses NUL in text where SQLite keeps it.
 */
const SEED = 0x5eed_4e7a;
const CASES = 1200;

const mulberry32 = seededRandom;

type Rand = ReturnType<typeof mulberry32>;
const pick = <T>(rand: Rand, items: readonly T[]): T => items[Math.floor(rand() * items.length)]!;
const int = (rand: Rand, max: number) => Math.floor(rand() * max);

/** Values of every JSON type and some nasty strings; used to replace a field with the wrong kind of thing. */
function wrongValue(rand: Rand, depth = 0): unknown {
  const kinds = [
    () => null,
    () => true,
    () => int(rand, 2) ? 1e308 : -0,
    () => 2 ** 53 + int(rand, 10),
    () => [],
    () => ({}),
    () => '',
    () => 'x'.repeat(5000 + int(rand, 5000)),
    () => '\u0000\u202e\ud83d\ude00<script>',
    () => pick(rand, ['\ud800', 'a\udc00b', '\ude00\ud83d']),
    () => 'x'.repeat(1_000_000),
    () => ({ __proto__: { admin: true }, constructor: { prototype: { polluted: true } } }),
    () => JSON.parse('{"__proto__": {"polluted": true}}'),
    () => (depth < 3 ? [wrongValue(rand, depth + 1), wrongValue(rand, depth + 1)] : 0),
    () => (depth < 3 ? { nested: wrongValue(rand, depth + 1) } : 'deep'),
  ];
  return pick(rand, kinds)();
}

type Kind = 'null' | 'boolean' | 'number' | 'string' | 'array' | 'object';
const kindOf = (v: unknown): Kind => (v === null ? 'null' : Array.isArray(v) ? 'array' : (typeof v as Kind));

interface Route {
  name: string;
  method: 'POST' | 'PATCH';
  path: () => string;
  /** A body that would be valid: the generator breaks it. */
  base: () => Record<string, unknown>;
  /** Fields and the JSON kinds each accepts: a value of any other kind is always refused. */
  strict: Record<string, Kind[]>;
  headers?: () => Record<string, string>;
  /** JSON pointers to the strings of `base` (keys of objects end in `{key}`): each may carry unstorable text. */
  texts?: string[];
  /** False when the route takes no body, so a well-formed JSON object would be acted on: only malformed ones go. */
  acceptsObjects?: boolean;
}

function nested(depth: number, leaf: string): string {
  return '['.repeat(depth) + leaf + ']'.repeat(depth);
}

/** Text that no database keeps as given: NUL, or a UTF-16 surrogate without its pair. */
const UNSTORABLE = ['\u0000', 'a\u0000b', 'name\u0000', '\ud800', 'x\udbff', '\udc00', 'ok\ude00\ud83d'] as const;

/** Sets the string at `pointer` (or, for a pointer ending in `{key}`, renames that key) to hold `bad`. */
function plant(rand: Rand, body: Record<string, unknown>, pointer: string, bad: string): string {
  const tokens = pointer.split('/').slice(1);
  let node: any = body;
  for (const t of tokens.slice(0, -1)) node = node[t];
  const last = tokens[tokens.length - 1]!;
  if (last === '{key}') {
    const key = Object.keys(node)[0]!;
    const renamed = key + bad;
    node[renamed] = node[key];
    delete node[key];
    return pointer.replace('{key}', renamed.replaceAll('~', '~0').replaceAll('/', '~1'));
  }
  node[last] = pick(rand, [bad, `${node[last]}${bad}`]);
  return pointer;
}

function generate(rand: Rand, route: Route): { body: Buffer; contentType: string | null; kind: string; field?: string } {
  const json = 'application/json';
  const base = route.base();
  const kind = route.acceptsObjects === false ? pick(rand, ['malformed', 'deep', 'non-utf8', 'content-type', 'oversized'] as const) : pick(rand, ['malformed', 'oversized', 'deep', 'wrong-type', 'wrong-type', 'wrong-type', 'unknown-field', 'non-utf8', 'content-type', 'top-level', 'unstorable-text', 'unstorable-text'] as const);
  switch (kind) {
    case 'malformed': {
      const text = JSON.stringify(base);
      const cut = pick(rand, [
        () => text.slice(0, Math.max(1, int(rand, text.length))),
        () => text.replace('{', '{,'),
        () => text + '}',
        () => text.replace(/"/g, "'"),
        () => `{${int(rand, 1000)}}`,
        () => 'NaN',
        () => '{"a":1,}',
        () => '   ',
        // An empty body is no body: on a route that takes none it is a valid request.
        () => (route.acceptsObjects === false ? '{' : ''),
        () => '\u0000',
      ])();
      let parses = true;
      try {
        JSON.parse(cut);
      } catch {
        parses = false;
      }
      return { body: Buffer.from(parses ? `${cut},` : cut), contentType: json, kind };
    }
    case 'oversized': {
      // Past the 1 MiB limit (16 MiB for events): the server must refuse without buffering it all.
      const limit = route.name === 'publish' ? 16 * 1024 * 1024 : 1024 * 1024;
      const pad = 'a'.repeat(limit + 1024 + int(rand, 4096));
      return { body: Buffer.from(JSON.stringify({ ...base, name: pad, data: { pad } })), contentType: json, kind };
    }
    case 'deep': {
      const depth = pick(rand, [65, 100, 1000, 10_000, 100_000]);
      const inner = nested(depth, '1');
      const text = pick(rand, [
        () => inner,
        () => JSON.stringify({ ...base, data: '__X__' }).replace('"__X__"', inner),
        () => '{"a":'.repeat(depth) + '1' + '}'.repeat(depth),
      ])();
      return { body: Buffer.from(text), contentType: json, kind };
    }
    case 'wrong-type': {
      const body: Record<string, unknown> = { ...base };
      const field = pick(rand, Object.keys(route.strict));
      let value = wrongValue(rand);
      while (route.strict[field]!.includes(kindOf(value))) value = wrongValue(rand);
      body[field] = value;
      for (let i = int(rand, 3); i > 0; i--) {
        const other = pick(rand, Object.keys(base).concat(['extra']));
        if (other !== field) body[other] = wrongValue(rand);
      }
      return { body: Buffer.from(JSON.stringify(body)), contentType: json, kind };
    }
    case 'unknown-field': {
      const body: Record<string, unknown> = { ...base, [pick(rand, ['__proto__x', 'constructor', 'Name', 'url ', '💥', 'id', 'created_at'])]: wrongValue(rand) };
      return { body: Buffer.from(JSON.stringify(body)), contentType: json, kind };
    }
    case 'non-utf8': {
      const text = JSON.stringify({ ...base, name: '__X__' });
      const [before, after] = text.split('__X__') as [string, string];
      const bad = pick(rand, [[0xff], [0xc0, 0xaf], [0xed, 0xa0, 0x80], [0xf8, 0x88, 0x80, 0x80, 0x80], [0xe2, 0x82], [0x80]]);
      return { body: Buffer.concat([Buffer.from(before), Buffer.from(bad), Buffer.from(after)]), contentType: json, kind };
    }
    case 'content-type': {
      const contentType = pick(rand, ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/xml', 'application/json; charset=latin1', '', 'application/jsonx']);
      const body = contentType === 'application/json; charset=latin1' ? Buffer.from([0x7b, 0x22, 0xe9, 0x22, 0x3a, 0x31, 0x7d]) : Buffer.from(JSON.stringify(base));
      return { body, contentType: contentType || null, kind };
    }
    case 'unstorable-text': {
      const body = structuredClone(base);
      const field = plant(rand, body, pick(rand, route.texts ?? []), pick(rand, UNSTORABLE));
      return { body: Buffer.from(JSON.stringify(body)), contentType: json, kind, field };
    }
    case 'top-level': {
      const text = pick(rand, ['null', '[]', '42', '"string"', 'true', '[{}]', JSON.stringify([base])]);
      return { body: Buffer.from(text), contentType: json, kind };
    }
  }
}

async function snapshot(h: TestHerald): Promise<Record<string, string>> {
  const db = h.herald.ctx.store.db;
  const out: Record<string, string> = {};
  for (const table of ['endpoints', 'subscriptions', 'messages', 'deliveries', 'attempts', 'event_types', 'topics', 'idempotency', 'entity_resources', 'entity_interfaces', 'entity_changes'] as const) {
    const rows = await db.selectFrom(table).selectAll().execute();
    const stable = rows.map((r) => JSON.stringify(r)).sort();
    out[table] = `${rows.length}:${createHash('sha256').update(stable.join('\n')).digest('hex')}`;
  }
  const incoming = await db.selectFrom('incoming').select('id').where('outcome', '!=', 'refused').execute();
  out.incoming_accepted = String(incoming.length);
  return out;
}

for (const dialect of DIALECTS) describe(`hostile input at every write route (${dialect})`, { skip: skipFor(dialect) }, () => {
  it(`${CASES} generated bodies: never a 5xx, the server keeps answering, nothing stored`, async () => {
    const h = await startTestHerald(dialect, { HERALD_RETRY_SCHEDULE: '1h' });
    const r = await startReceiver(() => ({ status: 500 }));
    try {
      const ep = await h.api('POST', '/v1/endpoints', { name: 'target', url: r.url, format: 'strigo' });
      const sub = await h.api('POST', '/v1/subscriptions', { endpoint_id: ep.json.id, events: ['CLASS/*'] });
      const pub = await h.api('POST', '/v1/events', { type: 'CLASS', action: 'CREATED' });
      const message = await until(async () => {
        const m = await h.api('GET', `/v1/messages/${pub.json.id}`);
        return m.json.deliveries[0]?.attempt_count === 1 ? m.json : null;
      });
      const deliveryId: string = message.deliveries[0].id;
      const callback = `Bearer ${ep.json.callback.user}:${ep.json.callback.key}`;
      const hostileId = (rand: Rand) => pick(rand, [ep.json.id, 'ep_nope', '..%2F..%2Fetc', encodeURIComponent('\u0000'), 'x'.repeat(101), encodeURIComponent('ep_😀'), '%ff%fe']);

      const routes: Route[] = [
        { name: 'create endpoint', method: 'POST', path: () => '/v1/endpoints', base: () => ({ name: 'n', url: r.url, format: 'strigo', tenant: 't', msg_key: 'k', headers: { 'X-Team': 'a' }, body: { extra: 'v' }, auth: { user: 'u', key: 'k' } }), texts: ['/name', '/url', '/tenant', '/msg_key', '/headers/X-Team', '/headers/{key}', '/body/extra', '/body/{key}', '/auth/user', '/auth/key'], strict: { name: ['string'], url: ['string'], format: ['string'], auth: ['object', 'null'], headers: ['object'], lang: ['string'], rate_limit: ['number', 'null'], max_in_flight: ['number', 'null'], enabled: ['boolean'] } },
        { name: 'update endpoint', method: 'PATCH', path: () => `/v1/endpoints/${ep.json.id}`, base: () => ({ name: 'renamed', secret: 'whsec_' + Buffer.alloc(32, 7).toString('base64') }), texts: ['/name', '/secret'], strict: { name: ['string'], url: ['string'], auth: ['object', 'null'], headers: ['object'], body: ['object'], use_template: ['boolean'], rate_limit: ['number', 'null'], enabled: ['boolean'] } },
        { name: 'create subscription', method: 'POST', path: () => '/v1/subscriptions', base: () => ({ endpoint_id: ep.json.id, events: ['CLASS/*'] }), texts: ['/endpoint_id', '/events/0'], strict: { endpoint_id: ['string'], events: ['array'], topics: ['array'], scope: ['object'], enabled: ['boolean'] } },
        { name: 'update subscription', method: 'PATCH', path: () => `/v1/subscriptions/${sub.json.id}`, base: () => ({ events: ['EVENT/*'] }), texts: ['/events/0'], strict: { events: ['array'], topics: ['array'], scope: ['object'], enabled: ['boolean'] } },
        { name: 'publish', method: 'POST', path: () => '/v1/events', base: () => ({ type: 'CLASS', action: 'CREATED', entity_ids: ['e1'], tenant: 't', idempotency_key: 'idem', scope: { project_id: 'p' }, data: { note: 'n', list: ['a', { deep: 'b' }] } }), texts: ['/type', '/action', '/entity_ids/0', '/tenant', '/idempotency_key', '/scope/project_id', '/data/note', '/data/{key}', '/data/list/0', '/data/list/1/deep', '/data/list/1/{key}'], strict: { type: ['string'], action: ['string'], entity_ids: ['array'], data: ['object'], scope: ['object'], tenant: ['string'], coalesce_ms: ['number'] } },
        { name: 'add event type', method: 'POST', path: () => '/v1/event-types', base: () => ({ type: 'INVOICE', actions: ['PAID'] }), texts: ['/type', '/actions/0'], strict: { type: ['string'], actions: ['array'], schema: ['object', 'null'] } },
        { name: 'rotate secret', method: 'POST', path: () => `/v1/endpoints/${ep.json.id}/rotate-secret`, base: () => ({ secret: 'whsec_' + Buffer.alloc(32, 7).toString('base64') }), texts: ['/secret'], strict: { secret: ['string'] } },
        { name: 'recover', method: 'POST', path: () => `/v1/endpoints/${ep.json.id}/recover`, base: () => ({ since: '2020-01-01T00:00:00Z' }), texts: ['/since'], strict: { since: ['string'] } },
        { name: 'retry delivery', method: 'POST', path: () => `/v1/deliveries/${deliveryId}/retry`, base: () => ({}), strict: {}, acceptsObjects: false },
        {
          name: 'incoming',
          method: 'POST',
          path: () => '/v1/incoming',
          base: () => ({ source_message_id: pub.json.id, type: 'RESOURCE', action: 'CREATED', data: { resources: [{ id: 'vm1', type: 'VM', name: 'vm', status: 'READY', config: { ip: '10.0.0.1' } }], interfaces: [{ type: 'SSH', resource_id: 'vm1', name: 'ssh', config: { port: '22' } }] } }),
          texts: ['/source_message_id', '/data/resources/0/id', '/data/resources/0/name', '/data/resources/0/config/ip', '/data/resources/0/config/{key}', '/data/interfaces/0/name', '/data/interfaces/0/resource_id', '/data/interfaces/0/config/port'],
          strict: { source_message_id: ['string'], type: ['string'], action: ['string'], data: ['object'] },
          headers: () => ({ authorization: callback }),
        },
      ];

      const before = await snapshot(h);
      const rand = mulberry32(SEED);
      const statusCounts = new Map<number, number>();
      const serverErrors: string[] = [];
      const wrongRefusals: string[] = [];
      let sent = 0;
      for (let i = 0; i < CASES; i++) {
        const route = routes[i % routes.length]!;
        const { body, contentType, kind, field } = generate(rand, route);
        // Some cases aim the body at a hostile id instead of the real one.
        let path = route.path();
        if (route.path().includes(ep.json.id) && rand() < 0.15) path = path.replace(ep.json.id, hostileId(rand));
        const headers: Record<string, string> = { authorization: `Bearer ${TEST_TOKEN}`, ...(route.headers?.() ?? {}) };
        if (contentType !== null) headers['content-type'] = contentType;
        let status: number;
        try {
          const res = await fetch(h.url + path, { method: route.method, headers, body: new Uint8Array(body) });
          status = res.status;
          const text = await res.text();
          // Unstorable text is refused as such, naming where it was, ahead of any other complaint about the body.
          if (field !== undefined && path === route.path()) {
            const named = status === 422 ? (JSON.parse(text) as { error: { details: { path: string; message: string }[] } }).error.details[0] : undefined;
            if (named?.path !== field || !/NUL/.test(named.message)) wrongRefusals.push(`case ${i}: ${route.name} ${field} -> ${status} ${text.slice(0, 200)}`);
          }
        } catch (e) {
          // The server may hang up on an oversized body before reading it; that is a refusal, not a failure.
          if (kind !== 'oversized') throw new Error(`case ${i} (${route.name}, ${kind}): request failed: ${(e as Error).message}`);
          status = 413;
        }
        sent++;
        statusCounts.set(status, (statusCounts.get(status) ?? 0) + 1);
        if (status >= 500) serverErrors.push(`case ${i}: ${route.name} ${kind} -> ${status}`);
        if (status < 400) serverErrors.push(`case ${i}: ${route.name} ${kind} was accepted with ${status}: ${JSON.stringify(body.subarray(0, 80).toString())} ${contentType}`);
      }
      const health = await fetch(h.url + '/healthz');
      assert.equal(health.status, 200, 'the server still answers');
      assert.deepEqual(serverErrors, [], 'no 5xx and nothing accepted');
      assert.deepEqual(wrongRefusals, [], 'unstorable text is a 422 naming its field');
      assert.ok(sent >= 1000, `${sent} requests sent`);
      assert.deepEqual(await snapshot(h), before, 'nothing stored or changed');
      const summary = [...statusCounts].sort(([a], [b]) => a - b).map(([s, n]) => `${s}x${n}`).join(' ');
      console.log(`# hostile input: ${sent} requests, 5xx: ${serverErrors.filter((e) => / -> 5/.test(e)).length}, statuses ${summary}`);
    } finally {
      await r.close();
      await h.stop();
    }
  });
});

describe('bodies that are not UTF-8', () => {
  it('are refused with 400, even when the JSON would otherwise be valid', async () => {
    const h = await startTestHerald('sqlite');
    try {
      const body = Buffer.concat([Buffer.from('{"name":"caf'), Buffer.from([0xe9]), Buffer.from('","url":"https://hooks.example.com/","format":"strigo"}')]);
      const res = await fetch(`${h.url}/v1/endpoints`, {
        method: 'POST',
        headers: { authorization: `Bearer ${TEST_TOKEN}`, 'content-type': 'application/json' },
        body: new Uint8Array(body),
      });
      assert.equal(res.status, 400);
      assert.match(((await res.json()) as { error: { message: string } }).error.message, /not valid UTF-8/);
      assert.equal((await h.api('GET', '/v1/endpoints')).json.data.length, 0);
    } finally {
      await h.stop();
    }
  });
});

for (const dialect of DIALECTS) {
  describe(`hostile but storable text (${dialect})`, { skip: skipFor(dialect) }, () => {
    it('is kept exactly; unstorable text in a name, a callback or a filter is a 422 naming it and leaves nothing behind', async () => {
      const h = await startTestHerald(dialect);
      const r = await startReceiver();
      try {
        const name = '\u202eevil\u200d 😀 名前 \\u0000 %00';
        const ep = await h.api('POST', '/v1/endpoints', { name, url: r.url, format: 'strigo' });
        assert.equal(ep.status, 201, ep.text);
        assert.equal((await h.api('GET', `/v1/endpoints/${ep.json.id}`)).json.name, name);

        const refusedName = await h.api('POST', '/v1/endpoints', { name: 'a\u0000b', url: r.url, format: 'strigo' });
        assert.equal(refusedName.status, 422);
        assert.deepEqual(refusedName.json.error.details.map((d: any) => d.path), ['/name']);
        // A lone surrogate cannot be written by JSON.stringify, which escapes it; the request spells it as JSON does.
        const lone = await h.api('PATCH', `/v1/endpoints/${ep.json.id}`, '{"name":"x\\ud800"}');
        assert.equal(lone.status, 422);
        assert.deepEqual(lone.json.error.details.map((d: any) => d.path), ['/name']);
        assert.equal((await h.api('GET', `/v1/endpoints/${ep.json.id}`)).json.name, name, 'the refused rename changed nothing');
        assert.equal((await h.api('GET', '/v1/endpoints')).json.data.length, 1);

        const byTenant = await h.api('GET', '/v1/endpoints?tenant=%00');
        assert.equal(byTenant.status, 422);
        assert.deepEqual(byTenant.json.error.details.map((d: any) => d.path), ['/querystring/tenant']);
        const byId = await h.api('GET', '/v1/endpoints/ep%00');
        assert.equal(byId.status, 422);
        assert.deepEqual(byId.json.error.details.map((d: any) => d.path), ['/params/id']);

        await h.api('POST', '/v1/subscriptions', { endpoint_id: ep.json.id, events: ['ONDEMAND_ENROLLMENT/*'] });
        let deep: unknown = 'bottom';
        for (let i = 0; i < 60; i++) deep = i % 2 ? [deep] : { d: deep };
        // 240,000 bytes of two-byte characters: as large as the default HERALD_MAX_EVENT_BYTES lets one event's data be.
        const data = { big: 'é'.repeat(120_000), deep, emoji: '😀\u202e', keys: { '名': 1, '😀': 2 } };
        const pub = await h.api('POST', '/v1/events', { type: 'ONDEMAND_ENROLLMENT', action: 'STARTED', entity_ids: ['enr-1'], data });
        assert.equal(pub.status, 202, pub.text);
        assert.deepEqual((await h.api('GET', `/v1/messages/${pub.json.id}`)).json.data, data);
        const refusedData = await h.api('POST', '/v1/events', { type: 'ONDEMAND_ENROLLMENT', action: 'STARTED', entity_ids: ['enr-2'], data: { list: ['ok', { 'k\u0000': 1 }] } });
        assert.equal(refusedData.status, 422);
        assert.deepEqual(refusedData.json.error.details.map((d: any) => d.path), ['/data/list/1/k\u0000']);
        await r.waitFor(1);
        await until(async () => (await h.api('GET', `/v1/messages/${pub.json.id}`)).json.deliveries[0].status === 'succeeded');

        const auth = { authorization: `Bearer ${ep.json.callback.user}:${ep.json.callback.key}` };
        const callback = (resource: Record<string, unknown>) =>
          h.api('POST', '/v1/incoming', { source_message_id: pub.json.id, type: 'RESOURCE', action: 'CREATED', data: { resources: [{ type: 'VM', status: 'READY', ...resource }] } }, auth);
        for (const [resource, path] of [
          [{ id: 'vm\u0000', name: 'vm' }, '/data/resources/0/id'],
          [{ id: 'vm', name: '\u0000' }, '/data/resources/0/name'],
          [{ id: 'vm', name: 'vm', config: { note: 'a\udc00' } }, '/data/resources/0/config/note'],
        ] as const) {
          const refused = await callback(resource);
          assert.equal(refused.status, 422, refused.text);
          assert.deepEqual(refused.json.error.details.map((d: any) => d.path), [path]);
        }
        assert.equal((await h.api('GET', '/v1/entities/enr-1')).status, 404, 'no refused callback reached the entity');
        const refusedLog = await h.api('GET', `/v1/incoming?endpoint_id=${ep.json.id}`);
        assert.deepEqual(refusedLog.json.data.map((row: any) => [row.outcome, row.status_code]), [['refused', 422], ['refused', 422], ['refused', 422]]);

        const kept = await callback({ id: 'vm-😀', name: '\u202e名前', config: { note: '😀'.repeat(100) } });
        assert.equal(kept.status, 200, kept.text);
        const entity = await h.api('GET', '/v1/entities/enr-1');
        assert.deepEqual(entity.json.resources.map((x: any) => [x.id, x.name, x.config]), [['vm-😀', '\u202e名前', { note: '😀'.repeat(100) }]]);
      } finally {
        await r.close();
        await h.stop();
      }
    });
  });
}
