import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { request, type Dispatcher } from 'undici';
import { parseExact, stringifyExact } from './exact-json.js';

/** A problem as the API lists it under `error.details`. */
export interface ApiProblem {
  path: string;
  message: string;
  allowed?: string[];
}

/** Herald answered, and the answer was an error: the CLI prints it and exits 1. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: ApiProblem[],
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** Herald could not be reached at all: the CLI names the URL and exits 2, so scripts can tell the two apart. */
export class ConnectionError extends Error {
  constructor(
    readonly url: string,
    cause: Error,
    /** Whether the URL came from HERALD_URL or is the default, so the hint says what to change. */
    readonly fromEnv = false,
  ) {
    super(`could not reach Herald at ${url} (${describeCause(cause)})`, { cause });
    this.name = 'ConnectionError';
  }

  get hint(): string {
    return this.fromEnv
      ? `is Herald running there? HERALD_URL is set to ${this.url}; point it at Herald's address.`
      : `is Herald running? HERALD_URL is not set, so the default ${this.url} was tried; set HERALD_URL=http://host:port.`;
  }
}

const CAUSES: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host name lookup failed',
  ETIMEDOUT: 'connection timed out',
  UND_ERR_CONNECT_TIMEOUT: 'connection timed out',
  ECONNRESET: 'connection reset',
  UND_ERR_SOCKET: 'connection closed by the server',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
};

/** The cause in a few words, said once: Node's own text repeats the code ("ECONNREFUSED: connect ECONNREFUSED ..."). */
function describeCause(e: Error): string {
  // undici reports a refused dual-stack connect as an AggregateError whose code sits on the parts.
  const inner = (e as { errors?: Error[] }).errors?.[0];
  const code = (e as { code?: string }).code ?? (inner as { code?: string } | undefined)?.code;
  if (code && CAUSES[code]) return CAUSES[code]!;
  return e.message || inner?.message || code || 'unknown error';
}

export type Query = Record<string, string | number | boolean | undefined>;

export interface Client {
  readonly baseUrl: string;
  get<T = any>(path: string, query?: Query): Promise<T>;
  post<T = any>(path: string, body?: unknown): Promise<T>;
  patch<T = any>(path: string, body: unknown): Promise<T>;
  delete(path: string): Promise<void>;
  /** Opens a long-lived GET (Server-Sent Events); the caller reads and closes the body. */
  stream(path: string, headers?: Record<string, string>, signal?: AbortSignal): Promise<Dispatcher.ResponseData['body']>;
}

export interface ClientOptions {
  url?: string;
  token?: string | null;
}

/**
 * The admin token: HERALD_TOKEN, else the one `herald serve` saved in its data dir on first start, so an operator on
 * the server's own machine needs no setup.
 */
export function resolveToken(env: NodeJS.ProcessEnv = process.env): string | null {
  if (env.HERALD_TOKEN) return env.HERALD_TOKEN;
  const file = join(env.HERALD_DATA_DIR || './data', 'admin-token');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim() || null;
  return null;
}

export const DEFAULT_URL = 'http://localhost:8080';

export function makeClient({ url = process.env.HERALD_URL || DEFAULT_URL, token = resolveToken() }: ClientOptions = {}): Client {
  const baseUrl = url.replace(/\/+$/, '');
  const fromEnv = Boolean(process.env.HERALD_URL) && url === process.env.HERALD_URL;
  const unreachable = (e: unknown) => new ConnectionError(baseUrl, e instanceof Error ? e : new Error(String(e)), fromEnv);
  const auth: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};

  async function send(method: Dispatcher.HttpMethod, path: string, body?: unknown, query?: Query) {
    const target = new URL(baseUrl + path);
    for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined && v !== '') target.searchParams.set(k, String(v));
    let res: Dispatcher.ResponseData;
    try {
      res = await request(target, {
        method,
        headers: { accept: 'application/json', ...auth, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
        ...(body !== undefined ? { body: stringifyExact(body) } : {}),
      });
    } catch (e) {
      throw unreachable(e);
    }
    let text: string;
    try {
      text = await res.body.text();
    } catch (e) {
      // Herald went away mid-answer (a restart): as unreachable as a refused connect.
      throw unreachable(e);
    }
    if (res.statusCode >= 400) throw toApiError(res.statusCode, text);
    return text ? parseExact(text) : undefined;
  }

  return {
    baseUrl,
    get: (path, query) => send('GET', path, undefined, query) as Promise<any>,
    post: (path, body) => send('POST', path, body ?? {}) as Promise<any>,
    patch: (path, body) => send('PATCH', path, body) as Promise<any>,
    delete: async (path) => {
      await send('DELETE', path);
    },
    async stream(path, headers = {}, signal) {
      let res: Dispatcher.ResponseData;
      try {
        res = await request(baseUrl + path, {
          method: 'GET',
          headers: { accept: 'text/event-stream', ...auth, ...headers },
          // A quiet stream is normal: an entity may not change for hours.
          bodyTimeout: 0,
          ...(signal ? { signal } : {}),
        });
      } catch (e) {
        if (signal?.aborted) throw e;
        throw unreachable(e);
      }
      if (res.statusCode >= 400) throw toApiError(res.statusCode, await res.body.text());
      return res.body;
    },
  };
}

function toApiError(status: number, text: string): ApiError {
  try {
    const parsed = JSON.parse(text) as { error?: { code?: string; message?: string; details?: ApiProblem[] } };
    if (parsed.error?.message) return new ApiError(status, parsed.error.code ?? 'error', parsed.error.message, parsed.error.details ?? []);
  } catch {
    // Not Herald's JSON (a proxy's HTML page, say): fall through to the status line.
  }
  return new ApiError(status, 'http', `HTTP ${status}${text ? `: ${text.slice(0, 200)}` : ''}`, []);
}
