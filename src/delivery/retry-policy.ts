/**
 * When to try a delivery again. Pure: time and randomness come in as arguments.
 * A schedule of N waits allows N + 1 attempts; the wait after attempt k is `schedule[k - 1]`, +-20%.
 */
import { parseDurationMs } from '../util/duration.js';

const SCHEDULE_VARIABLE = 'HERALD_RETRY_SCHEDULE';
const JITTER = 0.2;
/** A receiver's Retry-After is honoured, but never lets one answer park a delivery for longer than this. */
export const MAX_RETRY_AFTER_MS = 3_600_000;

export function parseRetrySchedule(text: string): number[] {
  // An empty value is refused rather than read as "never retry": it is far more often an unset variable.
  if (text.trim() === '') {
    throw new Error(`${SCHEDULE_VARIABLE}: empty; expected comma-separated waits such as 5s,5m,30m,2h`);
  }
  return text.split(',').map((entry) => {
    const ms = parseDurationMs(entry);
    if (ms === null) {
      throw new Error(`${SCHEDULE_VARIABLE}: "${entry.trim()}" is not a duration (use a number with ms, s, m, h or d)`);
    }
    return ms;
  });
}

/**
 * The wait before the next attempt, or null when the schedule is exhausted.
 * `attemptsMade` counts attempts already made, including the one that just failed (so it starts at 1).
 * Jitter spreads retries of a burst that failed together, so a recovering receiver is not hit all at once.
 */
export function retryDelayMs(schedule: readonly number[], attemptsMade: number, random: () => number): number | null {
  if (!Number.isInteger(attemptsMade) || attemptsMade < 1) {
    throw new RangeError(`attemptsMade must be an integer >= 1, got ${attemptsMade}`);
  }
  const base = schedule[attemptsMade - 1];
  if (base === undefined) return null;
  const factor = 1 + (random() * 2 - 1) * JITTER;
  return Math.round(base * factor);
}

// The three HTTP-date forms a recipient must accept (RFC 9110 section 5.6.7).
const IMF_FIXDATE = /^[a-z]{3}, \d{2} [a-z]{3} \d{4} \d{2}:\d{2}:\d{2} GMT$/i;
const RFC850_DATE = /^[a-z]{6,9}, \d{2}-[a-z]{3}-\d{2} \d{2}:\d{2}:\d{2} GMT$/i;
const ASCTIME_DATE = /^[a-z]{3} [a-z]{3} [ \d]\d \d{2}:\d{2}:\d{2} \d{4}$/i;

/**
 * A Retry-After header as a wait in milliseconds from `nowMs`, clamped to [0, 1 h]; null when absent or malformed,
 * in which case the schedule decides.
 */
export function parseRetryAfterMs(header: string | undefined, nowMs: number): number | null {
  const text = header?.trim();
  if (!text) return null;
  let waitMs: number;
  if (/^\d+$/.test(text)) {
    waitMs = Number(text) * 1000;
  } else if (IMF_FIXDATE.test(text) || RFC850_DATE.test(text)) {
    waitMs = Date.parse(text) - nowMs;
  } else if (ASCTIME_DATE.test(text)) {
    // asctime carries no zone but means GMT; without the suffix Date.parse would read it as local time.
    waitMs = Date.parse(`${text} GMT`) - nowMs;
  } else {
    return null;
  }
  if (Number.isNaN(waitMs)) return null;
  return Math.min(Math.max(waitMs, 0), MAX_RETRY_AFTER_MS);
}

export type ResponseClass = 'success' | 'gone' | 'throttled' | 'retry';

/**
 * What a receiver's status code asks of Herald. Redirects are not followed (a redirect to a literal IP would never
 * pass through the guarded lookup), so a 3xx is a failed attempt like any other.
 */
export function classifyResponse(status: number): ResponseClass {
  if (status >= 200 && status <= 299) return 'success';
  if (status === 410) return 'gone';
  if (status === 429 || status === 503) return 'throttled';
  return 'retry';
}
