import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestHerald, TEST_TOKEN, type TestHerald } from './helpers/herald.js';
import { runCli } from './helpers/cli-process.js';


const cli = (env: Record<string, string>, ...args: string[]) => runCli(env, args);

describe('herald endpoint --ordering and publish --ordering-key', () => {
  let h: TestHerald;
  let env: Record<string, string>;
  before(async () => {
    h = await startTestHerald('sqlite');
    env = { HERALD_URL: h.url, HERALD_TOKEN: TEST_TOKEN, NO_COLOR: '1' };
  });
  after(async () => h?.stop());

  test('create and update set the ordering and show it; an unknown mode names the allowed ones', async () => {
    const made = await cli(env, 'endpoint', 'create', 'lab', '--url', 'http://127.0.0.1:9/x', '--format', 'strigo', '--ordering', 'entity', '--json');
    assert.equal(made.code, 0, made.stderr);
    const ep = JSON.parse(made.stdout);
    assert.equal(ep.ordering, 'entity');
    const updated = await cli(env, 'endpoint', 'update', ep.id, '--ordering', 'endpoint');
    assert.equal(updated.code, 0, updated.stderr);
    assert.match(updated.stdout, /ordering:\s+endpoint/);
    const bad = await cli(env, 'endpoint', 'update', ep.id, '--ordering', 'fifo');
    assert.notEqual(bad.code, 0);
    assert.match(bad.stderr, /none, entity, endpoint|"none", "entity", "endpoint"/);
    assert.equal((await h.api('GET', `/v1/endpoints/${ep.id}`)).json.ordering, 'endpoint');
  });

  test('publish sends --ordering-key, and the API refuses one over 200 characters naming the field', async () => {
    const ok = await cli(env, 'publish', '--type', 'ONDEMAND_ENROLLMENT', '--action', 'STARTED', '--ordering-key', 'enr-1');
    assert.equal(ok.code, 0, ok.stderr);
    const long = await cli(env, 'publish', '--type', 'ONDEMAND_ENROLLMENT', '--action', 'STARTED', '--ordering-key', 'k'.repeat(201));
    assert.notEqual(long.code, 0);
    assert.match(long.stderr + long.stdout, /ordering_key/);
  });
});
