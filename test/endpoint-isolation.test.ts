import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { startTestHerald, until, type TestHerald } from './helpers/herald.js';
import { startReceiver } from './helpers/receiver.js';

async function endpoint(h: TestHerald, name: string, url: string, extra: Record<string, unknown> = {}) {
  const ep = await h.api('POST', '/v1/endpoints', { name, url, format: 'strigo', ...extra });
  assert.equal(ep.status, 201, ep.text);
  await h.api('POST', '/v1/subscriptions', { endpoint_id: ep.json.id, events: ['CLASS/*'] });
  return ep.json.id as string;
}

async function publish(h: TestHerald, n: number) {
  const res = await h.api('POST', '/v1/events', { events: Array.from({ length: n }, (_, i) => ({ type: 'CLASS', action: 'CREATED', entity_ids: [`c${i}`] })) });
  assert.equal(res.status, 202, res.text);
}

describe('one slow or limited endpoint never delays the others', () => {
  it('max_in_flight: a slow endpoint holds at most 2 requests open, and a fast one is served meanwhile', async () => {
    const h = await startTestHerald('sqlite');
    let open = 0;
    let maxOpen = 0;
    let answered = 0;
    const slow = await startReceiver(async () => {
      open++;
      maxOpen = Math.max(maxOpen, open);
      await new Promise((r) => setTimeout(r, 2000));
      open--;
      answered++;
      return { status: 200 };
    });
    const fast = await startReceiver();
    try {
      await endpoint(h, 'slow', slow.url, { max_in_flight: 2 });
      await endpoint(h, 'fast', fast.url);
      await publish(h, 6);
      await fast.waitFor(6, 10_000);
      assert.equal(answered, 0, 'every fast delivery arrived while the slow endpoint was still busy with its first two');
      assert.ok(slow.received.length <= 2, `slow endpoint had ${slow.received.length} requests, cap is 2`);
      await slow.waitFor(6, 20_000);
      assert.equal(maxOpen, 2, 'the slow endpoint never had more than 2 requests open, and did use both slots');
    } finally {
      await slow.close();
      await fast.close();
      await h.stop();
    }
  });

  it('rate_limit: at most that many deliveries per second after a one-second burst; an unlimited neighbour is not held back', async () => {
    const h = await startTestHerald('sqlite');
    const limited = await startReceiver();
    const free = await startReceiver();
    try {
      const id = await endpoint(h, 'limited', limited.url, { rate_limit: 5 });
      await endpoint(h, 'free', free.url);
      await publish(h, 15);
      await free.waitFor(15, 10_000);
      assert.ok(limited.received.length < 15, 'the unlimited endpoint finished before the limited one');
      await limited.waitFor(15, 15_000);
      const at = limited.received.map((r) => r.at).sort((a, b) => a - b);
      // A bucket of 5 tokens refilled at 5/s: 15 deliveries need at least (15 - 5) / 5 = 2 s.
      const spread = at[at.length - 1]! - at[0]!;
      assert.ok(spread >= 1800, `15 deliveries at 5/s spread over only ${spread} ms`);
      for (let i = 0; i < at.length; i++) {
        const inWindow = at.filter((t) => t >= at[i]! && t < at[i]! + 1000).length;
        assert.ok(inWindow <= 11, `${inWindow} deliveries within one second`);
      }
      const succeeded = await until(async () => {
        const list = await h.api('GET', `/v1/deliveries?endpoint_id=${id}&status=succeeded`);
        return list.json.data.length === 15 ? list.json.data : null;
      });
      for (const d of succeeded) assert.equal(d.attempts.length, 1, 'the limit delays, it does not fail attempts');
    } finally {
      await limited.close();
      await free.close();
      await h.stop();
    }
  });
});
