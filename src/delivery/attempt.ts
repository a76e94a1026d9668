import { randomUUID } from 'node:crypto';
import { renderRequest } from '../formats/index.js';
import { RenderError, type EndpointView, type MessageView, type TopicTemplates } from '../formats/types.js';
import { newId } from '../ids.js';
import type { AttemptOutcome } from '../store/queries/record-outcomes.js';
import { maskHeaders } from './mask.js';
import { decide } from './outcome.js';
import type { Send, SendResult } from './sender.js';

/**
 * One attempt, with everything it needs already read from the store: plain data only, so it can be handed to a
 * send thread as it is.
 */
export interface AttemptJob {
  deliveryId: string;
  /** Attempts made before this one. */
  attemptsMade: number;
  message: MessageView;
  /** About what the message holds (its stored JSON's length): what the work handed to a send thread is bounded by. */
  messageBytes: number;
  /** The endpoint with its secrets opened. */
  endpoint: EndpointView;
  templates: TopicTemplates | null;
}

export type RunAttempt = (job: AttemptJob) => Promise<AttemptOutcome>;

export interface AttemptDeps {
  send: Send;
  callbackUrl: string;
  schedule: readonly number[];
  now?: () => number;
  random?: () => number;
}

/**
 * Render -> sign -> send -> decide, and the attempt's log record. Never rejects: a render error or a failed
 * send is an outcome like any other, so every claimed delivery ends recorded.
 */
export function makeAttemptRunner({ send, callbackUrl, schedule, now = Date.now, random = Math.random }: AttemptDeps): RunAttempt {
  return async function runAttempt(job: AttemptJob): Promise<AttemptOutcome> {
    const { endpoint, message } = job;
    const at = now();
    const attemptNo = job.attemptsMade + 1;
    let rendered: { headers: Record<string, string>; body: string } | null = null;
    let result: SendResult;
    try {
      rendered = renderRequest({
        message,
        endpoint,
        callbackUrl,
        nowSeconds: Math.floor(at / 1000),
        // Only the cloudpods format sends a request id; the others do not pay for one.
        requestId: endpoint.format === 'cloudpods' ? randomUUID().replace(/-/g, '').slice(0, 12) : '',
        templates: job.templates,
      });
      result = await send({ url: endpoint.url, headers: rendered.headers, body: rendered.body });
    } catch (e) {
      const errorClass = e instanceof RenderError ? e.errorClass : 'render';
      const text = (e as Error).message;
      // Template errors already open with Go's `template:`; the class is prefixed only where it is missing.
      const error = text.startsWith(`${errorClass}:`) ? text : `${errorClass}: ${text}`;
      result = { ok: false, errorClass, error, durationMs: 0 };
    }
    const decision = decide(result, attemptNo, schedule, now(), random);
    return {
      attempt: {
        id: newId('att', at),
        delivery_id: job.deliveryId,
        attempt: attemptNo,
        at,
        status_code: result.ok ? result.statusCode : null,
        error: result.ok ? (decision.status === 'succeeded' ? null : decision.lastError) : result.error,
        error_class: result.ok ? (decision.status === 'succeeded' ? null : 'http') : result.errorClass,
        duration_ms: result.durationMs,
        request: JSON.stringify({
          method: 'POST',
          url: endpoint.url,
          headers: rendered ? maskHeaders(rendered.headers) : {},
          body: rendered ? rendered.body.slice(0, 4096) : null,
        }),
        response_body: result.ok ? result.body : null,
      },
      deliveryId: job.deliveryId,
      endpointId: endpoint.id,
      status: decision.status,
      nextAttemptAt: decision.nextAttemptAt,
      lastStatusCode: result.ok ? result.statusCode : null,
      lastError: decision.lastError,
      disableReason: decision.disableReason,
    };
  };
}
