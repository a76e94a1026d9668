import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, it } from 'node:test';
import { startTestHerald, until, type TestHerald } from './helpers/herald.js';
import { startReceiver } from './helpers/receiver.js';

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
}

async function close(server: Server): Promise<void> {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

async function endpointWithSubscription(h: TestHerald, url: string, extra: Record<string, unknown> = {}) {
  const ep = await h.api('POST', '/v1/endpoints', { name: 'receiver', url, format: 'strigo', ...extra });
  assert.equal(ep.status, 201, ep.text);
  await h.api('POST', '/v1/subscriptions', { endpoint_id: ep.json.id, events: ['CLASS/*'] });
  return ep.json.id as string;
}

async function firstDelivery(h: TestHerald, endpointId: string, done: (d: any) => boolean, timeoutMs = 15_000) {
  return until(
    async () => {
      const list = await h.api('GET', `/v1/deliveries?endpoint_id=${endpointId}`);
      const d = list.json.data[0];
      if (!d) return null;
      const full = await h.api('GET', `/v1/deliveries/${d.id}`);
      return done(full.json) ? full.json : null;
    },
    timeoutMs,
    'delivery state',
  );
}

describe('receiver-friendly retries', () => {
  it('429 with Retry-After: 2 -> the next attempt arrives at least 2 s later, although the schedule says 200 ms', async () => {
    const h = await startTestHerald('sqlite');
    const r = await startReceiver((_req, i) => (i === 0 ? { status: 429, headers: { 'retry-after': '2' } } : { status: 200 }));
    try {
      const id = await endpointWithSubscription(h, r.url);
      await h.api('POST', '/v1/events', { type: 'CLASS', action: 'CREATED' });
      await r.waitFor(2, 10_000);
      const gap = r.received[1]!.at - r.received[0]!.at;
      // Arrival times are taken at the receiver; 50 ms allows for the two clocks' reading granularity only.
      assert.ok(gap >= 1950, `second attempt came ${gap} ms after the first`);
      const d = await firstDelivery(h, id, (x) => x.status === 'succeeded');
      assert.deepEqual(
        d.attempts.map((a: any) => a.status_code),
        [429, 200],
      );
    } finally {
      await r.close();
      await h.stop();
    }
  });

  it('503 with an HTTP-date Retry-After is honoured too', async () => {
    const h = await startTestHerald('sqlite');
    const r = await startReceiver((_req, i) =>
      i === 0 ? { status: 503, headers: { 'retry-after': new Date(Date.now() + 2000).toUTCString() } } : { status: 200 },
    );
    try {
      await endpointWithSubscription(h, r.url);
      await h.api('POST', '/v1/events', { type: 'CLASS', action: 'CREATED' });
      await r.waitFor(2, 10_000);
      // An HTTP date has whole-second precision, so the wait may be up to a second shorter than 2 s.
      const gap = r.received[1]!.at - r.received[0]!.at;
      assert.ok(gap >= 900, `second attempt came ${gap} ms after the first`);
    } finally {
      await r.close();
      await h.stop();
    }
  });

  it('410 Gone disables the endpoint after exactly one attempt', async () => {
    const h = await startTestHerald('sqlite');
    const r = await startReceiver(() => ({ status: 410, body: 'gone for good' }));
    try {
      const id = await endpointWithSubscription(h, r.url);
      await h.api('POST', '/v1/events', { type: 'CLASS', action: 'CREATED' });
      const d = await firstDelivery(h, id, (x) => x.status === 'failed');
      assert.equal(d.attempts.length, 1);
      assert.equal(d.attempts[0].status_code, 410);
      const ep = await h.api('GET', `/v1/endpoints/${id}`);
      assert.equal(ep.json.enabled, false);
      assert.match(ep.json.disabled_reason, /410/);
      // Later events are not sent to it, and the first one is not retried.
      const later = await h.api('POST', '/v1/events', { type: 'CLASS', action: 'CREATED' });
      assert.equal(later.json.deliveries, 0);
      await new Promise((res) => setTimeout(res, 800));
      assert.equal(r.received.length, 1, 'exactly one request reached the receiver');
    } finally {
      await r.close();
      await h.stop();
    }
  });

  it('a receiver that never answers: the attempt ends at HERALD_REQUEST_TIMEOUT with class timeout', async () => {
    const h = await startTestHerald('sqlite', { HERALD_REQUEST_TIMEOUT: '1s', HERALD_RETRY_SCHEDULE: '10s' });
    let closedByHerald = 0;
    const silent = createServer((req) => {
      req.resume();
      req.socket.on('close', () => closedByHerald++);
    });
    const url = await listen(silent);
    try {
      const id = await endpointWithSubscription(h, url);
      await h.api('POST', '/v1/events', { type: 'CLASS', action: 'CREATED' });
      const d = await firstDelivery(h, id, (x) => x.attempts.length >= 1);
      const a = d.attempts[0];
      assert.equal(a.error_class, 'timeout');
      assert.equal(a.status_code, null);
      assert.ok(a.duration_ms >= 950, `attempt lasted ${a.duration_ms} ms`);
      assert.ok(a.duration_ms < 10_000, 'the attempt ended at the timeout, not at some later default');
      assert.equal(d.status, 'retrying', 'a timeout is retried');
      await until(async () => closedByHerald >= 1, 5000, 'the connection to be closed');
    } finally {
      await close(silent);
      await h.stop();
    }
  });

  it('a receiver that answers at once but drips its body: the attempt still ends at HERALD_REQUEST_TIMEOUT', async () => {
    const h = await startTestHerald('sqlite', { HERALD_REQUEST_TIMEOUT: '1s', HERALD_RETRY_SCHEDULE: '10s' });
    const timers = new Set<NodeJS.Timeout>();
    const dripping = createServer((req, res) => {
      req.resume();
      res.writeHead(200, { 'content-type': 'text/plain', 'content-length': '1000' });
      // One byte every 100 ms: never idle long enough for a per-chunk timeout, done only after 100 s.
      const timer = setInterval(() => res.write('x'), 100);
      timers.add(timer);
      res.on('close', () => clearInterval(timer));
    });
    const url = await listen(dripping);
    try {
      const id = await endpointWithSubscription(h, url);
      await h.api('POST', '/v1/events', { type: 'CLASS', action: 'CREATED' });
      const d = await firstDelivery(h, id, (x) => x.attempts.length >= 1);
      const a = d.attempts[0];
      assert.equal(a.error_class, 'timeout');
      assert.ok(a.duration_ms >= 950, `attempt lasted ${a.duration_ms} ms`);
      assert.ok(a.duration_ms < 3000, `attempt lasted ${a.duration_ms} ms: the body was read past the total limit`);
      assert.equal(d.status, 'retrying', 'a timeout is retried');
    } finally {
      for (const t of timers) clearInterval(t);
      await close(dripping);
      await h.stop();
    }
  });

  it('a receiver streaming 10 MiB is read only up to 64 KiB, and 4 KiB of it is kept', async () => {
    const h = await startTestHerald('sqlite');
    const chunk = Buffer.alloc(64 * 1024, 'x');
    const total = 10 * 1024 * 1024;
    let written = 0;
    let finished = false;
    const streamer = createServer((req, res) => {
      req.resume();
      req.on('end', async () => {
        res.writeHead(200, { 'content-type': 'text/plain' });
        // Paced, so kernel buffers cannot soak up the answer: how far it got shows how much Herald read.
        while (written < total && !res.destroyed) {
          res.write(chunk);
          written += chunk.length;
          await new Promise((resolve) => setTimeout(resolve, 5));
        }
        if (!res.destroyed) {
          finished = true;
          res.end();
        }
      });
    });
    const url = await listen(streamer);
    try {
      const id = await endpointWithSubscription(h, url);
      await h.api('POST', '/v1/events', { type: 'CLASS', action: 'CREATED' });
      const d = await firstDelivery(h, id, (x) => x.status === 'succeeded');
      const full = await h.api('GET', `/v1/deliveries/${d.id}`);
      assert.equal(full.json.attempts[0].status_code, 200);
      assert.ok(full.json.attempts[0].response_body.length <= 4096);
      await until(async () => written > 0 && !finished, 2000);
      await new Promise((resolve) => setTimeout(resolve, 300));
      assert.equal(finished, false, 'the receiver never got to send all 10 MiB');
      assert.ok(written < 2 * 1024 * 1024, `the receiver wrote ${written} bytes before Herald hung up`);
    } finally {
      await close(streamer);
      await h.stop();
    }
  });
});
