import { randomUUID } from 'node:crypto';
import { renderRequest } from '../formats/index.js';
import { RenderError, type EndpointView, type MessageView, type TopicTemplates } from '../formats/types.js';
import { newId } from '../ids.js';
import type { AttemptOutcome } from '../store/queries/record-outcomes.js';
import { SecretError } from '../util/secret-box.js';
import { isSecretName, makeRedactor, maskHeaders, maskUrl, urlCredentials } from './mask.js';
import { decide, type Tried } from './outcome.js';
import { keptResponseHeaders, type ReceivedHeaders } from './response-headers.js';
import { childTraceparent, newSpanId } from '../telemetry/traceparent.js';
import type { ErrorClass, Send, SendResult } from './sender.js';

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

/** Why an attempt failed: how the send went, or what broke before it. */
export type AttemptErrorClass = ErrorClass | 'secret' | 'internal';

/** The class of an error thrown before or instead of a send: a template, a sealed value, or a bug. */
export function errorClassOf(e: unknown): AttemptErrorClass {
  if (e instanceof RenderError) return e.errorClass;
  if (e instanceof SecretError || (e instanceof Error && e.name === 'SecretError')) return 'secret';
  return 'internal';
}

function errorText(errorClass: string, e: unknown): string {
  const text = e instanceof Error ? e.message : String(e);
  // Template errors already open with Go's `template:`; the class is prefixed only where it is missing.
  return text.startsWith(`${errorClass}:`) ? text : `${errorClass}: ${text}`;
}

/** Every credential a job carries, in the forms a receiver could echo back. */
function credentialsOf(endpoint: EndpointView, sent: Record<string, string> | null): string[] {
  const out: string[] = [];
  if (endpoint.auth) out.push(endpoint.auth.key, `${endpoint.auth.user}:${endpoint.auth.key}`);
  for (const s of endpoint.secrets) {
    out.push(s);
    if (s.startsWith('whsec_')) out.push(s.slice('whsec_'.length));
  }
  for (const headers of [endpoint.headers, sent ?? {}]) {
    for (const name in headers) {
      if (!isSecretName(name)) continue;
      const value = headers[name]!;
      out.push(value);
      // `Bearer x`: the credential alone too.
      const space = value.indexOf(' ');
      if (space > 0) out.push(value.slice(space + 1));
    }
  }
  out.push(...urlCredentials(endpoint.url));
  return out;
}

/**
 * Redactors by the credentials they mask. An endpoint sends the same credentials on every attempt (only a
 * signature differs), and building a redactor's forms cost more than the masking itself.
 */
const redactors = new Map<string, (text: string) => string>();
const MAX_REDACTORS = 1000;

function redactorFor(credentials: string[]): (text: string) => string {
  const key = JSON.stringify(credentials);
  let redact = redactors.get(key);
  if (!redact) {
    if (redactors.size >= MAX_REDACTORS) redactors.clear();
    redact = makeRedactor(credentials);
    redactors.set(key, redact);
  }
  return redact;
}

/** Where a failed attempt belongs, when the failure came before there was an endpoint view to send with. */
export interface FailedJob {
  deliveryId: string;
  attemptsMade: number;
  endpointId: string;
  url: string | null;
}

/**
 * The outcome of an attempt that failed before anything was sent (a secret that cannot be opened, a damaged row,
 * a bug): recorded like any failed attempt, so the delivery follows the retry schedule or fails, never parks.
 */
export function failedBeforeSend(
  job: FailedJob,
  e: unknown,
  schedule: readonly number[],
  now: () => number = Date.now,
  random: () => number = Math.random,
): AttemptOutcome {
  const at = now();
  const errorClass = errorClassOf(e);
  const redact = job.url === null ? (t: string) => t : makeRedactor(urlCredentials(job.url));
  const error = redact(errorText(errorClass, e));
  const decision = decide({ ok: false, error }, job.attemptsMade + 1, schedule, at, random);
  return {
    attempt: {
      id: newId('att', at),
      delivery_id: job.deliveryId,
      attempt: job.attemptsMade + 1,
      at,
      status_code: null,
      error,
      error_class: errorClass,
      duration_ms: 0,
      request: JSON.stringify({ method: 'POST', url: job.url === null ? null : maskUrl(job.url), headers: {}, body: null }),
      response_body: null,
      response_headers: null,
    },
    deliveryId: job.deliveryId,
    endpointId: job.endpointId,
    status: decision.status,
    nextAttemptAt: decision.nextAttemptAt,
    lastStatusCode: null,
    lastError: decision.lastError,
    disableReason: decision.disableReason,
  };
}

/**
 * Render -> sign -> send -> decide, and the attempt's log record. Never rejects: a render error or a failed
 * send is an outcome like any other, so every claimed delivery ends recorded. What a receiver echoes back of the
 * credentials it was sent is masked before it is kept.
 */
export function makeAttemptRunner({ send, callbackUrl, schedule, now = Date.now, random = Math.random }: AttemptDeps): RunAttempt {
  return async function runAttempt(job: AttemptJob): Promise<AttemptOutcome> {
    const { endpoint, message } = job;
    const at = now();
    const attemptNo = job.attemptsMade + 1;
    let rendered: { headers: Record<string, string>; body: string } | null = null;
    let result: Tried;
    let errorClass: AttemptErrorClass | null = null;
    let durationMs = 0;
    let answerHeaders: ReceivedHeaders | null = null;
    let sentSpanId: string | undefined;
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
      // Only endpoints that opted in see the header: some receivers must get exactly the headers they expect.
      // Signatures cover the body alone, so the extra header leaves them valid.
      if (endpoint.traceContext && message.traceparent) {
        const spanId = newSpanId();
        const traceparent = childTraceparent(message.traceparent, spanId);
        if (traceparent !== null) {
          rendered = { ...rendered, headers: { ...rendered.headers, traceparent } };
          sentSpanId = spanId;
        }
      }
      const sent: SendResult = await send({ url: endpoint.url, headers: rendered.headers, body: rendered.body });
      if (!sent.ok) errorClass = sent.errorClass;
      else answerHeaders = sent.headers;
      durationMs = sent.durationMs;
      result = sent;
    } catch (e) {
      errorClass = errorClassOf(e);
      result = { ok: false, error: errorText(errorClass, e) };
    }
    const redact = redactorFor(credentialsOf(endpoint, rendered?.headers ?? null));
    if (result.ok) result = { ...result, body: redact(result.body) };
    else result = { ...result, error: redact(result.error) };
    const decision = decide(result, attemptNo, schedule, now(), random);
    return {
      attempt: {
        id: newId('att', at),
        delivery_id: job.deliveryId,
        attempt: attemptNo,
        at,
        status_code: result.ok ? result.statusCode : null,
        error: result.ok ? (decision.status === 'succeeded' ? null : decision.lastError) : result.error,
        error_class: result.ok ? (decision.status === 'succeeded' ? null : 'http') : errorClass,
        duration_ms: durationMs,
        request: JSON.stringify({
          method: 'POST',
          url: maskUrl(endpoint.url),
          headers: rendered ? maskHeaders(rendered.headers) : {},
          body: rendered ? rendered.body.slice(0, 4096) : null,
        }),
        response_body: result.ok ? result.body : null,
        response_headers: answerHeaders ? keptResponseHeaders(answerHeaders, redact) : null,
      },
      deliveryId: job.deliveryId,
      endpointId: endpoint.id,
      status: decision.status,
      nextAttemptAt: decision.nextAttemptAt,
      lastStatusCode: result.ok ? result.statusCode : null,
      lastError: decision.lastError,
      disableReason: decision.disableReason,
      ...(sentSpanId !== undefined ? { sentSpanId } : {}),
    };
  };
}
