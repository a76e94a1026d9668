import assert from 'node:assert/strict';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { DIALECTS, freshDatabase, skipFor, type Dialect } from './helpers/databases.js';
import { startTestHerald, TEST_TOKEN, until, type TestHerald } from './helpers/herald.js';
import { startReceiver, type Receiver } from './helpers/receiver.js';
import { freePort } from './helpers/spawn-herald.js';

const BIN = new URL('../bin/herald.js', import.meta.url).pathname;
const VERSION = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** The installed entry point, as an operator runs it; asynchronous so the Herald in this process keeps serving. */
function start(env: Record<string, string>, args: string[]): ChildProcessWithoutNullStreams {
  return spawn(process.execPath, [BIN, ...args], { env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
}

function cli(env: Record<string, string>, ...args: string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = start(env, args);
    child.stdin.end();
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

const count = (text: string, word: string) => text.split(word).length - 1;

/** The column a header starts at, and the text of each row from there: what "aligned" means to a reader. */
function assertAligned(header: string, row: string, column: string, value: string): void {
  assert.ok(header.includes(column), `no ${column} column in ${JSON.stringify(header)}`);
  assert.equal(row.indexOf(value), header.indexOf(column), `${value} is not under ${column}:\n${header}\n${row}`);
}

test('--version prints the version from package.json', async () => {
  const [long, short] = await Promise.all([cli({}, '--version'), cli({}, '-V')]);
  assert.equal(long.code, 0, long.stderr);
  assert.equal(long.stdout, `herald ${VERSION}\n`);
  assert.equal(short.stdout, long.stdout);
});

test('every command has examples in its --help', async () => {
  const commands = [
    ['deliveries'],
    ['tail'],
    ['publish'],
    ['recover'],
    ['retry'],
    ['endpoint', 'create'],
    ['endpoint', 'list'],
    ['endpoint', 'update'],
    ['subscription', 'create'],
    ['subscription', 'list'],
    ['topic', 'update'],
    ['delivery', 'show'],
    ['message', 'show'],
    ['entity', 'watch'],
    ['serve'],
  ];
  const runs = await Promise.all(commands.map((c) => cli({}, ...c, '--help')));
  runs.forEach((r, i) => {
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout.split('\n');
    const at = lines.indexOf('Examples:');
    assert.ok(at > 0, `herald ${commands[i]!.join(' ')} --help has no examples:\n${r.stdout}`);
    assert.match(lines[at + 1]!, new RegExp(`^  \\$ .*herald ${commands[i]!.join(' ')}\\b`));
  });
});

test('an unreachable Herald: the URL tried and how to set it, once; with --json an error object on stdout', async () => {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const [text, json, usage] = await Promise.all([
    cli({ HERALD_URL: url, HERALD_TOKEN: TEST_TOKEN }, 'deliveries'),
    cli({ HERALD_URL: url, HERALD_TOKEN: TEST_TOKEN }, '--json', 'deliveries'),
    cli({ HERALD_URL: url, HERALD_TOKEN: TEST_TOKEN }, '--json', 'deliveries', '--no-such-flag'),
  ]);
  assert.equal(text.code, 2);
  assert.equal(text.stdout, '');
  assert.equal(text.stderr, `error: could not reach Herald at ${url} (connection refused)\nhint: is Herald running there? HERALD_URL is set to ${url}; point it at Herald's address.\n`);

  assert.equal(json.code, 2);
  assert.equal(json.stderr, '');
  const body = JSON.parse(json.stdout);
  assert.equal(body.error.code, 'unreachable');
  assert.equal(body.error.url, url);
  assert.match(body.error.hint, /HERALD_URL/);

  assert.equal(usage.code, 1);
  assert.equal(usage.stderr, '');
  assert.deepEqual(JSON.parse(usage.stdout), { error: { code: 'usage', message: "unknown option '--no-such-flag'" } });

  // Without HERALD_URL the hint says the default was used and how to set another.
  const defaulted = await cli({ HERALD_TOKEN: TEST_TOKEN }, 'endpoint', 'list');
  if (defaulted.code === 2) assert.match(defaulted.stderr, /HERALD_URL is not set, so the default http:\/\/localhost:8080 was tried; set HERALD_URL=/);
});

for (const dialect of DIALECTS) {
  describe(`herald CLI polish against a real Herald (${dialect})`, { skip: skipFor(dialect) }, () => {
    let h: TestHerald;
    let receiver: Receiver;
    let env: Record<string, string>;
    const run = (...args: string[]) => cli(env, ...args);

    before(async () => {
      h = await startTestHerald(dialect);
      receiver = await startReceiver(() => ({ status: 200 }));
      env = { HERALD_URL: h.url, HERALD_TOKEN: TEST_TOKEN };
    });
    after(async () => {
      await receiver?.close();
      await h?.stop();
    });

    test('empty results say so on stderr instead of printing a bare header', async () => {
      const [deliveries, endpoints, subscriptions, json] = await Promise.all([
        run('deliveries', '--event', 'NOTHING/*'),
        run('endpoint', 'list', '--tenant', 'nobody'),
        run('subscription', 'list', '--endpoint', 'ep_nobody'),
        run('--json', 'deliveries', '--event', 'NOTHING/*'),
      ]);
      for (const [r, said] of [
        [deliveries, 'No deliveries match.'],
        [endpoints, 'No endpoints match.'],
        [subscriptions, 'No subscriptions match.'],
      ] as const) {
        assert.equal(r.code, 0, r.stderr);
        assert.equal(r.stdout, '');
        assert.equal(r.stderr, `${said}\n`);
      }
      assert.equal(json.code, 0, json.stderr);
      assert.deepEqual(JSON.parse(json.stdout).data, []);
    });

    test('tables show endpoint names beside delivery ids, with relative times; --wide adds ids and ISO times', async () => {
      const ep = (await h.api('POST', '/v1/endpoints', { name: 'lab backend', url: receiver.url, format: 'strigo' })).json;
      await h.api('POST', '/v1/subscriptions', { endpoint_id: ep.id, events: ['CLASS/*'] });
      assert.equal((await h.api('POST', '/v1/events', { type: 'CLASS', action: 'CREATED', entity_ids: ['class_names'] })).status, 202);
      await until(async () => (await h.api('GET', `/v1/deliveries?endpoint_id=${ep.id}&status=succeeded`)).json.data.length === 1, 15_000, 'delivery');

      const id = (await h.api('GET', `/v1/deliveries?endpoint_id=${ep.id}`)).json.data[0].id as string;
      const [table, wide, subs, show] = await Promise.all([
        run('deliveries', '--endpoint', ep.id),
        run('deliveries', '--endpoint', ep.id, '--wide'),
        run('subscription', 'list', '--endpoint', ep.id),
        run('delivery', 'show', id),
      ]);
      assert.equal(table.code, 0, table.stderr);
      const [header, row] = table.stdout.trimEnd().split('\n') as [string, string];
      assertAligned(header, row, 'ENDPOINT', 'lab backend');
      assertAligned(header, row, 'STATUS', 'succeeded');
      assert.ok(!row.includes(ep.id), 'the table names the endpoint; the id is in --wide and --json');
      assert.match(row, /\b\d+s ago\b|\b\d+m ago\b/);
      assert.doesNotMatch(row, /\d{4}-\d\d-\d\dT/);

      assert.equal(wide.code, 0, wide.stderr);
      const [wideHeader, wideRow] = wide.stdout.trimEnd().split('\n') as [string, string];
      assertAligned(wideHeader, wideRow, 'ENDPOINT ID', ep.id);
      assert.match(wideRow, /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z/);
      assert.doesNotMatch(wideRow, / ago\b/);

      assert.equal(subs.code, 0, subs.stderr);
      const [subHeader, subRow] = subs.stdout.trimEnd().split('\n') as [string, string];
      assertAligned(subHeader, subRow, 'ENDPOINT', 'lab backend');

      assert.equal(show.code, 0, show.stderr);
      assert.match(show.stdout, new RegExp(`^endpoint:\\s+lab backend \\(${ep.id}\\)$`, 'm'));
      // Detail views: the exact time with how long ago.
      assert.match(show.stdout, /^created:\s+\d{4}-\d\d-\d\dT[\d:.]+Z \(\d+[smhd] ago\)$/m);
    });

    test('API errors are said once; with --json they are the API error object on stdout', async () => {
      const [text, json] = await Promise.all([
        run('publish', '--type', 'CLASS', '--action', 'VANISHED'),
        run('--json', 'publish', '--type', 'CLASS', '--action', 'VANISHED'),
      ]);
      assert.equal(text.code, 1);
      assert.equal(text.stdout, '');
      assert.equal(count(text.stderr, 'VANISHED'), 1, text.stderr);
      assert.match(text.stderr, /^ {2}\/action: .*"VANISHED".*\(allowed: .*CREATED/m);

      assert.equal(json.code, 1);
      assert.equal(json.stderr, '');
      const body = JSON.parse(json.stdout);
      assert.equal(body.error.status, 422);
      assert.equal(body.error.code, 'invalid');
      assert.equal(body.error.details[0].path, '/action');
      assert.ok(body.error.details[0].allowed.includes('CREATED'));
    });

    test('a refused delivery reads "connect ECONNREFUSED ..." once, in the list and in each attempt', async () => {
      const closed = await freePort();
      const ep = (await h.api('POST', '/v1/endpoints', { name: 'gone backend', url: `http://127.0.0.1:${closed}/hook`, format: 'standard' })).json;
      await h.api('POST', '/v1/subscriptions', { endpoint_id: ep.id, events: ['EVENT/STARTED'] });
      assert.equal((await h.api('POST', '/v1/events', { type: 'EVENT', action: 'STARTED', entity_ids: ['room_1'] })).status, 202);
      await until(async () => (await h.api('GET', `/v1/deliveries?endpoint_id=${ep.id}&status=failed`)).json.data.length === 1, 20_000, 'delivery to fail');
      const id = (await h.api('GET', `/v1/deliveries?endpoint_id=${ep.id}`)).json.data[0].id as string;
      const [list, show] = await Promise.all([run('deliveries', '--endpoint', ep.id), run('delivery', 'show', id)]);
      assert.equal(list.code, 0, list.stderr);
      const row = list.stdout.trimEnd().split('\n')[1]!;
      assert.equal(count(row, 'ECONNREFUSED'), 1, row);
      assert.equal(show.code, 0, show.stderr);
      const attemptRows = show.stdout.split('\n').filter((l) => /^\d+\s+\d{4}-/.test(l));
      assert.ok(attemptRows.length >= 1, show.stdout);
      for (const l of attemptRows) assert.equal(count(l, 'ECONNREFUSED'), 1, l);
      assert.equal(count(show.stdout.split('\n').find((l) => l.startsWith('last error:'))!, 'ECONNREFUSED'), 1);
    });

    test('integers past 2^53 go out and come back exactly (publish --data, message show --json)', async () => {
      const ep = (await h.api('POST', '/v1/endpoints', { name: 'exact backend', url: receiver.url, format: 'strigo' })).json;
      await h.api('POST', '/v1/subscriptions', { endpoint_id: ep.id, events: ['ONDEMAND_ENROLLMENT/*'] });
      const before = receiver.received.length;
      const pub = await run('--json', 'publish', '--type', 'ONDEMAND_ENROLLMENT', '--action', 'CREATED', '--entity', 'c_1', '--data', '{"n": 12345678901234567891, "f": 1.50}');
      assert.equal(pub.code, 0, pub.stderr);
      const msgId = JSON.parse(pub.stdout).id as string;
      await receiver.waitFor(before + 1, 15_000);
      const sent = receiver.received.slice(before).map((r) => r.body).find((b) => b.includes(msgId) || b.includes('c_1'))!;
      assert.ok(sent.includes('12345678901234567891'), sent);

      const [json, text] = await Promise.all([run('--json', 'message', 'show', msgId), run('message', 'show', msgId)]);
      assert.equal(json.code, 0, json.stderr);
      assert.match(json.stdout, /"n": 12345678901234567891,\s*"f": 1\.50\b/);
      assert.equal(JSON.parse(json.stdout).id, msgId);
      assert.equal(text.code, 0, text.stderr);
      assert.match(text.stdout, /^data:\s+\{"n":12345678901234567891,"f":1\.50\}$/m);
      assert.match(text.stdout, /exact backend/);
    });

    test('a reader that closes the pipe early ends the CLI quietly (herald deliveries | head -1)', async () => {
      const ep = (await h.api('POST', '/v1/endpoints', { name: 'pipe backend', url: receiver.url, format: 'strigo' })).json;
      await h.api('POST', '/v1/subscriptions', { endpoint_id: ep.id, events: ['EVENT/ENDED'] });
      for (const entity of ['pipe_1', 'pipe_2']) assert.equal((await h.api('POST', '/v1/events', { type: 'EVENT', action: 'ENDED', entity_ids: [entity] })).status, 202);
      const child = start(env, ['deliveries', '--limit', '500']);
      child.stdin.end();
      // Closed before the CLI has written a byte: every write it makes meets EPIPE.
      child.stdout.destroy();
      let stderr = '';
      child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
      const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
      assert.equal(stderr, '');
      assert.equal(code, 0);

      // And through a real shell pipe, as typed.
      const piped = await new Promise<Run>((resolve) => {
        const sh = spawn('sh', ['-c', `"${process.execPath}" "${BIN}" deliveries | head -1`], { env: { PATH: process.env.PATH ?? '', ...env } });
        let out = '';
        let err = '';
        sh.stdout.on('data', (c: Buffer) => (out += c.toString()));
        sh.stderr.on('data', (c: Buffer) => (err += c.toString()));
        sh.on('close', (c) => resolve({ code: c ?? -1, stdout: out, stderr: err }));
      });
      assert.equal(piped.stderr, '');
      assert.match(piped.stdout, /^ID\s+STATUS\s+EVENT\s+ENDPOINT/);
    });
  });

  describe(`herald tail across a Herald restart (${dialect})`, { skip: skipFor(dialect) }, () => {
    test('tail prints an aligned header and rows, notes the lost connection on stderr, and carries on after the restart', async () => {
      const db = await freshDatabase(dialect as Dialect);
      const port = await freePort();
      const receiver = await startReceiver(() => ({ status: 200 }));
      let h: TestHerald | null = await startTestHerald(dialect, { HERALD_PORT: String(port) }, db);
      const child = start({ HERALD_URL: h.url, HERALD_TOKEN: TEST_TOKEN }, ['tail', '--interval', '200']);
      child.stdin.end();
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
      child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
      const exited = new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
      const rowsOf = (status: string, entity: string) => stdout.split('\n').filter((l) => l.includes(status) && l.includes(entity));
      try {
        const ep = (await h.api('POST', '/v1/endpoints', { name: 'restart backend', url: receiver.url, format: 'strigo' })).json;
        await h.api('POST', '/v1/subscriptions', { endpoint_id: ep.id, events: ['EVENT/*'] });
        await until(async () => stdout.includes('\n'), 30_000, 'the header');
        const header = stdout.split('\n')[0]!;
        assert.match(header, /^UPDATED\s+ID\s+STATUS\s+EVENT\s+ENDPOINT\s+TRIES\s+LAST$/);

        const first = await h.api('POST', '/v1/events', { type: 'EVENT', action: 'STARTED', entity_ids: ['lab_before'] });
        assert.equal(first.status, 202, first.text);
        await until(async () => stdout.split('\n').some((l) => l.includes('succeeded') && l.includes('EVENT/STARTED')), 30_000, 'the first delivery in the tail').catch((e: Error) => {
          throw new Error(`${e.message}\nstdout:\n${stdout}\nstderr:\n${stderr}`);
        });

        await h.stop();
        h = null;
        await until(async () => stderr.includes('lost Herald'), 30_000, 'the note that Herald went away');
        assert.match(stderr, new RegExp(`lost Herald at http://127\\.0\\.0\\.1:${port} \\(.+\\); reconnecting`));
        assert.equal(child.exitCode, null, 'tail keeps running while Herald is down');

        h = await startTestHerald(dialect, { HERALD_PORT: String(port) }, db);
        assert.equal((await h.api('POST', '/v1/events', { type: 'EVENT', action: 'ENDED', entity_ids: ['lab_after'] })).status, 202);
        await until(async () => stdout.split('\n').some((l) => l.includes('succeeded') && l.includes('EVENT/ENDED')), 30_000, 'a delivery after the restart');
        assert.match(stderr, new RegExp(`reconnected to http://127\\.0\\.0\\.1:${port}`));
        assert.equal(count(stderr, 'lost Herald'), 1, 'the outage is noted once, not on every retry');

        const rows = stdout.trimEnd().split('\n').slice(1);
        assert.ok(rows.length >= 2, stdout);
        for (const row of rows) {
          const status = /\b(pending|succeeded|failed|cancelled|skipped|retrying)\b/.exec(row)![1]!;
          assertAligned(header, row, 'STATUS', status);
          assertAligned(header, row, 'ENDPOINT', 'restart backend');
          assert.equal(row.indexOf('EVENT/'), header.indexOf('EVENT'), row);
        }
        assert.equal(rowsOf('succeeded', 'EVENT/STARTED').length, 1, 'a row is printed once per change, not again after the reconnect');
      } finally {
        child.kill('SIGINT');
        const code = await exited;
        await h?.stop();
        await receiver.close();
        await db.drop();
        assert.equal(code, 0, stderr);
      }
    });
  });
}
