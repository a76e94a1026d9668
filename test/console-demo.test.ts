import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startCustomerBackend } from '../scripts/demo/customer-backend.js';
import { startLabPlatform } from '../scripts/demo/lab-platform.js';
import { wireUp } from '../scripts/demo/wire-up.js';
import { startTestHerald, until } from './helpers/herald.js';

test('demo: the simulated platform and backend complete the round trip until a lab is READY', async () => {
  const h = await startTestHerald('sqlite', { HERALD_RETRY_SCHEDULE: '100ms,100ms' });
  const backend = await startCustomerBackend({ readyAfterMs: 200, refuseEvery: 2 });
  try {
    assert.ok(h.herald.app!.hasRoute({ method: 'POST', url: '/v1/incoming' }), 'POST /v1/incoming is served');
    await wireUp(h.url, h.herald.adminToken, backend);
    // Wiring up twice replaces the endpoint instead of piling up copies.
    const { endpointId } = await wireUp(h.url, h.herald.adminToken, backend);
    const endpoints = (await h.api('GET', '/v1/endpoints')).json.data;
    assert.deepEqual(endpoints.map((e: { id: string }) => e.id), [endpointId]);

    const platform = startLabPlatform({ heraldUrl: h.url, token: h.herald.adminToken, everyMs: 300 });
    try {
      await until(async () => backend.labsBuilt() >= 2, 15_000, 'two labs READY');
    } finally {
      platform.stop();
    }
    const entity = platform.enrollments()[0]!;
    const state = await until(async () => {
      const res = await h.api('GET', `/v1/entities/${entity}`);
      return res.status === 200 && res.json.resources?.every((r: { status: string }) => r.status === 'READY') ? res.json : null;
    }, 5000, 'the first lab READY in Herald');
    assert.equal(state.resources.length, 2);
    assert.deepEqual(state.interfaces.map((i: { type: string }) => i.type).sort(), ['TERMINAL', 'WEB_INTERFACE']);
    // The refused first tries were retried: the log has a success with more than one attempt.
    const deliveries = (await h.api('GET', '/v1/deliveries?status=succeeded')).json.data;
    assert.ok(deliveries.some((d: { attempt_count: number }) => d.attempt_count > 1), 'a delivery needed a retry');
  } finally {
    await backend.close();
    await h.stop();
  }
});
