import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { decide } from '../../src/delivery/outcome.js';

const SCHEDULE = [5_000, 300_000, 1_800_000];
const NOW = 1_700_000_000_000;
const noJitter = () => 0.5;

describe('decide: what an attempt makes of its delivery', () => {
  it('a refusal by the SSRF guard fails the delivery at its first attempt, with the reason kept', () => {
    const error = 'destination not allowed: 127.0.0.1 is a loopback address (resolved from localhost); set HERALD_ALLOW_PRIVATE_NETWORKS to true or to CIDRs such as 127.0.0.0/8 to allow it';
    const d = decide({ ok: false, errorClass: 'destination', error }, 1, SCHEDULE, NOW, noJitter);
    assert.deepEqual(d, { status: 'failed', nextAttemptAt: null, lastError: error, disableReason: null });
  });

  it('other failures before an answer still follow the schedule', () => {
    for (const errorClass of ['connect', 'dns', 'timeout', 'network', undefined]) {
      const d = decide({ ok: false, error: 'ECONNREFUSED: connect ECONNREFUSED 10.1.2.3:80', ...(errorClass ? { errorClass } : {}) }, 1, SCHEDULE, NOW, noJitter);
      assert.equal(d.status, 'pending', `${errorClass}: retried`);
      assert.ok(d.nextAttemptAt !== null && d.nextAttemptAt > NOW);
    }
  });

  it('a failure after the last scheduled wait fails the delivery', () => {
    const d = decide({ ok: false, errorClass: 'connect', error: 'ECONNREFUSED' }, SCHEDULE.length + 1, SCHEDULE, NOW, noJitter);
    assert.equal(d.status, 'failed');
  });

  it('a 500 answer is retried, a 2xx succeeds', () => {
    const answer = (statusCode: number) => ({ ok: true as const, statusCode, body: 'x', retryAfter: undefined, durationMs: 3 });
    assert.equal(decide(answer(500), 1, SCHEDULE, NOW, noJitter).status, 'pending');
    assert.equal(decide(answer(204), 1, SCHEDULE, NOW, noJitter).status, 'succeeded');
  });
});
