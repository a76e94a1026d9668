import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DIALECTS, skipFor } from './helpers/databases.js';
import { startTestHerald, until } from './helpers/herald.js';
import { startReceiver } from './helpers/receiver.js';

for (const dialect of DIALECTS) {
  describe(`auto-disable (${dialect})`, { skip: skipFor(dialect) }, () => {
    it('disables an endpoint failing for HERALD_DISABLE_AFTER, tells operators once, and recovers after enable + recover', async () => {
      const h = await startTestHerald(dialect, { HERALD_DISABLE_AFTER: '1s', HERALD_RETRY_SCHEDULE: '100ms' });
      let healthy = false;
      const flaky = await startReceiver(() => (healthy ? { status: 200 } : { status: 500, body: 'broken' }));
      const ops = await startReceiver();
      const fine = await startReceiver();
      try {
        const ep = await h.api('POST', '/v1/endpoints', { name: 'flaky backend', url: flaky.url, format: 'strigo' });
        const good = await h.api('POST', '/v1/endpoints', { name: 'fine backend', url: fine.url, format: 'strigo' });
        const opsEp = await h.api('POST', '/v1/endpoints', { name: 'operators', url: ops.url, format: 'standard' });
        await h.api('POST', '/v1/subscriptions', { endpoint_id: ep.json.id, events: ['CLASS/*'] });
        await h.api('POST', '/v1/subscriptions', { endpoint_id: good.json.id, events: ['CLASS/*'] });
        const sub = await h.api('POST', '/v1/subscriptions', { endpoint_id: opsEp.json.id, events: ['ENDPOINT/DISABLED'] });
        assert.equal(sub.status, 201, `operators can subscribe to ENDPOINT/DISABLED: ${sub.text}`);
        const types = await h.api('GET', '/v1/event-types');
        const builtin = types.json.data.find((t: any) => t.type === 'ENDPOINT');
        assert.deepEqual({ catalog: builtin.catalog, actions: builtin.actions }, { catalog: 'herald', actions: ['DISABLED', 'ENABLED', 'FAILING', 'RECOVERED'] });

        const since = new Date(Date.now() - 1000).toISOString();
        for (const n of [1, 2]) await h.api('POST', '/v1/events', { type: 'CLASS', action: 'CREATED', entity_ids: [`c${n}`] });

        const disabled = await until(
          async () => {
            const shown = await h.api('GET', `/v1/endpoints/${ep.json.id}`);
            return shown.json.enabled === false ? shown.json : null;
          },
          10_000,
          'the failing endpoint to be disabled',
        );
        assert.match(disabled.disabled_reason, /failed for longer than 1s/);
        const failedAt = Date.parse(disabled.updated_at);
        assert.ok(failedAt - flaky.received[0]!.at >= 1000, 'not disabled before HERALD_DISABLE_AFTER had passed');

        await ops.waitFor(1);
        const event = JSON.parse(ops.received[0]!.body);
        assert.equal(event.type, 'ENDPOINT.DISABLED');
        assert.deepEqual(event.data, {
          entity_ids: [ep.json.id],
          endpoint_id: ep.json.id,
          name: 'flaky backend',
          url: flaky.url,
          reason: disabled.disabled_reason,
        });

        const stillGood = await h.api('GET', `/v1/endpoints/${good.json.id}`);
        assert.equal(stillGood.json.enabled, true, 'a healthy endpoint is left alone');
        await new Promise((r) => setTimeout(r, 700));
        assert.equal(ops.received.length, 1, 'operators are told once');
        // Usually both deliveries ran out of retries before the sweep; on a loaded machine one may still be
        // retrying (or not yet tried), and a disabled endpoint's pending work simply waits for it to be enabled again.
        const count = async (status: string) => (await h.api('GET', `/v1/deliveries?endpoint_id=${ep.json.id}&status=${status}`)).json.data.length;
        const failed = await count('failed');
        assert.equal(failed + (await count('retrying')) + (await count('pending')), 2);
        assert.ok(failed >= 1, 'the failures that led to the disable are in the failed view');

        healthy = true;
        const received = flaky.received.length;
        const enabled = await h.api('POST', `/v1/endpoints/${ep.json.id}/enable`);
        assert.equal(enabled.json.enabled, true);
        assert.equal(enabled.json.disabled_reason, null);
        assert.equal(enabled.json.failing_since, null);
        const recovered = await h.api('POST', `/v1/endpoints/${ep.json.id}/recover`, { since });
        assert.equal(recovered.status, 200, recovered.text);
        assert.equal(recovered.json.requeued, failed);
        await flaky.waitFor(received + 2);
        await until(async () => {
          const ok = await h.api('GET', `/v1/deliveries?endpoint_id=${ep.json.id}&status=succeeded`);
          return ok.json.data.length === 2;
        });
        const after = await h.api('GET', `/v1/endpoints/${ep.json.id}`);
        assert.equal(after.json.enabled, true);
        assert.equal(after.json.failing_since, null);
      } finally {
        await flaky.close();
        await ops.close();
        await fine.close();
        await h.stop();
      }
    });
  });
}
