import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestHerald, TEST_TOKEN, type TestHerald } from './helpers/herald.js';
import { runCli } from './helpers/cli-process.js';


const cli = (env: Record<string, string>, ...args: string[]) => runCli(env, args);

describe('herald api-key', () => {
  let h: TestHerald;
  let env: Record<string, string>;
  before(async () => {
    h = await startTestHerald('sqlite');
    env = { HERALD_URL: h.url, HERALD_TOKEN: TEST_TOKEN, NO_COLOR: '1' };
  });
  after(async () => h?.stop());

  const asKey = (key: string, path: string) => fetch(h.url + path, { headers: { authorization: `Bearer ${key}` } });

  test('create prints the key once, list shows it without the key, revoke stops it at once', async () => {
    const made = await cli(env, 'api-key', 'create', '--name', 'acme publisher', '--tenant', 'acme', '--scope', 'events:publish', '--scope', 'endpoints:read');
    assert.equal(made.code, 0, made.stderr);
    const key = /key:\s+(hk_\S+)/.exec(made.stdout)?.[1];
    assert.ok(key, made.stdout);
    assert.match(made.stdout + made.stderr, /shown only now/);
    const id = /id:\s+(key_\S+)/.exec(made.stdout)![1]!;

    assert.equal((await asKey(key, '/v1/endpoints')).status, 200);
    assert.equal((await asKey(key, '/v1/deliveries')).status, 403);

    const table = await cli(env, 'api-key', 'list');
    assert.equal(table.code, 0, table.stderr);
    assert.match(table.stdout, /^ID\s+NAME\s+TENANT\s+PREFIX\s+STATUS/);
    assert.match(table.stdout, new RegExp(`${id}\\s+acme publisher\\s+acme\\s+hk_\\S{8}\\s+active`));
    assert.ok(!table.stdout.includes(key));
    const listed = await cli(env, '--json', 'api-key', 'list', '--tenant', 'acme');
    assert.equal(JSON.parse(listed.stdout).data.length, 1);
    assert.ok(!listed.stdout.includes(key));

    const revoked = await cli(env, 'api-key', 'revoke', id);
    assert.equal(revoked.code, 0, revoked.stderr);
    assert.equal(revoked.stdout.trim(), `${id} revoked`);
    assert.equal((await asKey(key, '/v1/endpoints')).status, 401);
    assert.match((await cli(env, 'api-key', 'list')).stdout, new RegExp(`${id}.*revoked`));
  });

  test('an unknown scope is refused with the allowed ones, and nothing is made', async () => {
    const r = await cli(env, 'api-key', 'create', '--name', 'x', '--tenant', 'acme', '--scope', 'everything');
    assert.equal(r.code, 1);
    assert.match(r.stderr, /scopes\/0/);
    assert.match(r.stderr, /events:publish, endpoints:read, endpoints:write, deliveries:read, deliveries:retry, entities:read/);
    const list = await cli(env, '--json', 'api-key', 'list', '--tenant', 'acme');
    assert.ok(JSON.parse(list.stdout).data.every((k: any) => k.name !== 'x'));
    const missing = await cli(env, 'api-key', 'create', '--name', 'x', '--tenant', 'acme');
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /--scope/);
  });
});
