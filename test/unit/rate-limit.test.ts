import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { makeRateLimiter } from '../../src/delivery/rate-limit.js';

describe('rate limiter (token bucket per endpoint)', () => {
  it('allows a burst of `rate`, then one per 1/rate seconds', () => {
    let now = 0;
    const l = makeRateLimiter(() => now);
    for (let i = 0; i < 4; i++) assert.equal(l.take('ep', 4), true);
    assert.equal(l.take('ep', 4), false);
    assert.equal(l.waitMs('ep', 4), 250);
    now += 249;
    assert.equal(l.take('ep', 4), false);
    now += 1;
    assert.equal(l.take('ep', 4), true);
  });

  it('never limits an endpoint without a rate, and keeps endpoints apart', () => {
    const l = makeRateLimiter(() => 0);
    for (let i = 0; i < 1000; i++) assert.equal(l.take('free', null), true);
    assert.equal(l.take('a', 1), true);
    assert.equal(l.take('a', 1), false);
    assert.equal(l.take('b', 1), true);
  });

  it('starts afresh when the limit changes', () => {
    const l = makeRateLimiter(() => 0);
    assert.equal(l.take('ep', 1), true);
    assert.equal(l.take('ep', 1), false);
    assert.equal(l.take('ep', 3), true);
  });
});
