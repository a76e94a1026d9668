import assert from 'node:assert/strict';
import { createServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import { DIALECTS, skipFor } from './helpers/databases.js';
import { startTestHerald, until, type TestHerald } from './helpers/herald.js';
import { startReceiver } from './helpers/receiver.js';

/**
 * Receivers that answer badly on purpose, each a raw TCP server that writes its bytes by hand. Whatever one
 * answers, its attempt is recorded with what it did, and a plain endpoint beside it, published after, is still
 * delivered and recorded: no answer can hold up anyone else's outcomes.
 */

/** Called once a whole request has arrived on the socket; writes whatever the receiver answers. */
type Behaviour = (socket: Socket, stop: (timer: NodeJS.Timeout) => void) => void;

async function rawReceiver(behave: Behaviour) {
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
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
      behave(socket, (t) => timers.add(t));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    requests: () => requests,
    close: () =>
      new Promise<void>((resolve) => {
        for (const t of timers) clearInterval(t);
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

const head = (lines: string[]) => Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1');
const ok200 = (body: Buffer, extra: string[] = []) => Buffer.concat([head(['HTTP/1.1 200 OK', 'Content-Type: text/plain', `Content-Length: ${body.length}`, ...extra]), body]);

/** The stored excerpt rule, written out: UTF-8 decoded (invalid bytes and NUL as U+FFFD), at most 4 KiB of UTF-8. */
function expectedExcerpt(bytes: Buffer): string {
  const text = bytes.toString('utf8').replaceAll('\u0000', '\uFFFD');
  let out = '';
  let size = 0;
  for (const ch of text) {
    size += Buffer.byteLength(ch);
    if (size > 4096) break;
    out += ch;
  }
  return out;
}

const binary = Buffer.from(Array.from({ length: 4096 }, (_, i) => i % 256));
const bigText = Array.from({ length: 40_000 }, (_, i) => `line ${i} of a large compressed answer\n`).join('');

interface Attempt {
  status_code: number | null;
  error: string | null;
  error_class: string | null;
  response_body: string | null;
}

interface Case {
  name: string;
  behave: Behaviour;
  /** The receiver keeps its request open past the neighbour's delivery (it ends only by Herald's timeout). */
  slow?: boolean;
  check(a: Attempt): void;
}

const CASES: Case[] = [
  {
    name: 'NUL bytes in a 200 body',
    behave: (s) => s.write(ok200(Buffer.from('{"ok":true}\u0000after the NUL\u0000', 'latin1'))),
    check: (a) => assert.deepEqual(a, { status_code: 200, error: null, error_class: null, response_body: '{"ok":true}\uFFFDafter the NUL\uFFFD' }),
  },
  {
    name: 'invalid UTF-8',
    behave: (s) => s.write(ok200(Buffer.from([...Buffer.from('bad '), 0xff, 0xfe, ...Buffer.from(' overlong '), 0xc0, 0xaf, ...Buffer.from(' cut '), 0xe2, 0x82]))),
    check: (a) => assert.deepEqual(a, { status_code: 200, error: null, error_class: null, response_body: 'bad \uFFFD\uFFFD overlong \uFFFD\uFFFD cut \uFFFD' }),
  },
  {
    name: 'binary body (bytes 0-255)',
    behave: (s) => s.write(ok200(binary, ['Content-Type: application/octet-stream'])),
    check: (a) => {
      assert.deepEqual({ ...a, response_body: null }, { status_code: 200, error: null, error_class: null, response_body: null });
      assert.equal(a.response_body, expectedExcerpt(binary));
      assert.ok(Buffer.byteLength(a.response_body!) <= 4096 && Buffer.byteLength(a.response_body!) > 4090);
    },
  },
  {
    name: '10 MiB body',
    behave: (s) => s.write(ok200(Buffer.alloc(10 * 1024 * 1024, 'x'))),
    check: (a) => assert.deepEqual(a, { status_code: 200, error: null, error_class: null, response_body: 'x'.repeat(4096) }),
  },
  {
    name: '64 KiB of headers',
    behave: (s) => s.write(ok200(Buffer.from('fine'), Array.from({ length: 64 }, (_, i) => `X-Junk-${i}: ${'j'.repeat(1024)}`))),
    check: (a) => {
      assert.deepEqual({ ...a, error: null }, { status_code: null, error: null, error_class: 'protocol', response_body: null });
      assert.match(a.error!, /^UND_ERR_HEADERS_OVERFLOW: /);
    },
  },
  {
    name: 'chunked body that never ends',
    slow: true,
    behave: (s, keep) => {
      s.write(head(['HTTP/1.1 200 OK', 'Transfer-Encoding: chunked']));
      keep(setInterval(() => s.write('6\r\nmore..\r\n'), 100));
    },
    check: (a) => assert.deepEqual(a, { status_code: null, error: 'request timed out (after HTTP 200, while reading the body)', error_class: 'timeout', response_body: null }),
  },
  {
    name: 'body trickling one byte a second',
    slow: true,
    behave: (s, keep) => {
      s.write(head(['HTTP/1.1 200 OK', 'Content-Length: 100']));
      keep(setInterval(() => s.write('.'), 1000));
    },
    check: (a) => assert.deepEqual(a, { status_code: null, error: 'request timed out (after HTTP 200, while reading the body)', error_class: 'timeout', response_body: null }),
  },
  {
    name: 'connection reset mid-response',
    behave: (s) => {
      s.write(Buffer.concat([head(['HTTP/1.1 200 OK', 'Content-Length: 1000']), Buffer.from('only ten b')]), () => setTimeout(() => s.resetAndDestroy(), 20));
    },
    check: (a) => {
      assert.deepEqual({ ...a, error: null }, { status_code: null, error: null, error_class: 'network', response_body: null });
      assert.match(a.error!, /^ECONNRESET: .*\(after HTTP 200, while reading the body\)$/);
    },
  },
  {
    name: 'garbage status line',
    behave: (s) => s.end('SPAM SPAM SPAM\r\n\r\n'),
    check: (a) => {
      assert.deepEqual({ ...a, error: null }, { status_code: null, error: null, error_class: 'protocol', response_body: null });
      assert.equal(a.error, 'Response does not match the HTTP/1.1 protocol (Expected HTTP/, RTSP/ or ICE/)');
    },
  },
  {
    name: '100 Continue, then 200',
    behave: (s) => s.write(Buffer.concat([head(['HTTP/1.1 100 Continue']), ok200(Buffer.from('after continue'))])),
    // Herald sends no `Expect: 100-continue`, and its HTTP client (undici) drops a connection that answers one
    // anyway: a failed attempt (retried on schedule) that says what happened.
    check: (a) =>
      assert.deepEqual(a, {
        status_code: null,
        error: 'UND_ERR_SOCKET: bad response (an unrequested 100 Continue, or an answer before the request)',
        error_class: 'protocol',
        response_body: null,
      }),
  },
  {
    name: 'HTTP/1.0 close-delimited body',
    behave: (s) => s.end(Buffer.concat([head(['HTTP/1.0 200 OK', 'Content-Type: text/plain']), Buffer.from('the body ends when the connection does')])),
    check: (a) => assert.deepEqual(a, { status_code: 200, error: null, error_class: null, response_body: 'the body ends when the connection does' }),
  },
  {
    name: 'Content-Encoding: gzip, large body',
    behave: (s) => s.write(ok200(gzipSync(Buffer.from(bigText)), ['Content-Encoding: gzip'])),
    check: (a) => assert.deepEqual(a, { status_code: 200, error: null, error_class: null, response_body: bigText.slice(0, 4096) }),
  },
];

async function endpoint(h: TestHerald, name: string, url: string, events: string[]): Promise<string> {
  const ep = await h.api('POST', '/v1/endpoints', { name, url, format: 'strigo' });
  assert.equal(ep.status, 201, ep.text);
  const sub = await h.api('POST', '/v1/subscriptions', { endpoint_id: ep.json.id, events });
  assert.equal(sub.status, 201, sub.text);
  return ep.json.id as string;
}

async function publish(h: TestHerald, action: string): Promise<string> {
  const res = await h.api('POST', '/v1/events', { type: 'CLASS', action, entity_ids: ['c1'] });
  assert.equal(res.status, 202, res.text);
  return res.json.id as string;
}

async function deliveryOf(h: TestHerald, messageId: string, endpointId: string) {
  const m = await h.api('GET', `/v1/messages/${messageId}`);
  return (m.json?.deliveries ?? []).find((d: { endpoint_id: string }) => d.endpoint_id === endpointId);
}

/** The delivery of a message with its attempts as stored, once one attempt is recorded. */
async function recorded(h: TestHerald, messageId: string, endpointId: string, timeoutMs = 10_000) {
  return until(
    async () => {
      const d = await deliveryOf(h, messageId, endpointId);
      if (!d || d.attempt_count < 1) return null;
      return (await h.api('GET', `/v1/deliveries/${d.id}`)).json;
    },
    timeoutMs,
    `an attempt of message ${messageId} recorded`,
  );
}

const short = (s: string | null, n = 48) => (s === null ? '-' : JSON.stringify(s.length > n ? `${s.slice(0, n)}...` : s));

for (const dialect of DIALECTS) {
  describe(`hostile receivers (${dialect})`, { skip: skipFor(dialect) }, () => {
    it('every answer is recorded as what it was, and a plain endpoint beside it is delivered and recorded meanwhile', async (t) => {
      // A short total request time keeps the never-ending answers short; one attempt each (the retry waits an hour).
      const h = await startTestHerald(dialect, { HERALD_REQUEST_TIMEOUT: '3s', HERALD_RETRY_SCHEDULE: '1h' });
      const plain = await startReceiver();
      try {
        const plainId = await endpoint(h, 'plain neighbour', plain.url, ['CLASS/UPDATED']);
        for (const c of CASES) {
          const raw = await rawReceiver(c.behave);
          try {
            const hostile = await endpoint(h, c.name, raw.url, ['CLASS/CREATED']);
            const hostileMessage = await publish(h, 'CREATED');
            await until(async () => raw.requests() >= 1, 10_000, `${c.name}: the request reaching the receiver`);

            const publishedAt = performance.now();
            const before = plain.received.length;
            const neighbour = await recorded(h, await publish(h, 'UPDATED'), plainId);
            const latencyMs = Math.round(performance.now() - publishedAt);
            assert.equal(plain.received.length, before + 1, `${c.name}: the neighbour received its delivery`);
            assert.equal(neighbour.status, 'succeeded', `${c.name}: neighbour ${JSON.stringify(neighbour)}`);
            assert.equal(neighbour.attempts[0].status_code, 200);
            if (c.slow) {
              const still = await deliveryOf(h, hostileMessage, hostile);
              assert.equal(still.attempt_count, 0, `${c.name}: the neighbour was recorded while the hostile answer was still being read`);
            }

            const d = await recorded(h, hostileMessage, hostile);
            assert.equal(d.attempts.length, 1, `${c.name}: one attempt`);
            const { status_code, error, error_class, response_body } = d.attempts[0] as Attempt;
            c.check({ status_code, error, error_class, response_body });
            assert.equal(d.status, status_code === 200 ? 'succeeded' : 'retrying', `${c.name}: delivery ${d.status}`);
            if (status_code !== 200) assert.equal(d.last_error, error, `${c.name}: last_error is the attempt's error`);

            // behaviour -> status / error_class / excerpt or error -> neighbour latency, for the record.
            const row = `${c.name} -> ${status_code ?? '-'} / ${error_class ?? '-'} / ${short(error_class ? error : response_body)} -> neighbour ${latencyMs} ms`;
            t.diagnostic(`${dialect}: ${row}`);
            assert.equal((await h.api('POST', `/v1/endpoints/${hostile}/disable`, {})).status, 200);
          } finally {
            await raw.close();
          }
        }
      } finally {
        await plain.close();
        await h.stop();
      }
    });
  });
}
