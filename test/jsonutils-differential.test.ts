import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { describe, it, type TestContext } from 'node:test';
import { DIALECTS, skipFor } from './helpers/databases.js';
import { startTestHerald } from './helpers/herald.js';
import { jsonutilsPayloads } from './helpers/jsonutils-payloads.js';
import { startReceiver } from './helpers/receiver.js';

/**
 * Cloudpods bodies held against Cloudpods' own serializer (yunion jsonutils), on seeded random payloads.
 *
 * Always: against test/fixtures/jsonutils-cases.json, bodies and tokens jsonutils wrote for 400 payloads of
 * test/helpers/jsonutils-payloads.ts (its `recorded` field says which jsonutils and Go wrote them), so the
 * comparison runs wherever Herald's tests run, with no Go or jsonutils on the machine.
 *
 * Also, when HERALD_JSONUTILS_ORACLE names an oracle program: against jsonutils itself, on payloads of the seed
 * HERALD_DIFF_SEED, and the recorded cases are checked to be what the oracle answers today. The oracle reads
 * one JSON object per line, {Secret, Action, Type, Result, MsgKey, Data} with Data the published JSON text, and
 * answers one line {body, token}: what jsonutils writes for a notification dict {action, resource_details:
 * jsonutils.ParseString(Data), resource_type, result} with MsgKey set to that dict's String(), and the hex
 * HMAC-SHA256 of the body under Secret. jsonutils is third-party Go and is not part of this repository; without
 * the oracle that half says so and skips. Re-recording the fixture means running the oracle over the same
 * payloads and writing its answers in the fixture's shape.
 */
const ORACLE = process.env.HERALD_JSONUTILS_ORACLE ?? '';
const NO_ORACLE = ORACLE && existsSync(ORACLE) ? false : 'HERALD_JSONUTILS_ORACLE does not name a jsonutils oracle program: the live jsonutils differential is skipped (the recorded one runs)';
const SEED = Number(process.env.HERALD_DIFF_SEED ?? 20240601);
const CASES = 400;

interface Recorded {
  recorded: string;
  seed: number;
  secret: string;
  action: string;
  type: string;
  result: string;
  msg_key: string;
  cases: { data: string; classes: string[]; body: string; token: string }[];
}

const RECORDED: Recorded = JSON.parse(readFileSync(new URL('./fixtures/jsonutils-cases.json', import.meta.url), 'utf8'));

interface Case {
  data: string;
  classes: Iterable<string>;
  body: string;
  token: string;
}

function askOracle(data: string[]): { body: string; token: string }[] {
  const jobs = data.map((Data) => JSON.stringify({ Secret: RECORDED.secret, Action: RECORDED.action, Type: RECORDED.type, Result: RECORDED.result, MsgKey: RECORDED.msg_key, Data }));
  const run = spawnSync(ORACLE, { input: jobs.join('\n') + '\n', maxBuffer: 1 << 28 });
  assert.equal(run.status, 0, run.stderr.toString());
  const answers = run.stdout.toString().trim().split('\n').map((l) => JSON.parse(l) as { body: string; token: string });
  assert.equal(answers.length, data.length);
  return answers;
}

/** Publishes every case to a cloudpods endpoint and compares what arrived with what jsonutils wrote. */
async function compare(t: TestContext, dialect: (typeof DIALECTS)[number], cases: Case[], label: string): Promise<void> {
  const h = await startTestHerald(dialect);
  const rec = await startReceiver();
  try {
    const ep = await h.api('POST', '/v1/endpoints', { name: 'robot', url: rec.url, format: 'cloudpods', validate: false, secret: RECORDED.secret, msg_key: RECORDED.msg_key });
    assert.equal(ep.status, 201, ep.text);
    assert.equal((await h.api('POST', '/v1/subscriptions', { endpoint_id: ep.json.id, events: ['ONDEMAND_COURSE/UPDATED'] })).status, 201);
    for (let i = 0; i < cases.length; i += 100) {
      const events = cases.slice(i, i + 100).map((c) => `{"type":"ONDEMAND_COURSE","action":"UPDATED","data":${c.data}}`);
      const pub = await h.api('POST', '/v1/events', `{"events":[${events.join(',')}]}`);
      assert.equal(pub.status, 202, pub.text);
    }
    await rec.waitFor(cases.length);
    const byCase = new Map(rec.received.map((x) => [JSON.parse(x.body).resource_details.case as number, x]));
    const counts = new Map<string, number>();
    let mismatches = 0;
    cases.forEach((c, i) => {
      for (const name of c.classes) counts.set(name, (counts.get(name) ?? 0) + 1);
      const got = byCase.get(i);
      assert.ok(got, `case ${i} arrived`);
      if (got.raw.toString('utf8') !== c.body || got.headers['x-auth-token'] !== c.token) {
        mismatches++;
        if (mismatches <= 3) t.diagnostic(`case ${i}: sent ${c.data}\n herald   ${got.raw.toString('utf8')}\n jsonutils ${c.body}`);
      }
    });
    t.diagnostic(`jsonutils differential (${label}): ${cases.length} cases, ${counts.size} classes, ${mismatches} mismatches`);
    t.diagnostic([...counts].sort().map(([k, n]) => `${k}=${n}`).join(' '));
    assert.ok(counts.size >= 20, `only ${counts.size} classes`);
    assert.equal(mismatches, 0);
  } finally {
    await rec.close();
    await h.stop();
  }
}

for (const dialect of DIALECTS) {
  describe(`cloudpods bodies against jsonutils (${dialect})`, { skip: skipFor(dialect) }, () => {
    it('sends the bytes and X-Auth-Token jsonutils wrote, for every recorded payload', async (t) => {
      assert.equal(RECORDED.cases.length, CASES);
      await compare(t, dialect, RECORDED.cases, `recorded, seed ${RECORDED.seed}`);
    });

    it('sends the bytes and X-Auth-Token jsonutils writes, for every generated payload', { skip: NO_ORACLE }, async (t) => {
      const next = jsonutilsPayloads(SEED);
      const generated = Array.from({ length: CASES }, (_, i) => next(i));
      const answers = askOracle(generated.map((c) => c.text));
      await compare(t, dialect, generated.map((c, i) => ({ data: c.text, classes: c.classes, ...answers[i]! })), `live, seed ${SEED}`);
    });

    it('holds recorded cases that jsonutils still writes alike', { skip: NO_ORACLE }, () => {
      const answers = askOracle(RECORDED.cases.map((c) => c.data));
      const stale = RECORDED.cases.filter((c, i) => c.body !== answers[i]!.body || c.token !== answers[i]!.token).length;
      assert.equal(stale, 0, `${stale} recorded cases differ from what the oracle answers`);
    });
  });
}
