import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Herald, HeraldError } from '../sdk/src/index.js';
import { DIALECTS, skipFor } from './helpers/databases.js';
import { startTestHerald, TEST_TOKEN, until } from './helpers/herald.js';
import { startReceiver } from './helpers/receiver.js';

async function refusal(p: Promise<unknown>): Promise<HeraldError> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof HeraldError, `expected a HeraldError, got ${String(e)}`);
    return e;
  }
  assert.fail('expected the call to be refused');
}

for (const dialect of DIALECTS) {
  describe(`SDK client against a live Herald (${dialect})`, { skip: skipFor(dialect) }, () => {
    test('endpoints, subscriptions, publish, the delivery log page by page, retry, and errors as HeraldError', async () => {
      const h = await startTestHerald(dialect);
      // Down until the test mends it, so a retry by hand is seen to land.
      let healthy = false;
      const failing = await startReceiver(() => (healthy ? { status: 200 } : { status: 500, body: 'down' }));
      const ok = await startReceiver();
      try {
        const herald = new Herald({ url: h.url, token: TEST_TOKEN, pageSize: 2 });

        const good = await herald.endpoints.create({ name: 'good', url: ok.url, format: 'standard' });
        assert.match(String(good.id), /^ep_/);
        assert.equal(typeof good.secret, 'string');
        const bad = await herald.endpoints.create({ name: 'bad', url: failing.url, format: 'standard' });
        assert.equal((await herald.endpoints.get(String(bad.id))).name, 'bad');
        const renamed = await herald.endpoints.update(String(bad.id), { name: 'flaky' });
        assert.equal(renamed.name, 'flaky');
        const listed = await herald.endpoints.list().toArray();
        assert.deepEqual(listed.map((e) => e.name).sort(), ['flaky', 'good']);

        const subGood = await herald.subscriptions.create({ endpoint_id: String(good.id), events: ['ONDEMAND_ENROLLMENT/*'] });
        const subBad = await herald.subscriptions.create({ endpoint_id: String(bad.id), events: ['ONDEMAND_ENROLLMENT/STARTED'] });
        assert.equal((await herald.subscriptions.get(String(subBad.id))).endpoint_id, bad.id);
        const updated = await herald.subscriptions.update(String(subGood.id), { events: ['ONDEMAND_ENROLLMENT/*', 'CLASS/*'] });
        assert.deepEqual(updated.events, ['ONDEMAND_ENROLLMENT/*', 'CLASS/*']);
        assert.equal((await herald.subscriptions.list({ endpoint_id: String(good.id) }).toArray()).length, 1);

        const one = await herald.events.publish({ type: 'ONDEMAND_ENROLLMENT', action: 'STARTED', entity_ids: ['enr_1'], data: { n: 1 } });
        assert.match(String(one.id), /^msg_/);
        assert.equal(one.deliveries, 2);
        const many = await herald.events.publishMany([
          { type: 'ONDEMAND_ENROLLMENT', action: 'STARTED', entity_ids: ['enr_2'], data: { n: 2 } },
          { type: 'ONDEMAND_ENROLLMENT', action: 'FINISHED', entity_ids: ['enr_1'], data: { n: 3 } },
        ]);
        assert.equal((many.data as unknown[]).length, 2);
        assert.equal((await herald.messages.get(String(one.id))).id, one.id);

        await ok.waitFor(3);
        // Five deliveries in all, read two to a page: the iterator follows next_cursor to the end, each once.
        const pages: number[] = [];
        for await (const page of herald.deliveries.list().pages()) pages.push(page.data.length);
        assert.deepEqual(pages, [2, 2, 1]);
        const all = await herald.deliveries.list().toArray();
        assert.equal(new Set(all.map((d) => d.id)).size, 5);

        // The flaky endpoint's two deliveries run out of retries (four attempts each on this schedule).
        const failed = await until(async () => {
          const rows = await herald.deliveries.list({ status: 'failed' }).toArray();
          return rows.length === 2 ? rows : null;
        }, 20_000, 'two failed deliveries');
        assert.ok(failed.every((d) => d.endpoint_id === bad.id && d.status === 'failed'));

        const target = String(failed[0]!.id);
        healthy = true;
        const before = failing.received.length;
        await herald.deliveries.retry(target);
        await failing.waitFor(before + 1);
        const retried = await until(async () => {
          const d = await herald.deliveries.get(target);
          return d.status === 'succeeded' ? d : null;
        }, 10_000, 'the retried delivery to succeed');
        assert.ok(Array.isArray(retried.attempts) && retried.attempts.length >= 5, JSON.stringify(retried.attempts));

        // Refusals carry Herald's code, status and every problem with its path and allowed values.
        const unknownAction = await refusal(herald.events.publish({ type: 'ONDEMAND_ENROLLMENT', action: 'EXPLODED' }));
        assert.equal(unknownAction.code, 'invalid');
        assert.equal(unknownAction.status, 422);
        assert.equal(unknownAction.details[0]?.path, '/action');
        assert.ok(unknownAction.details[0]?.allowed?.includes('STARTED'), JSON.stringify(unknownAction.details));
        const badFilter = await refusal(herald.deliveries.list({ status: 'lost' as never }).toArray());
        assert.equal(badFilter.status, 422);
        assert.ok(badFilter.details.some((d) => d.path === '/querystring/status'), JSON.stringify(badFilter.details));
        const missing = await refusal(herald.endpoints.get('ep_missing'));
        assert.deepEqual([missing.code, missing.status], ['not_found', 404]);
        const stranger = await refusal(new Herald({ url: h.url, token: 'not-the-admin-token-at-all' }).endpoints.list().toArray());
        assert.deepEqual([stranger.code, stranger.status], ['unauthorized', 401]);

        await herald.subscriptions.delete(String(subBad.id));
        assert.equal((await refusal(herald.subscriptions.get(String(subBad.id)))).status, 404);
        await herald.endpoints.delete(String(bad.id));
        assert.equal((await refusal(herald.endpoints.get(String(bad.id)))).code, 'not_found');
      } finally {
        await failing.close();
        await ok.close();
        await h.stop();
      }
    });
  });
}

test('an unreachable Herald is a HeraldError with code unreachable and no status', async () => {
  const receiver = await startReceiver();
  const url = `http://127.0.0.1:${receiver.port}`;
  await receiver.close();
  const error = await refusal(new Herald({ url, token: TEST_TOKEN }).endpoints.get('ep_x'));
  assert.deepEqual([error.code, error.status], ['unreachable', 0]);
  assert.match(error.message, /could not reach Herald/);
});

test('a non-Herald error answer (a proxy page) still becomes a HeraldError with the HTTP status', async () => {
  const proxy = await startReceiver(() => ({ status: 502, body: '<html>bad gateway</html>', headers: { 'content-type': 'text/html' } }));
  try {
    const error = await refusal(new Herald({ url: `http://127.0.0.1:${proxy.port}`, token: TEST_TOKEN }).events.publish({ type: 'CLASS', action: 'CREATED' }));
    assert.deepEqual([error.code, error.status], ['http_502', 502]);
    assert.match(error.message, /bad gateway/);
  } finally {
    await proxy.close();
  }
});
