import assert from 'node:assert/strict';
import { createServer, type AddressInfo, type Socket } from 'node:net';
import { describe, it } from 'node:test';
import { DIALECTS, skipFor } from './helpers/databases.js';
import { startTestHerald, TEST_TOKEN, until, type TestHerald } from './helpers/herald.js';
import { runCli } from './helpers/cli-process.js';

/**
 * What an attempt keeps of the receiver's response headers, as the API, the console and the CLI show it: the
 * first 50 in the order sent, names cut at 100 and values at 500 characters, 8 KiB of JSON in all, masked like
 * request headers, and readable text whatever bytes the receiver wrote.
 */

const BIN = new URL('../bin/herald.js', import.meta.url).pathname;
/** What the endpoint sends the receiver; a receiver that echoes it back in a header must not get it stored. */
const CREDENTIAL = 'receiver-credential-7f3a9c';
const COOKIE_SECRET = 'session-cookie-value-d41d8c';

/** A raw TCP receiver answering every request with the bytes given, so headers can be anything on the wire. */
async function rawReceiver(answer: Buffer) {
  const sockets = new Set<Socket>();
  let requests = 0;
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    let buf = Buffer.alloc(0);
    socket.on('data', (d: Buffer) => {
      buf = Buffer.concat([buf, d]);
      const end = buf.indexOf('\r\n\r\n');
      if (end < 0) return;
      const length = Number(/content-length:\s*(\d+)/i.exec(buf.subarray(0, end).toString('latin1'))?.[1] ?? 0);
      if (buf.length < end + 4 + length) return;
      buf = buf.subarray(end + 4 + length);
      requests++;
      socket.write(answer);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    requests: () => requests,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** A 200 answer with these header lines, each given as the exact bytes to write. */
function answerWith(lines: Buffer[]): Buffer {
  const body = Buffer.from('{"ok":true}');
  const crlf = Buffer.from('\r\n');
  const parts = [Buffer.from('HTTP/1.1 200 OK'), ...lines, Buffer.from(`Content-Length: ${body.length}`)].flatMap((l) => [l, crlf]);
  return Buffer.concat([...parts, crlf, body]);
}

const line = (text: string) => Buffer.from(text, 'latin1');

/** The hostile answer: named headers first, then 200 more than anyone keeps. */
const LONG_NAME = `x-${'n'.repeat(150)}`;
const HOSTILE = answerWith([
  line('Content-Type: application/json'),
  line('X-Request-Id: req-42'),
  line(`Set-Cookie: sid=${COOKIE_SECRET}; HttpOnly`),
  line('Set-Cookie: theme=dark'),
  line('X-Api-Key: receiver-own-key-123'),
  line('WWW-Authenticate: Bearer realm="hooks"'),
  line(`X-Echo: you sent ${CREDENTIAL}`),
  // "naïve" in UTF-8, then bytes that are no UTF-8 at all.
  Buffer.concat([line('X-Greeting: na'), Buffer.from([0xc3, 0xaf]), line('ve')]),
  Buffer.concat([line('X-Bad-Bytes: bad '), Buffer.from([0xff, 0xfe]), line(' end')]),
  line(`X-Huge: ${'h'.repeat(6000)}`),
  line(`${LONG_NAME}: long name`),
  ...Array.from({ length: 200 }, (_, i) => line(`X-Filler-${i}: value ${i}`)),
]);
/** Headers before the fillers, as undici merges them (the two Set-Cookie lines are one header). */
const NAMED = 10;

/** 30 wide headers: within what undici reads, over what is stored (8 KiB of JSON). */
const WIDE_VALUE = 'w'.repeat(480);
const WIDE = answerWith(Array.from({ length: 30 }, (_, i) => line(`X-Wide-${i}: ${WIDE_VALUE}`)));

async function endpoint(h: TestHerald, name: string, url: string, event: string): Promise<string> {
  const ep = await h.api('POST', '/v1/endpoints', { name, url, format: 'strigo', headers: { 'X-Receiver-Token': CREDENTIAL } });
  assert.equal(ep.status, 201, ep.text);
  const sub = await h.api('POST', '/v1/subscriptions', { endpoint_id: ep.json.id, events: [event] });
  assert.equal(sub.status, 201, sub.text);
  return ep.json.id as string;
}

/** The delivery of a fresh event to the endpoint, once its first attempt is recorded. */
async function deliveredOnce(h: TestHerald, endpointId: string, action: string) {
  const pub = await h.api('POST', '/v1/events', { type: 'CLASS', action, entity_ids: ['c1'] });
  assert.equal(pub.status, 202, pub.text);
  return until(
    async () => {
      const m = await h.api('GET', `/v1/messages/${pub.json.id}`);
      const d = (m.json?.deliveries ?? []).find((x: { endpoint_id: string }) => x.endpoint_id === endpointId);
      if (!d || d.attempt_count < 1) return null;
      return (await h.api('GET', `/v1/deliveries/${d.id}`)).json;
    },
    15_000,
    `an attempt to ${endpointId} recorded`,
  );
}

const cli = (url: string, ...args: string[]) => runCli({ HERALD_URL: url, HERALD_TOKEN: TEST_TOKEN }, args, { bin: true });

async function consolePage(h: TestHerald, path: string): Promise<string> {
  const login = await fetch(`${h.url}/login`, { method: 'POST', body: new URLSearchParams({ token: TEST_TOKEN }), redirect: 'manual' });
  assert.equal(login.status, 303);
  const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0]!;
  const res = await fetch(h.url + path, { headers: { cookie } });
  assert.equal(res.status, 200);
  return res.text();
}

const jsonBytes = (headers: Record<string, string>) => Buffer.byteLength(JSON.stringify(headers));

for (const dialect of DIALECTS) {
  describe(`response headers in the attempt log (${dialect})`, { skip: skipFor(dialect) }, () => {
    it('a hostile answer is kept capped, masked and readable, the same in the API, the console and the CLI', async () => {
      const h = await startTestHerald(dialect, { HERALD_RETRY_SCHEDULE: '1h' });
      const hostile = await rawReceiver(HOSTILE);
      const wide = await rawReceiver(WIDE);
      try {
        const d = await deliveredOnce(h, await endpoint(h, 'hostile headers', hostile.url, 'CLASS/CREATED'), 'CREATED');
        assert.equal(d.status, 'succeeded', JSON.stringify(d));
        const a = d.attempts[0];
        assert.equal(a.status_code, 200);
        assert.equal(a.response_body, '{"ok":true}');
        const kept = a.response_headers as Record<string, string>;
        const names = Object.keys(kept);

        assert.equal(names.length, 50, 'at most 50 headers');
        assert.ok(jsonBytes(kept) <= 8192);
        assert.equal(kept['content-type'], 'application/json');
        assert.equal(kept['x-request-id'], 'req-42');
        // Masked as request headers are: by name, whatever the value.
        assert.equal(kept['set-cookie'], '****');
        assert.equal(kept['x-api-key'], '****');
        assert.equal(kept['www-authenticate'], '****');
        // A credential the receiver echoes under a harmless name is masked too.
        assert.equal(kept['x-echo'], 'you sent ****');
        // Bytes read as UTF-8: valid ones as the receiver meant them, invalid ones as U+FFFD.
        assert.equal(kept['x-greeting'], 'na\u00efve');
        assert.equal(kept['x-bad-bytes'], 'bad \uFFFD\uFFFD end');
        assert.equal(kept['x-huge'], `${'h'.repeat(499)}\u2026`);
        const longName = `${LONG_NAME.slice(0, 99)}\u2026`;
        assert.equal(kept[longName], 'long name');
        assert.ok(names.every((n) => n.length <= 100) && Object.values(kept).every((v) => v.length <= 500));
        // The first ones sent are the ones kept, in order.
        const fillers = names.filter((n) => n.startsWith('x-filler-'));
        assert.deepEqual(fillers, Array.from({ length: 50 - NAMED }, (_, i) => `x-filler-${i}`));

        // No answer, no headers: a receiver that refuses the connection.
        const closed = await deliveredOnce(h, await endpoint(h, 'closed port', 'http://127.0.0.1:1/hook', 'CLASS/DELETED'), 'DELETED');
        assert.equal(closed.attempts[0].status_code, null);
        assert.equal(closed.attempts[0].response_headers, null);

        // Wide headers stop at 8 KiB of JSON: the ones kept are the first, and the next would not have fitted.
        const w = await deliveredOnce(h, await endpoint(h, 'wide headers', wide.url, 'CLASS/UPDATED'), 'UPDATED');
        const wideKept = w.attempts[0].response_headers as Record<string, string>;
        const wideNames = Object.keys(wideKept);
        assert.ok(wideNames.length > 5 && wideNames.length < 30, `${wideNames.length} wide headers kept`);
        assert.deepEqual(wideNames, Array.from({ length: wideNames.length }, (_, i) => `x-wide-${i}`));
        assert.ok(Object.values(wideKept).every((v) => v === WIDE_VALUE));
        assert.ok(jsonBytes(wideKept) <= 8192);
        assert.ok(jsonBytes({ ...wideKept, [`x-wide-${wideNames.length}`]: WIDE_VALUE }) > 8192, 'the next header would have passed the bound');

        // The API output never holds what was masked.
        const full = await h.api('GET', `/v1/deliveries/${d.id}`);
        for (const secret of [COOKIE_SECRET, CREDENTIAL, 'receiver-own-key-123', 'realm="hooks"']) {
          assert.ok(!full.text.includes(secret), `${secret} is not in the API output`);
        }

        // The console's attempt view: the headers one a line, escaped, masked.
        const html = await consolePage(h, `/deliveries/${d.id}`);
        const block = /<pre class="response-headers">([\s\S]*?)<\/pre>/.exec(html)?.[1];
        assert.ok(block, 'the attempt view shows the response headers');
        const shown = block.split('\n').filter(Boolean);
        assert.equal(shown.length, 50);
        assert.ok(shown.includes('set-cookie: ****'));
        assert.ok(shown.includes('x-greeting: na\u00efve'));
        assert.ok(shown.includes('x-bad-bytes: bad \uFFFD\uFFFD end'));
        assert.ok(shown.includes('x-echo: you sent ****'));
        for (const secret of [COOKIE_SECRET, CREDENTIAL, 'receiver-own-key-123']) assert.ok(!html.includes(secret), `${secret} is not in the console`);

        // `herald delivery show`: the last attempt's headers, and with --json the same object as the API.
        const shownCli = await cli(h.url, 'delivery', 'show', d.id);
        assert.equal(shownCli.code, 0, shownCli.stderr);
        const lines = shownCli.stdout.split('\n');
        const at = lines.findIndex((l) => l.includes('response headers of attempt 1:'));
        assert.ok(at >= 0, shownCli.stdout);
        const cliHeaders = lines.slice(at + 1, at + 51);
        assert.equal(cliHeaders[0], '  content-type: application/json');
        assert.ok(cliHeaders.includes('  set-cookie: ****'));
        assert.ok(cliHeaders.includes('  x-bad-bytes: bad \uFFFD\uFFFD end'));
        assert.ok(cliHeaders.includes(`  x-huge: ${'h'.repeat(499)}\u2026`));
        assert.ok(!shownCli.stdout.includes(COOKIE_SECRET) && !shownCli.stdout.includes(CREDENTIAL));
        const asJson = await cli(h.url, '--json', 'delivery', 'show', d.id);
        assert.equal(asJson.code, 0, asJson.stderr);
        assert.deepEqual(JSON.parse(asJson.stdout).attempts[0].response_headers, kept);
      } finally {
        await hostile.close();
        await wide.close();
        await h.stop();
      }
    });

    it('--wide shows the response headers of every attempt, a plain show only the last', async () => {
      // Two attempts: the first answer is a 500, the retry a 200, each with its own header.
      const h = await startTestHerald(dialect, { HERALD_RETRY_SCHEDULE: '100ms' });
      let n = 0;
      const sockets = new Set<Socket>();
      const server = createServer((socket) => {
        sockets.add(socket);
        socket.on('error', () => {});
        let buf = Buffer.alloc(0);
        socket.on('data', (d: Buffer) => {
          buf = Buffer.concat([buf, d]);
          const end = buf.indexOf('\r\n\r\n');
          if (end < 0) return;
          const length = Number(/content-length:\s*(\d+)/i.exec(buf.subarray(0, end).toString('latin1'))?.[1] ?? 0);
          if (buf.length < end + 4 + length) return;
          buf = buf.subarray(end + 4 + length);
          n++;
          socket.write(n === 1 ? 'HTTP/1.1 500 Oops\r\nX-Try: first\r\nContent-Length: 0\r\n\r\n' : 'HTTP/1.1 200 OK\r\nX-Try: second\r\nContent-Length: 0\r\n\r\n');
        });
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      try {
        const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
        const id = await endpoint(h, 'retried', url, 'CLASS/CREATED');
        const first = await deliveredOnce(h, id, 'CREATED');
        const d = await until(async () => {
          const x = (await h.api('GET', `/v1/deliveries/${first.id}`)).json;
          return x.status === 'succeeded' ? x : null;
        }, 15_000, 'the retry succeeding');
        assert.deepEqual(
          d.attempts.map((a: { status_code: number; response_headers: Record<string, string> }) => [a.status_code, a.response_headers['x-try']]),
          [
            [500, 'first'],
            [200, 'second'],
          ],
        );
        const plain = await cli(h.url, 'delivery', 'show', d.id);
        assert.equal(plain.code, 0, plain.stderr);
        assert.ok(!plain.stdout.includes('response headers of attempt 1:') && plain.stdout.includes('response headers of attempt 2:'), plain.stdout);
        assert.ok(plain.stdout.includes('  x-try: second'));
        const wideShow = await cli(h.url, 'delivery', 'show', '--wide', d.id);
        assert.equal(wideShow.code, 0, wideShow.stderr);
        assert.ok(wideShow.stdout.includes('response headers of attempt 1:') && wideShow.stdout.includes('  x-try: first'), wideShow.stdout);
        assert.ok(wideShow.stdout.includes('  x-try: second'));
      } finally {
        for (const s of sockets) s.destroy();
        await new Promise<void>((resolve) => server.close(() => resolve()));
        await h.stop();
      }
    });
  });
}
