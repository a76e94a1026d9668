import { request, type Dispatcher } from 'undici';
import { urlProblem, type AllowPrivate } from './ssrf.js';

export interface OutgoingRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
}

export type ErrorClass = 'timeout' | 'connect' | 'dns' | 'destination' | 'network' | 'http' | 'template' | 'render';

export type SendResult =
  | { ok: true; statusCode: number; body: string; retryAfter: string | undefined; durationMs: number }
  | { ok: false; errorClass: ErrorClass; error: string; durationMs: number };

/** Never read more than this from a receiver, however much it sends. */
export const MAX_RESPONSE_READ = 64 * 1024;
/** What is kept of a response in the attempt log. */
export const STORED_RESPONSE_BYTES = 4 * 1024;

export interface SenderOptions {
  agent: Dispatcher;
  allow: AllowPrivate;
  requestTimeoutMs: number;
}

async function readCapped(body: AsyncIterable<Buffer> & { destroy(): void }): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    chunks.push(chunk);
    size += chunk.length;
    if (size >= MAX_RESPONSE_READ) {
      // Stop reading and drop the connection: a receiver cannot make Herald buffer an unbounded answer.
      body.destroy();
      break;
    }
  }
  return Buffer.concat(chunks).subarray(0, STORED_RESPONSE_BYTES).toString('utf8');
}

function classify(e: unknown): { errorClass: ErrorClass; error: string } {
  const err = e as { code?: string; message?: string; name?: string; cause?: { code?: string; message?: string } };
  const code = err.code ?? err.cause?.code ?? '';
  const message = err.message ?? String(e);
  if (code === 'EDESTINATION' || message.startsWith('destination not allowed')) return { errorClass: 'destination', error: message };
  if (code === 'UND_ERR_CONNECT_TIMEOUT') return { errorClass: 'timeout', error: 'connect timeout' };
  if (code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT' || err.name === 'TimeoutError' || err.name === 'AbortError') {
    return { errorClass: 'timeout', error: 'request timed out' };
  }
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return { errorClass: 'dns', error: `${code}: could not resolve host` };
  if (code === 'ECONNREFUSED' || code === 'ECONNRESET' || code === 'EHOSTUNREACH' || code === 'ENETUNREACH') {
    return { errorClass: 'connect', error: `${code}: ${message}` };
  }
  return { errorClass: 'network', error: code ? `${code}: ${message}` : message };
}

/** Raised into a response body still being read when the request's total time is up. */
class TotalTimeout extends Error {
  override name = 'TimeoutError';
  constructor() {
    super('request timed out');
  }
}

/**
 * The total-time limit of every request, kept by one sweep instead of a timer and abort signal per request (which
 * cost a measurable share of a delivery's CPU). Waiting for the answer is bounded by undici's `headersTimeout`;
 * reading the body, by a deadline this sweep enforces, so a receiver that drips its answer cannot hold a slot.
 */
function makeDeadlines(limitMs: number) {
  const open = new Map<{ destroy(err: Error): void }, number>();
  let sweep: NodeJS.Timeout | null = null;
  const every = Math.max(10, Math.min(250, Math.floor(limitMs / 10)));
  function check() {
    const now = performance.now();
    for (const [body, deadline] of open) {
      if (now >= deadline) {
        open.delete(body);
        body.destroy(new TotalTimeout());
      }
    }
    if (open.size === 0 && sweep) {
      clearInterval(sweep);
      sweep = null;
    }
  }
  return {
    watch(body: { destroy(err: Error): void }, deadline: number) {
      open.set(body, deadline);
      if (!sweep) {
        sweep = setInterval(check, every);
        sweep.unref();
      }
    },
    done(body: { destroy(err: Error): void }) {
      open.delete(body);
    },
  };
}

export function makeSender({ agent, allow, requestTimeoutMs }: SenderOptions) {
  const deadlines = makeDeadlines(requestTimeoutMs);
  // The verdict on a URL never changes (host names are judged at connect time), so each URL is parsed once.
  const verdicts = new Map<string, string | null>();
  function checkUrl(url: string): string | null {
    let verdict = verdicts.get(url);
    if (verdict === undefined) {
      verdict = urlProblem(url, allow);
      if (verdicts.size >= 10_000) verdicts.clear();
      verdicts.set(url, verdict);
    }
    return verdict;
  }

  return async function send(req: OutgoingRequest): Promise<SendResult> {
    const started = performance.now();
    const elapsed = () => Math.round(performance.now() - started);
    // Literal IP hosts never reach the guarded DNS lookup, so they are checked here on every send.
    const refused = checkUrl(req.url);
    if (refused) return { ok: false, errorClass: 'destination', error: `destination not allowed: ${refused}`, durationMs: 0 };
    try {
      const res = await request(req.url, {
        method: 'POST',
        headers: req.headers,
        body: req.body,
        dispatcher: agent,
        headersTimeout: requestTimeoutMs,
        bodyTimeout: requestTimeoutMs,
      });
      // A declared length within the cap is read in one go; anything else is streamed and cut at the cap.
      const declared = Number(res.headers['content-length']);
      deadlines.watch(res.body, started + requestTimeoutMs);
      let body: string;
      try {
        body =
          Number.isFinite(declared) && declared <= MAX_RESPONSE_READ
            ? (await res.body.text()).slice(0, STORED_RESPONSE_BYTES)
            : await readCapped(res.body);
      } finally {
        deadlines.done(res.body);
      }
      const retryAfter = res.headers['retry-after'];
      return {
        ok: true,
        statusCode: res.statusCode,
        body,
        retryAfter: Array.isArray(retryAfter) ? retryAfter[0] : retryAfter,
        durationMs: elapsed(),
      };
    } catch (e) {
      return { ok: false, ...classify(e), durationMs: elapsed() };
    }
  };
}

export type Send = ReturnType<typeof makeSender>;
