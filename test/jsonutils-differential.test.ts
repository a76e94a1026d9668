import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe, it } from 'node:test';
import { DIALECTS, skipFor } from './helpers/databases.js';
import { startTestHerald } from './helpers/herald.js';
import { startReceiver } from './helpers/receiver.js';

/**
 * Cloudpods bodies held against Cloudpods' own serializer (yunion jsonutils), on seeded random payloads.
 * HERALD_JSONUTILS_ORACLE names a program that reads one JSON object per line, {Secret, Action, Type, Result,
 * MsgKey, Data} with Data the published JSON text, and answers one line {body, token}: what jsonutils writes for
 * a notification dict {action, resource_details: jsonutils.ParseString(Data), resource_type, result} with
 * MsgKey set to that dict's String(), and the hex HMAC-SHA256 of the body under Secret. Without it the test
 * says so and skips: jsonutils is third-party Go and is not part of this repository. NUL is left out: Herald
 * refuses it (unstorable text), so no publisher can send it.
 */
const ORACLE = process.env.HERALD_JSONUTILS_ORACLE ?? '';
const SKIP = ORACLE && existsSync(ORACLE) ? false : 'HERALD_JSONUTILS_ORACLE does not name a jsonutils oracle program: the jsonutils differential is skipped';
const SEED = Number(process.env.HERALD_DIFF_SEED ?? 20240601);
const CASES = 400;

function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Builds JSON text (not values) so every number spelling and string escape a publisher may use is covered. */
function generator(seed: number) {
  const r = rng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const digits = (n: number) => Array.from({ length: n }, (_, i) => String(i === 0 ? 1 + Math.floor(r() * 9) : Math.floor(r() * 10))).join('');
  let classes = new Set<string>();
  const numbers: Array<[string, () => string]> = [
    ['int-small', () => String(Math.floor(r() * 2000) - 1000)],
    ['int-beyond-2^53', () => (r() < 0.5 ? '-' : '') + digits(16 + Math.floor(r() * 3))],
    ['int64-edge', () => pick(['9223372036854775807', '-9223372036854775808', '9007199254740993', '-9007199254740993'])],
    ['int-beyond-int64', () => pick(['9223372036854775808', '-9223372036854775809']) + (r() < 0.5 ? '' : digits(3))],
    ['minus-zero', () => pick(['-0', '-0.0', '0.0', '-0e0', '0E+0'])],
    ['fraction', () => `${Math.floor(r() * 100)}.${digits(1 + Math.floor(r() * 17))}`],
    ['trailing-zero', () => pick(['1.0', '1.50', '2.000', '100.10'])],
    ['exp-large', () => `${digits(1 + Math.floor(r() * 4))}${pick(['e', 'E'])}${pick(['', '+'])}${15 + Math.floor(r() * 300)}`],
    ['exp-small', () => `${digits(1 + Math.floor(r() * 4))}${pick(['e', 'E'])}-${1 + Math.floor(r() * 320)}`],
    ['exp-overflow', () => pick(['1e400', '-2E+999', '1.8e308'])],
    ['double-edge', () => pick(['5e-324', '2.2250738585072014e-308', '1.7976931348623157e308', '0.1', '0.30000000000000004', '123456789012345678901234567890'])],
  ];
  const chars: Array<[string, () => string]> = [
    ['ascii', () => pick(['a', 'Z', ' ', '~', '<', '>', '&', "'"])],
    ['quote-backslash', () => pick(['\\"', '\\\\'])],
    ['short-escape', () => pick(['\\n', '\\r', '\\t', '\\b', '\\f', '\\/'])],
    ['control-u-escape', () => '\\u00' + pick(['01', '07', '0b', '0e', '1f', '1b'])],
    ['u-escape-bmp', () => '\\u' + pick(['00e9', '4e2d', 'FFFF', '0041', '007f', '00A0'])],
    ['line-separators', () => pick(['\u2028', '\u2029', '\\u2028', '\\u2029'])],
    ['script-close', () => '</script>'],
    ['non-ascii', () => pick(['é', '中', '😀', '\u007f', '\u0085', '\ufeff', 'ß'])],
  ];
  const str = (): string => {
    let s = '"';
    const n = Math.floor(r() * 6);
    for (let i = 0; i < n; i++) {
      const [name, f] = pick(chars);
      classes.add(`string:${name}`);
      s += f();
    }
    return s + '"';
  };
  const keys = ['a', 'B', 'b', 'A', '_', 'é', 'É', '中', '😀', 'ｚ', '10', '2', 'a b', 'Msg'];
  const key = (): string => (r() < 0.7 ? JSON.stringify(pick(keys)) : str());
  const value = (depth: number): string => {
    const roll = r();
    if (roll < 0.35) {
      const [name, f] = pick(numbers);
      classes.add(`number:${name}`);
      return f();
    }
    if (roll < 0.6) return str();
    if (roll < 0.68) {
      classes.add('literal');
      return pick(['true', 'false', 'null']);
    }
    if (depth >= 3) return '1';
    if (roll < 0.84) {
      classes.add('array');
      return `[${Array.from({ length: Math.floor(r() * 4) }, () => value(depth + 1)).join(pick([',', ' , ']))}]`;
    }
    return object(depth + 1);
  };
  const object = (depth: number): string => {
    classes.add('object');
    const members = Array.from({ length: Math.floor(r() * 5) }, () => `${key()}:${value(depth)}`);
    return `{${members.join(',')}}`;
  };
  return (i: number) => {
    classes = new Set();
    const members = Array.from({ length: 1 + Math.floor(r() * 5) }, () => `${key()}: ${value(1)}`);
    return { text: `{"case":${i},${members.join(', ')}}`, classes };
  };
}

for (const dialect of DIALECTS) {
  describe(`cloudpods bodies against jsonutils (${dialect})`, { skip: skipFor(dialect) || SKIP }, () => {
    it('sends the bytes and X-Auth-Token jsonutils would, for every generated payload', async (t) => {
      const next = generator(SEED);
      const cases = Array.from({ length: CASES }, (_, i) => next(i));
      const jobs = cases.map((c) => JSON.stringify({ Secret: 'k3y', Action: 'updated', Type: 'ondemand_course', Result: 'succeed', MsgKey: 'Msg', Data: c.text }));
      const run = spawnSync(ORACLE, { input: jobs.join('\n') + '\n', maxBuffer: 1 << 28 });
      assert.equal(run.status, 0, run.stderr.toString());
      const expected = run.stdout.toString().trim().split('\n').map((l) => JSON.parse(l) as { body: string; token: string });
      assert.equal(expected.length, CASES);

      const h = await startTestHerald(dialect);
      const rec = await startReceiver();
      try {
        const ep = await h.api('POST', '/v1/endpoints', { name: 'robot', url: rec.url, format: 'cloudpods', validate: false, secret: 'k3y' });
        assert.equal(ep.status, 201, ep.text);
        assert.equal((await h.api('POST', '/v1/subscriptions', { endpoint_id: ep.json.id, events: ['ONDEMAND_COURSE/UPDATED'] })).status, 201);
        for (let i = 0; i < CASES; i += 100) {
          const events = cases.slice(i, i + 100).map((c) => `{"type":"ONDEMAND_COURSE","action":"UPDATED","data":${c.text}}`);
          const pub = await h.api('POST', '/v1/events', `{"events":[${events.join(',')}]}`);
          assert.equal(pub.status, 202, pub.text);
        }
        await rec.waitFor(CASES);
        const byCase = new Map(rec.received.map((x) => [JSON.parse(x.body).resource_details.case as number, x]));
        const counts = new Map<string, number>();
        let mismatches = 0;
        for (let i = 0; i < CASES; i++) {
          for (const c of cases[i]!.classes) counts.set(c, (counts.get(c) ?? 0) + 1);
          const got = byCase.get(i);
          assert.ok(got, `case ${i} arrived`);
          if (got.raw.toString('utf8') !== expected[i]!.body || got.headers['x-auth-token'] !== expected[i]!.token) {
            mismatches++;
            if (mismatches <= 3) t.diagnostic(`case ${i}: sent ${cases[i]!.text}\n herald   ${got.raw.toString('utf8')}\n jsonutils ${expected[i]!.body}`);
          }
        }
        t.diagnostic(`jsonutils differential: ${CASES} cases, ${counts.size} classes, ${mismatches} mismatches (seed ${SEED})`);
        t.diagnostic([...counts].sort().map(([k, n]) => `${k}=${n}`).join(' '));
        assert.equal(mismatches, 0);
      } finally {
        await rec.close();
        await h.stop();
      }
    });
  });
}
