import type { Dispatcher } from 'undici';
import { storableText } from '../util/storable-text.js';
import { responseExcerpt } from './response-excerpt.js';
import type { ReceivedHeaders } from './response-headers.js';
import { urlProblem, type AllowPrivate } from './ssrf.js';

export interface OutgoingRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
}

export type ErrorClass = 'timeout' | 'connect' | 'dns' | 'destination' | 'network' | 'protocol' | 'http' | 'template' | 'render';

export type SendResult =
  /** `headers` is undici's own object, handed on as it is: what is kept of it is decided where it is masked. */
  | { ok: true; statusCode: number; headers: ReceivedHeaders; body: string; retryAfter: string | undefined; durationMs: number }
  | { ok: false; errorClass: ErrorClass; error: string; durationMs: number };

/** Never read more than this from a receiver, however much it sends. */
export const MAX_RESPONSE_READ = 64 * 1024;
/** What is kept of a response in the attempt log: bytes of its stored UTF-8 text. */
export const STORED_RESPONSE_BYTES = 4 * 1024;
/** What is kept of an error message (which may quote what a receiver sent). */
const STORED_ERROR_BYTES = 1024;

export interface SenderOptions {
  agent: Dispatcher;
  allow: AllowPrivate;
  requestTimeoutMs: number;
}

function classify(e: unknown): { errorClass: ErrorClass; error: string } {
  const err = e as { code?: string; message?: string; name?: string; cause?: { code?: string; message?: string } };
  const code = err.code ?? err.cause?.code ?? '';
  // A parser's message may quote the receiver's bytes: it is stored as text both databases accept.
  const message = storableText(err.message ?? String(e), STORED_ERROR_BYTES);
  if (code === 'EDESTINATION' || message.startsWith('destination not allowed')) return { errorClass: 'destination', error: message };
  if (code === 'UND_ERR_CONNECT_TIMEOUT') return { errorClass: 'timeout', error: 'connect timeout' };
  if (code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT' || err.name === 'TimeoutError' || err.name === 'AbortError') {
    return { errorClass: 'timeout', error: 'request timed out' };
  }
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return { errorClass: 'dns', error: `${code}: could not resolve host` };
  if (code === 'ECONNREFUSED' || code === 'ECONNRESET' || code === 'EHOSTUNREACH' || code === 'ENETUNREACH') {
    return { errorClass: 'connect', error: `${code}: ${message}` };
  }
  // The receiver answered, but not in HTTP: a garbage status line, headers past the parser's limit, a body
  // shorter than its Content-Length.
  if (err.name === 'HTTPParserError' || code.startsWith('HPE_') || code === 'UND_ERR_HEADERS_OVERFLOW' || code === 'UND_ERR_RES_CONTENT_LENGTH_MISMATCH') {
    return { errorClass: 'protocol', error: code ? `${code}: ${message}` : message };
  }
  // undici's words for an interim `100 Continue` that Herald never asked for (it sends no `Expect`), or bytes
  // sent before any request: it drops the connection rather than wait for the final answer.
  if (code === 'UND_ERR_SOCKET' && message === 'bad response') {
    return { errorClass: 'protocol', error: `${code}: bad response (an unrequested 100 Continue, or an answer before the request)` };
  }
  return { errorClass: 'network', error: code ? `${code}: ${message}` : message };
}

/** Raised into a request that is still running when its total time is up. */
class TotalTimeout extends Error {
  override name = 'TimeoutError';
  constructor() {
    super('request timed out');
  }
}

/** Where a request goes: parsed once per URL, with the guard's verdict on it (host names are judged at connect time). */
interface Target {
  origin: string;
  path: string;
  problem: string | null;
}

function targetOf(url: string, allow: AllowPrivate): Target {
  const problem = urlProblem(url, allow);
  if (problem !== null) return { origin: '', path: '', problem };
  const u = new URL(url);
  return { origin: u.origin, path: `${u.pathname}${u.search}`, problem: null };
}

/** One request in flight, as the deadline sweep sees it. */
interface Running {
  deadline: number;
  abort(err: Error): void;
}

/**
 * The total-time limit of every request, kept by one sweep instead of a timer and abort signal per request (which
 * cost a measurable share of a delivery's CPU). A receiver that answers slowly, or drips its body, cannot hold a
 * slot past the limit.
 */
function makeDeadlines(limitMs: number) {
  const open = new Set<Running>();
  let sweep: NodeJS.Timeout | null = null;
  const every = Math.max(10, Math.min(250, Math.floor(limitMs / 10)));
  function check() {
    const now = performance.now();
    for (const r of open) {
      if (now >= r.deadline) {
        open.delete(r);
        r.abort(new TotalTimeout());
      }
    }
    if (open.size === 0 && sweep) {
      clearInterval(sweep);
      sweep = null;
    }
  }
  return {
    watch(r: Running) {
      open.add(r);
      if (!sweep) {
        sweep = setInterval(check, every);
        sweep.unref();
      }
    },
    done(r: Running) {
      open.delete(r);
    },
  };
}

/**
 * One POST through undici's dispatcher interface. Herald reads at most MAX_RESPONSE_READ of an answer and keeps
 * its first few KiB, so the answer is gathered straight from the parser's chunks: the `request()` API's stream
 * and promise machinery around each response cost more CPU than the rest of the send.
 */
class Exchange implements Dispatcher.DispatchHandler, Running {
  readonly deadline: number;
  private controller: Dispatcher.DispatchController | null = null;
  private timedOut: Error | null = null;
  private statusCode = 0;
  private headers: ReceivedHeaders = {};
  private retryAfter: string | undefined = undefined;
  private contentEncoding: string | undefined = undefined;
  private chunks: Buffer[] = [];
  private size = 0;
  private settled = false;
  /** Set once the answer is complete (or read far enough): an error after that does not change the outcome. */
  private answering = false;

  constructor(
    private readonly started: number,
    limitMs: number,
    private readonly deadlines: ReturnType<typeof makeDeadlines>,
    private readonly resolve: (r: SendResult) => void,
  ) {
    this.deadline = started + limitMs;
  }

  abort(err: Error): void {
    // Before undici hands over a controller the request has not been written; it is stopped as soon as it is.
    if (this.controller) this.controller.abort(err);
    else this.timedOut = err;
  }

  private elapsed(): number {
    return Math.round(performance.now() - this.started);
  }

  private settle(r: SendResult): void {
    if (this.settled) return;
    this.settled = true;
    this.deadlines.done(this);
    this.resolve(r);
  }

  private answered(): void {
    if (this.answering || this.settled) return;
    this.answering = true;
    this.deadlines.done(this);
    const durationMs = this.elapsed();
    const done = (body: string) => this.settle({ ok: true, statusCode: this.statusCode, headers: this.headers, body, retryAfter: this.retryAfter, durationMs });
    const excerpt = responseExcerpt(this.chunks, this.contentEncoding, STORED_RESPONSE_BYTES);
    if (typeof excerpt === 'string') done(excerpt);
    else void excerpt.then(done);
  }

  onRequestStart(controller: Dispatcher.DispatchController): void {
    this.controller = controller;
    if (this.timedOut) controller.abort(this.timedOut);
  }

  onResponseStart(_controller: Dispatcher.DispatchController, statusCode: number, headers: Record<string, string | string[] | undefined>): void {
    this.statusCode = statusCode;
    this.headers = headers;
    const retryAfter = headers['retry-after'];
    this.retryAfter = Array.isArray(retryAfter) ? retryAfter[0] : retryAfter;
    const encoding = headers['content-encoding'];
    this.contentEncoding = Array.isArray(encoding) ? encoding[0] : encoding;
  }

  onResponseData(controller: Dispatcher.DispatchController, chunk: Buffer): void {
    if (this.settled || this.answering) return;
    this.chunks.push(chunk);
    this.size += chunk.length;
    if (this.size >= MAX_RESPONSE_READ) {
      // Enough: answer with what was read and drop the connection, so a receiver cannot make Herald buffer an
      // unbounded answer.
      this.answered();
      controller.abort(new Error('response too large'));
    }
  }

  onResponseEnd(): void {
    this.answered();
  }

  onResponseError(_controller: Dispatcher.DispatchController, error: Error): void {
    this.fail(error);
  }

  /** Also for a dispatch refused before undici took the request. */
  fail(error: Error): void {
    if (this.answering) return;
    const failure = classify(error);
    // A receiver that sent its status and then stalled or broke off: the log says how far it got.
    if (this.statusCode !== 0) {
      failure.error = `${failure.error} (after HTTP ${this.statusCode}, while reading the body)`;
      // The connection was made: a reset now is the answer breaking off, not a failure to connect.
      if (failure.errorClass === 'connect') failure.errorClass = 'network';
    }
    this.settle({ ok: false, ...failure, durationMs: this.elapsed() });
  }
}

export function makeSender({ agent, allow, requestTimeoutMs }: SenderOptions) {
  const deadlines = makeDeadlines(requestTimeoutMs);
  // The verdict on a URL never changes (host names are judged at connect time), so each URL is parsed once.
  const targets = new Map<string, Target>();
  function target(url: string): Target {
    let t = targets.get(url);
    if (t === undefined) {
      t = targetOf(url, allow);
      if (targets.size >= 10_000) targets.clear();
      targets.set(url, t);
    }
    return t;
  }

  return function send(req: OutgoingRequest): Promise<SendResult> {
    const started = performance.now();
    // Literal IP hosts never reach the guarded DNS lookup, so they are checked here on every send.
    const to = target(req.url);
    if (to.problem !== null) {
      const error = to.problem.startsWith('destination not allowed') ? to.problem : `destination not allowed: ${to.problem}`;
      return Promise.resolve({ ok: false, errorClass: 'destination', error, durationMs: 0 });
    }
    return new Promise<SendResult>((resolve) => {
      const exchange = new Exchange(started, requestTimeoutMs, deadlines, resolve);
      deadlines.watch(exchange);
      try {
        agent.dispatch(
          { origin: to.origin, path: to.path, method: 'POST', headers: req.headers, body: req.body, headersTimeout: requestTimeoutMs, bodyTimeout: requestTimeoutMs },
          exchange,
        );
      } catch (e) {
        exchange.fail(e as Error);
      }
    });
  };
}

export type Send = ReturnType<typeof makeSender>;
