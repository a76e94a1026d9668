import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import {
  classifyResponse,
  MAX_RETRY_AFTER_MS,
  parseRetryAfterMs,
  parseRetrySchedule,
  retryDelayMs,
} from '../../src/delivery/retry-policy.js';

const S = 1000;
const M = 60 * S;
const H = 60 * M;

describe('parseRetrySchedule', () => {
  it('reads the default schedule', () => {
    const expected = [5 * S, 5 * M, 30 * M, 2 * H, 5 * H, 10 * H, 10 * H];
    assert.deepEqual(parseRetrySchedule('5s,5m,30m,2h,5h,10h,10h'), expected);
  });

  it('reads milliseconds and tolerates spaces', () => {
    assert.deepEqual(parseRetrySchedule('300ms, 300ms ,1d'), [300, 300, 24 * H]);
  });

  it('names the variable and the bad entry', () => {
    assert.throws(
      () => parseRetrySchedule('5s,5 minutes,1h'),
      /^Error: HERALD_RETRY_SCHEDULE: "5 minutes" is not a duration/,
    );
    assert.throws(() => parseRetrySchedule('5s,,1h'), /HERALD_RETRY_SCHEDULE: "" is not a duration/);
    assert.throws(() => parseRetrySchedule('-5s'), /"-5s"/);
    assert.throws(() => parseRetrySchedule('10'), /"10"/);
  });

  it('refuses an empty schedule', () => {
    assert.throws(() => parseRetrySchedule('  '), /^Error: HERALD_RETRY_SCHEDULE: empty/);
  });
});

describe('retryDelayMs', () => {
  const schedule = parseRetrySchedule('5s,5m,30m,2h,5h,10h,10h');
  const middle = () => 0.5;

  it('gives 7 waits, so 8 attempts, then null', () => {
    const waits = [1, 2, 3, 4, 5, 6, 7].map((attempts) => retryDelayMs(schedule, attempts, middle));
    assert.deepEqual(waits, schedule);
    assert.equal(retryDelayMs(schedule, 8, middle), null);
    assert.equal(retryDelayMs(schedule, 20, middle), null);
  });

  it('jitters within +-20%', () => {
    assert.equal(retryDelayMs(schedule, 1, () => 0), 4 * S);
    assert.equal(retryDelayMs(schedule, 1, () => 0.999999), 6 * S);
    for (let i = 0; i < 200; i += 1) {
      const wait = retryDelayMs(schedule, 2, Math.random)!;
      assert.ok(wait >= 0.8 * 5 * M && wait <= 1.2 * 5 * M, `${wait}`);
    }
  });

  it('gives no retry with an empty schedule', () => {
    assert.equal(retryDelayMs([], 1, middle), null);
  });

  it('refuses an attempt count below one', () => {
    assert.throws(() => retryDelayMs(schedule, 0, middle), RangeError);
    assert.throws(() => retryDelayMs(schedule, 1.5, middle), RangeError);
  });
});

describe('parseRetryAfterMs', () => {
  const now = Date.parse('2024-03-01T10:00:00Z');

  it('reads delta seconds', () => {
    assert.equal(parseRetryAfterMs('0', now), 0);
    assert.equal(parseRetryAfterMs('2', now), 2 * S);
    assert.equal(parseRetryAfterMs(' 120 ', now), 120 * S);
  });

  it('reads the three HTTP-date forms as GMT', () => {
    assert.equal(parseRetryAfterMs('Fri, 01 Mar 2024 10:00:30 GMT', now), 30 * S);
    assert.equal(parseRetryAfterMs('Friday, 01-Mar-24 10:01:00 GMT', now), M);
    assert.equal(parseRetryAfterMs('Fri Mar  1 10:02:00 2024', now), 2 * M);
  });

  it('clamps to [0, 1 h]', () => {
    assert.equal(parseRetryAfterMs('Fri, 01 Mar 2024 09:00:00 GMT', now), 0);
    assert.equal(parseRetryAfterMs('86400', now), MAX_RETRY_AFTER_MS);
    assert.equal(parseRetryAfterMs('99999999999999999999999', now), H);
    assert.equal(parseRetryAfterMs('Sat, 02 Mar 2024 10:00:00 GMT', now), H);
  });

  it('returns null when absent or malformed', () => {
    const malformed = ['', '  ', '-5', '1.5', '5s', 'soon', 'Fri, 32 Mar 2024 10:00:00 GMT', '2024-03-01T10:00:30Z'];
    for (const header of [undefined, ...malformed]) {
      assert.equal(parseRetryAfterMs(header, now), null, String(header));
    }
  });
});

describe('classifyResponse', () => {
  it('sorts status codes', () => {
    const cases: [number, string][] = [
      [200, 'success'],
      [201, 'success'],
      [204, 'success'],
      [299, 'success'],
      [410, 'gone'],
      [429, 'throttled'],
      [503, 'throttled'],
      [301, 'retry'],
      [302, 'retry'],
      [304, 'retry'],
      [400, 'retry'],
      [404, 'retry'],
      [500, 'retry'],
      [502, 'retry'],
      [504, 'retry'],
      [100, 'retry'],
    ];
    for (const [status, expected] of cases) assert.equal(classifyResponse(status), expected, String(status));
  });
});
