import { classifyResponse, parseRetryAfterMs, retryDelayMs } from './retry-policy.js';
import type { SendResult } from './sender.js';

/**
 * What happens to a delivery after one attempt. Pure: the schedule, clock and randomness are arguments.
 * - 2xx: succeeded.
 * - 410 Gone: failed at once, and the endpoint is disabled (the receiver said it is gone for good).
 * - 429/503 with Retry-After: the next attempt waits as the receiver asked (clamped to 1 h), if attempts remain.
 * - the SSRF guard refused the destination: failed at once. The refusal is policy (the address and the setting
 *   that would open it are in the error), so no attempt on the schedule could turn out differently.
 * - anything else: the next wait from the schedule, or failed when it is exhausted.
 */
export type Decision =
  | { status: 'succeeded'; nextAttemptAt: null; lastError: null; disableReason: null }
  | { status: 'pending'; nextAttemptAt: number; lastError: string; disableReason: null }
  | { status: 'failed'; nextAttemptAt: null; lastError: string; disableReason: string | null };

const ERROR_PREVIEW = 200;

/** What an attempt came to: an answer, or a failure before one (a send error, or one before sending). */
export type Tried = Omit<Extract<SendResult, { ok: true }>, 'headers'> | { ok: false; error: string; errorClass?: string };

export function describeFailure(result: Tried): string {
  if (!result.ok) return result.error;
  const preview = result.body.slice(0, ERROR_PREVIEW).replace(/\s+/g, ' ').trim();
  return preview ? `HTTP ${result.statusCode}: ${preview}` : `HTTP ${result.statusCode}`;
}

export function decide(result: Tried, attemptsMade: number, schedule: readonly number[], nowMs: number, random: () => number): Decision {
  if (result.ok) {
    const kind = classifyResponse(result.statusCode);
    if (kind === 'success') return { status: 'succeeded', nextAttemptAt: null, lastError: null, disableReason: null };
    const lastError = describeFailure(result);
    if (kind === 'gone') return { status: 'failed', nextAttemptAt: null, lastError, disableReason: 'receiver answered 410 Gone' };
    const wait = retryDelayMs(schedule, attemptsMade, random);
    if (wait === null) return { status: 'failed', nextAttemptAt: null, lastError, disableReason: null };
    const asked = kind === 'throttled' ? parseRetryAfterMs(result.retryAfter, nowMs) : null;
    return { status: 'pending', nextAttemptAt: nowMs + (asked ?? wait), lastError, disableReason: null };
  }
  const lastError = describeFailure(result);
  if (result.errorClass === 'destination') return { status: 'failed', nextAttemptAt: null, lastError, disableReason: null };
  const wait = retryDelayMs(schedule, attemptsMade, random);
  if (wait === null) return { status: 'failed', nextAttemptAt: null, lastError, disableReason: null };
  return { status: 'pending', nextAttemptAt: nowMs + wait, lastError, disableReason: null };
}
