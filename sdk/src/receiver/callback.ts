import { errorFromAnswer, HeraldError } from '../errors.js';
import type { IncomingAnswer, IncomingBody, Report, Resource, ResourceRef } from './incoming.js';

/** The endpoint's callback credentials, as `POST /v1/endpoints` answered them (`callback.user`, `callback.key`). */
export interface CallbackCredentials {
  user: string;
  key: string;
}

export interface CallbackOptions {
  /** Attempts in all, the first included (5 by default). */
  attempts?: number;
  /** The first wait between attempts; each later one doubles, up to `maxDelayMs` (200 ms and 5 s by default). */
  baseDelayMs?: number;
  maxDelayMs?: number;
  fetch?: typeof fetch;
}

/** The parts of a received message a callback needs: strigo messages carry both. */
export interface CallbackSource {
  message_id: string;
  callback: string;
}

export interface Callback {
  created(report: Report<Resource>): Promise<IncomingAnswer>;
  updated(report: Report<Resource>): Promise<IncomingAnswer>;
  deleted(report: Report<ResourceRef>): Promise<IncomingAnswer>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Retry-After in seconds, when the answer gives one. */
function retryAfterMs(response: Response): number | null {
  const value = response.headers.get('retry-after');
  if (value === null || !/^\d+$/.test(value.trim())) return null;
  return Number(value.trim()) * 1000;
}

/**
 * Reports back to Herald what the backend did for `message`, at the message's own `callback` URL. A 5xx answer
 * (503 while Herald's store is unavailable) or no answer at all is retried with doubling waits, bounded by
 * `attempts`; Herald applies the same report once however often it arrives. Any 4xx is a HeraldError at once.
 */
export function callbackFrom(message: CallbackSource, credentials: CallbackCredentials, options: CallbackOptions = {}): Callback {
  if (typeof message?.callback !== 'string' || !/^https?:\/\//.test(message.callback)) throw new TypeError('callbackFrom: the message has no http(s) `callback` URL');
  if (typeof message.message_id !== 'string' || message.message_id === '') throw new TypeError('callbackFrom: the message has no `message_id`');
  if (!credentials?.user || !credentials?.key) throw new TypeError('callbackFrom: credentials need both `user` and `key`');
  const attempts = Math.max(1, options.attempts ?? 5);
  const base = options.baseDelayMs ?? 200;
  const max = options.maxDelayMs ?? 5000;
  const doFetch = options.fetch ?? fetch;

  async function send(action: IncomingBody['action'], report: Report<Resource | ResourceRef>): Promise<IncomingAnswer> {
    const body: IncomingBody = {
      source_message_id: message.message_id,
      type: 'RESOURCE',
      action,
      timestamp: report.timestamp ?? new Date().toISOString(),
      data: { resources: report.resources as IncomingBody['data']['resources'], interfaces: report.interfaces ?? [] },
    };
    const text = JSON.stringify(body);
    let last: HeraldError | null = null;
    for (let attempt = 1; attempt <= attempts; attempt++) {
      let wait = Math.min(max, base * 2 ** (attempt - 1));
      try {
        const response = await doFetch(message.callback, {
          method: 'POST',
          headers: { authorization: `Bearer ${credentials.user}:${credentials.key}`, 'content-type': 'application/json' },
          body: text,
        });
        const answerText = await response.text();
        let answer: unknown = answerText;
        try {
          answer = JSON.parse(answerText);
        } catch {
          // Not JSON: kept as text for the error.
        }
        if (response.ok) return answer as IncomingAnswer;
        last = errorFromAnswer(response.status, answer);
        if (response.status < 500) throw last;
        wait = Math.min(max, retryAfterMs(response) ?? wait);
      } catch (e) {
        if (e instanceof HeraldError && e.status >= 400 && e.status < 500) throw e;
        last = e instanceof HeraldError ? e : new HeraldError('unreachable', 0, `could not reach ${message.callback}: ${(e as Error).cause instanceof Error ? ((e as Error).cause as Error).message : (e as Error).message}`);
      }
      if (attempt < attempts) await sleep(wait);
    }
    throw new HeraldError(last!.code, last!.status, `callback gave up after ${attempts} attempts: ${last!.message}`, last!.details);
  }

  return {
    created: (report) => send('CREATED', report),
    updated: (report) => send('UPDATED', report),
    deleted: (report) => send('DELETED', report),
  };
}
