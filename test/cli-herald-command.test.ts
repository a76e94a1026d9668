import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startTestHerald, TEST_TOKEN, until, type TestHerald } from './helpers/herald.js';
import { startReceiver, type Receiver } from './helpers/receiver.js';
import { runCli } from './helpers/cli-process.js';

const MAIN = new URL('../src/cli/main.ts', import.meta.url).pathname;

const cli = (env: Record<string, string>, ...args: string[]) => runCli(env, args);

describe('herald CLI against a running Herald', () => {
  let h: TestHerald;
  let receiver: Receiver;
  let failing = false;
  let env: Record<string, string>;
  const run = (...args: string[]) => cli(env, ...args);
  const json = async (...args: string[]) => {
    const r = await run('--json', ...args);
    assert.equal(r.code, 0, `herald ${args.join(' ')} failed: ${r.stderr}`);
    return JSON.parse(r.stdout) as any;
  };

  before(async () => {
    h = await startTestHerald('sqlite');
    receiver = await startReceiver(() => (failing ? { status: 503, body: 'down for maintenance' } : { status: 200 }));
    env = { HERALD_URL: h.url, HERALD_TOKEN: TEST_TOKEN };
  });
  after(async () => {
    await receiver?.close();
    await h?.stop();
  });

  test('endpoint create -> subscription create -> publish -> deliveries shows it succeeded', async () => {
    const ep = await json('endpoint', 'create', 'lab backend', '--url', receiver.url, '--format', 'strigo', '--auth', 'herald:s3cret');
    assert.match(ep.id, /^ep_/);
    assert.ok(ep.callback.key, 'the callback key is shown on creation');

    const sub = await json('subscription', 'create', '--endpoint', ep.id, '--event', 'ONDEMAND_ENROLLMENT/*');
    assert.deepEqual(sub.events, ['ONDEMAND_ENROLLMENT/*']);

    const pub = await run('publish', '--type', 'ONDEMAND_ENROLLMENT', '--action', 'CREATED', '--entity', 'enr_1', '--entity', 'enr_2', '--data', '{"course":"k8s"}');
    assert.equal(pub.code, 0, pub.stderr);
    const [msgId] = pub.stdout.trim().split(/\s+/);
    assert.match(msgId!, /^msg_/);
    assert.match(pub.stdout, /1 delivery/);

    await receiver.waitFor(1);
    const body = JSON.parse(receiver.received[0]!.body);
    assert.deepEqual(body.entity_ids, ['enr_1', 'enr_2']);
    assert.equal(receiver.received[0]!.headers.authorization, 'Bearer herald:s3cret');

    await until(async () => (await h.api('GET', `/v1/deliveries?endpoint_id=${ep.id}&status=succeeded`)).json.data.length === 1, 10_000, 'delivery to succeed');
    const deliveryId = (await h.api('GET', `/v1/deliveries?endpoint_id=${ep.id}`)).json.data[0].id as string;
    const [logRun, table, shown] = await Promise.all([
      run('--json', 'deliveries', '--endpoint', ep.id),
      run('deliveries', '--endpoint', ep.id),
      run('delivery', 'show', deliveryId),
    ]);
    assert.equal(logRun.code, 0, logRun.stderr);
    const log = JSON.parse(logRun.stdout);
    assert.equal(log.data.length, 1);
    assert.equal(log.data[0].status, 'succeeded');
    assert.equal(log.data[0].message_id, msgId);
    assert.equal(log.data[0].event, 'ONDEMAND_ENROLLMENT/CREATED');

    // The human table carries the same facts, aligned, with no colour codes in a pipe.
    assert.equal(table.code, 0, table.stderr);
    const [header, row] = table.stdout.trimEnd().split('\n');
    assert.match(header!, /^ID\s+STATUS\s+EVENT\s+ENDPOINT/);
    assert.ok(row!.includes('succeeded') && row!.includes('lab backend'));
    assert.equal(header!.indexOf('STATUS'), row!.indexOf('succeeded'));
    assert.equal(header!.indexOf('ENDPOINT'), row!.indexOf('lab backend'), 'the endpoint is named, not only its id');
    assert.doesNotMatch(table.stdout, /\x1b\[/);

    assert.equal(shown.code, 0, shown.stderr);
    assert.match(shown.stdout, /status:\s+succeeded/);
    assert.match(shown.stdout, /^1\s+\S+\s+200\s/m);
  });

  test('an API error exits 1 naming each field; an unreachable Herald exits 2 naming the URL', async () => {
    const [bad, badUrl, noToken, down] = await Promise.all([
      run('publish', '--type', 'ONDEMAND_ENROLLMENT', '--action', 'EXPLODED'),
      run('endpoint', 'create', 'x', '--url', 'not a url', '--format', 'strigo'),
      cli({ HERALD_URL: h.url, HERALD_DATA_DIR: join(tmpdir(), 'herald-no-such-dir') }, 'endpoint', 'list'),
      cli({ HERALD_URL: 'http://127.0.0.1:9', HERALD_TOKEN: TEST_TOKEN }, 'deliveries'),
    ]);
    assert.equal(bad.code, 1);
    assert.equal(bad.stdout, '');
    assert.match(bad.stderr, /^error: /);
    assert.match(bad.stderr, /^ {2}\/action: .*\(allowed: .*EXPIRED/m);

    assert.equal(badUrl.code, 1);
    assert.match(badUrl.stderr, /^ {2}\/url: /m);

    assert.equal(noToken.code, 1);
    assert.match(noToken.stderr, /HERALD_TOKEN/);

    assert.equal(down.code, 2);
    assert.match(down.stderr, /could not reach Herald at http:\/\/127\.0\.0\.1:9/);
  });

  test('--file publishes an NDJSON file of 1,500 events in two batches', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'herald-cli-'));
    try {
      const file = join(dir, 'events.ndjson');
      const lines = Array.from({ length: 1500 }, (_, i) => JSON.stringify({ type: 'CLASS', action: 'UPDATED', entity_ids: [`class_${i}`], data: { n: i } }));
      writeFileSync(file, `${lines.join('\n')}\n`);
      // A bad event in the second batch is reported by its line in the file.
      const badFile = join(dir, 'bad.ndjson');
      writeFileSync(badFile, lines.map((l, i) => (i === 1203 ? JSON.stringify({ type: 'CLASS', action: 'VANISHED' }) : l)).join('\n'));
      const [r, bad] = await Promise.all([run('--json', 'publish', '--file', file), run('publish', '--file', badFile)]);
      assert.equal(r.code, 0, r.stderr);
      const out = JSON.parse(r.stdout) as { data: Array<{ id: string }> };
      assert.equal(out.data.length, 1500);
      assert.equal(new Set(out.data.map((m) => m.id)).size, 1500);
      const last = await h.api('GET', `/v1/messages/${out.data[1499]!.id}`);
      assert.deepEqual(last.json.entity_ids, ['class_1499']);

      assert.equal(bad.code, 1);
      assert.match(bad.stderr, /lines 1001-1500 rejected/);
      assert.match(bad.stderr, /the 1000 events before line 1001 were published/);
      assert.match(bad.stderr, /bad\.ndjson:1204 \/action: /);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('recover re-queues failed deliveries and they succeed once the receiver is back', async () => {
    const ep = (await h.api('POST', '/v1/endpoints', { name: 'flaky', url: receiver.url, format: 'standard' })).json;
    await h.api('POST', '/v1/subscriptions', { endpoint_id: ep.id, events: ['EVENT/*'] });
    failing = true;
    const since = new Date(Date.now() - 1000).toISOString();
    for (const action of ['STARTED', 'ENDED']) await h.api('POST', '/v1/events', { type: 'EVENT', action, entity_ids: ['ev_1'] });
    await until(async () => (await h.api('GET', `/v1/deliveries?endpoint_id=${ep.id}&status=failed`)).json.data.length === 2, 15_000, 'both deliveries to fail');

    const failed = await json('deliveries', '--failed', '--endpoint', ep.id);
    assert.equal(failed.data.length, 2);
    assert.match(failed.data[0].last_error ?? String(failed.data[0].last_status_code), /503|down/);

    failing = false;
    const r = await run('recover', '--endpoint', ep.id, '--since', since, '--wait');
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /2 failed deliveries re-queued/);
    assert.match(r.stdout, /2 succeeded, 0 failed again of 2 re-queued/);
    const settled = await h.api('GET', `/v1/deliveries?endpoint_id=${ep.id}&status=succeeded`);
    assert.equal(settled.json.data.length, 2);
  });

  test('entity watch prints the state as it changes and stops cleanly on SIGINT', async () => {
    const ep = (await h.api('POST', '/v1/endpoints', { name: 'lab builder', url: receiver.url, format: 'strigo' })).json;
    await h.api('POST', '/v1/subscriptions', { endpoint_id: ep.id, events: ['ONDEMAND_ENROLLMENT/STARTED'] });
    const msg = (await h.api('POST', '/v1/events', { type: 'ONDEMAND_ENROLLMENT', action: 'STARTED', entity_ids: ['enr_watch'] })).json;
    await until(async () => (await h.api('GET', `/v1/deliveries?endpoint_id=${ep.id}&status=succeeded`)).json.data.length === 1, 10_000, 'delivery');

    const child = spawn(process.execPath, ['--import', 'tsx', MAIN, '--json', 'entity', 'watch', 'enr_watch'], {
      env: { PATH: process.env.PATH ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const states: any[] = [];
    let partial = '';
    child.stdout.on('data', (c: Buffer) => {
      partial += c.toString();
      const lines = partial.split('\n');
      partial = lines.pop()!;
      for (const l of lines) if (l.trim()) states.push(JSON.parse(l));
    });
    const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    try {
      await until(async () => states.length >= 1, 20_000, 'the current state');
      assert.deepEqual(states[0].resources, []);
      const incoming = await h.api(
        'POST',
        '/v1/incoming',
        { source_message_id: msg.id, type: 'RESOURCE', action: 'CREATED', data: { resources: [{ id: 'vm_1', type: 'VM', name: 'lab vm', status: 'READY' }], interfaces: [] } },
        { authorization: `Bearer ${ep.callback.user}:${ep.callback.key}` },
      );
      assert.equal(incoming.status, 200, incoming.text);
      await until(async () => states.length >= 2, 10_000, 'the change');
      assert.equal(states[1].resources[0].status, 'READY');
    } finally {
      child.kill('SIGINT');
    }
    assert.equal(await exited, 0);
  });
});
