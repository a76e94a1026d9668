import { parseDurationMs } from './util/duration.js';
import { telemetrySettings, TelemetrySettingError, type TelemetrySettings } from './telemetry/settings.js';

export type Role = 'all' | 'api' | 'worker';

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl: string | null;
  adminToken: string | null;
  publicUrl: string;
  /** False when HERALD_PUBLIC_URL was not given: the URL then follows the port actually bound. */
  publicUrlExplicit: boolean;
  allowPrivateNetworks: string | undefined;
  retrySchedule: string;
  role: Role;
  encryptionKey: string | undefined;
  disableAfterMs: number;
  /** Failed attempts in a row after which an endpoint is announced as ENDPOINT/FAILING. */
  failingAfter: number;
  retentionMs: number;
  connectTimeoutMs: number;
  requestTimeoutMs: number;
  leaseMs: number;
  /** How long a stop may wait for in-flight deliveries before it releases their leases and the process exits. */
  shutdownTimeoutMs: number;
  /** Threads that render and send attempts beside the dispatcher; 0 sends on the main thread. */
  sendThreads: number;
  /** Failed callback authentications an address may make per window before it is answered 429. */
  incomingAuthFailures: number;
  incomingAuthWindowMs: number;
  /** Largest `data` of one published event, in bytes of its JSON text. */
  maxEventBytes: number;
  /** Largest request body of POST /v1/events (one event or a batch); bounds the memory one request can take. */
  maxBodyBytes: number;
  logLevel: string;
  /** `pretty` on a terminal and `json` otherwise (auto), or as HERALD_LOG_FORMAT says. */
  logFormat: 'auto' | 'pretty' | 'json';
  /** Trace export from the standard OTEL_* variables; null when tracing is off. */
  telemetry: TelemetrySettings | null;
  /** The portal's CSP frame-ancestors sources: who may show the portal in an iframe. */
  portalFrameAncestors: string;
}

/** A start-up error that names the environment variable at fault. */
export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    message: string,
  ) {
    super(`${variable}: ${message}`);
    this.name = 'ConfigError';
  }
}

/**
 * A start-up failure caused by what a variable points at (a database that is down, a port in use), not by its
 * spelling: it names the variable and the cause, like a ConfigError.
 */
export class StartupError extends ConfigError {
  constructor(variable: string, message: string, cause?: unknown) {
    super(variable, message);
    this.name = 'StartupError';
    if (cause !== undefined) this.cause = cause;
  }
}

type Env = Record<string, string | undefined>;

function intVar(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw.trim())) throw new ConfigError(name, `must be an integer between ${min} and ${max}, got "${raw}"`);
  const n = Number(raw);
  if (n < min || n > max) throw new ConfigError(name, `must be between ${min} and ${max}, got ${n}`);
  return n;
}

function durationVar(env: Env, name: string, fallback: string): number {
  const raw = env[name] || fallback;
  const ms = parseDurationMs(raw);
  if (ms === null) throw new ConfigError(name, `must be a duration like 300ms, 5s, 30m, 2h or 30d, got "${raw}"`);
  return ms;
}

const SIZE_UNITS: Record<string, number> = { '': 1, b: 1, kib: 1024, mib: 1024 * 1024 };

function sizeVar(env: Env, name: string, fallback: string, min: number, max: number): number {
  const raw = env[name] || fallback;
  const m = /^\s*(\d+)\s*(B|KiB|MiB)?\s*$/i.exec(raw);
  const bytes = m ? Number(m[1]) * SIZE_UNITS[(m[2] ?? '').toLowerCase()]! : NaN;
  if (!m || bytes < min || bytes > max) {
    throw new ConfigError(name, `must be a size between ${min} bytes and ${max / (1024 * 1024)} MiB, in bytes or with KiB or MiB (e.g. 256KiB), got "${raw}"`);
  }
  return bytes;
}

/** The largest HERALD_MAX_EVENT_BYTES; it is also bounded by HERALD_MAX_BODY_BYTES, which must hold one such event. */
export const MAX_EVENT_BYTES_CEILING = 16 * 1024 * 1024;

/**
 * `'self'`, `'none'`, or origins such as https://app.example.com, https://*.example.com, http://localhost:3000,
 * separated by spaces. Anything else is refused at start-up: a typo here would otherwise show up as a blank iframe.
 */
function frameAncestors(env: Env): string {
  const raw = (env.HERALD_PORTAL_FRAME_ANCESTORS ?? '').trim() || "'self'";
  const sources = raw.split(/\s+/);
  for (const s of sources) {
    const ok = s === "'self'" || s === "'none'" || /^https?:\/\/(\*\.)?[a-z0-9]([a-z0-9.-]*[a-z0-9])?(:(\d{1,5}|\*))?$/i.test(s) || /^https?:\/\/\[[0-9a-f:.]+\](:\d{1,5})?$/i.test(s);
    if (!ok) {
      throw new ConfigError('HERALD_PORTAL_FRAME_ANCESTORS', `must be 'self', 'none' or origins such as https://app.example.com separated by spaces; ${JSON.stringify(s)} is none of these`);
    }
  }
  if (sources.includes("'none'") && sources.length > 1) throw new ConfigError('HERALD_PORTAL_FRAME_ANCESTORS', "'none' cannot be combined with other sources");
  return sources.join(' ');
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];
/**
 * A publish request's peak memory is eight to thirteen times its body (the bytes, the decoded text, the parsed
 * values, the rows and payloads written): 8 MiB costs some 80 MB, leaving room for a second beside it in the
 * 160 MB heap `npm start` gives; 16 MiB nearly filled it alone.
 */
export const DEFAULT_MAX_BODY_BYTES = '8MiB';
export const MAX_BODY_BYTES_CEILING = 64 * 1024 * 1024;

function eventAndBodyLimits(env: Env): { maxEventBytes: number; maxBodyBytes: number } {
  const maxEventBytes = sizeVar(env, 'HERALD_MAX_EVENT_BYTES', '256KiB', 2, MAX_EVENT_BYTES_CEILING);
  const maxBodyBytes = sizeVar(env, 'HERALD_MAX_BODY_BYTES', DEFAULT_MAX_BODY_BYTES, 64 * 1024, MAX_BODY_BYTES_CEILING);
  // An event's data travels in a body with its envelope, so the body limit keeps some room beyond it.
  if (maxEventBytes + 1024 > maxBodyBytes) {
    // The variable the operator set is the one named.
    if (!env.HERALD_MAX_EVENT_BYTES) {
      throw new ConfigError('HERALD_MAX_BODY_BYTES', `${maxBodyBytes} bytes cannot hold one event of HERALD_MAX_EVENT_BYTES (${maxEventBytes} bytes); lower HERALD_MAX_EVENT_BYTES too`);
    }
    throw new ConfigError('HERALD_MAX_EVENT_BYTES', `${maxEventBytes} bytes does not fit in a request body of HERALD_MAX_BODY_BYTES (${maxBodyBytes} bytes); raise HERALD_MAX_BODY_BYTES too`);
  }
  return { maxEventBytes, maxBodyBytes };
}

export function loadConfig(env: Env = process.env): Config {
  const port = intVar(env, 'HERALD_PORT', 8080, 0, 65535);
  const role = (env.HERALD_ROLE || 'all') as Role;
  if (!['all', 'api', 'worker'].includes(role)) {
    throw new ConfigError('HERALD_ROLE', `must be one of all, api, worker; got "${env.HERALD_ROLE}"`);
  }
  const databaseUrl = env.HERALD_DATABASE_URL || null;
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new ConfigError('HERALD_DATABASE_URL', 'must start with postgres:// or postgresql://');
  }
  const publicUrl = (env.HERALD_PUBLIC_URL || `http://localhost:${port}`).replace(/\/+$/, '');
  try {
    const u = new URL(publicUrl);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error('scheme');
  } catch {
    throw new ConfigError('HERALD_PUBLIC_URL', `must be an http(s) URL, got "${env.HERALD_PUBLIC_URL}"`);
  }
  const logLevel = (env.HERALD_LOG_LEVEL || 'info').trim().toLowerCase();
  if (!LOG_LEVELS.includes(logLevel)) {
    throw new ConfigError('HERALD_LOG_LEVEL', `must be one of ${LOG_LEVELS.join(', ')}; got "${env.HERALD_LOG_LEVEL}"`);
  }
  const logFormat = (env.HERALD_LOG_FORMAT || 'auto').trim().toLowerCase();
  if (!['auto', 'pretty', 'json'].includes(logFormat)) {
    throw new ConfigError('HERALD_LOG_FORMAT', `must be one of auto, pretty, json; got "${env.HERALD_LOG_FORMAT}"`);
  }
  let telemetry: TelemetrySettings | null;
  try {
    telemetry = telemetrySettings(env);
  } catch (e) {
    if (e instanceof TelemetrySettingError) throw new ConfigError(e.variable, e.message.slice(e.variable.length + 2));
    throw e;
  }
  const adminToken = env.HERALD_ADMIN_TOKEN || null;
  if (adminToken !== null && adminToken.length < 16) {
    throw new ConfigError('HERALD_ADMIN_TOKEN', 'must be at least 16 characters');
  }
  return {
    port,
    // Loopback unless asked: a first run is not reachable from the network before its operator chose so.
    host: env.HERALD_HOST || '127.0.0.1',
    dataDir: env.HERALD_DATA_DIR || './data',
    databaseUrl,
    adminToken,
    publicUrl,
    publicUrlExplicit: Boolean(env.HERALD_PUBLIC_URL),
    allowPrivateNetworks: env.HERALD_ALLOW_PRIVATE_NETWORKS,
    retrySchedule: env.HERALD_RETRY_SCHEDULE || '5s,5m,30m,2h,5h,10h,10h',
    role,
    encryptionKey: env.HERALD_ENCRYPTION_KEY || undefined,
    disableAfterMs: durationVar(env, 'HERALD_DISABLE_AFTER', '5d'),
    failingAfter: intVar(env, 'HERALD_FAILING_AFTER', 5, 1, 1_000_000),
    retentionMs: durationVar(env, 'HERALD_RETENTION', '30d'),
    connectTimeoutMs: durationVar(env, 'HERALD_CONNECT_TIMEOUT', '5s'),
    requestTimeoutMs: durationVar(env, 'HERALD_REQUEST_TIMEOUT', '15s'),
    leaseMs: durationVar(env, 'HERALD_LEASE', '60s'),
    shutdownTimeoutMs: durationVar(env, 'HERALD_SHUTDOWN_TIMEOUT', '30s'),
    sendThreads: intVar(env, 'HERALD_SEND_THREADS', 1, 0, 16),
    incomingAuthFailures: intVar(env, 'HERALD_INCOMING_AUTH_FAILURES', 10, 1, 1_000_000),
    incomingAuthWindowMs: durationVar(env, 'HERALD_INCOMING_AUTH_WINDOW', '1m'),
    ...eventAndBodyLimits(env),
    logLevel,
    logFormat: logFormat as Config['logFormat'],
    telemetry,
    portalFrameAncestors: frameAncestors(env),
  };
}

/** Exit code for a configuration error (sysexits EX_CONFIG). */
export const EX_CONFIG = 78;

/** Whether HERALD_LOG_LEVEL asks for stack traces (debug or trace), read from the environment itself: a failure may come before the config. */
function wantsStacks(env: Env): boolean {
  return ['debug', 'trace'].includes((env.HERALD_LOG_LEVEL ?? '').trim().toLowerCase());
}

function stackWithCauses(e: unknown): string {
  const parts: string[] = [];
  for (let c: unknown = e, depth = 0; c !== undefined && depth < 8; c = (c as { cause?: unknown }).cause, depth++) {
    parts.push(c instanceof Error ? (c.stack ?? c.message) : String(c));
  }
  return parts.join('\ncaused by: ') + '\n';
}

/**
 * A start-up that failed, said in one line on stderr and an exit: 78 (EX_CONFIG) for what names its variable (a
 * bad value, or what the value points at), 1 for anything else. The stack trace follows only at
 * HERALD_LOG_LEVEL=debug.
 */
export function exitOnConfigError(e: unknown, env: Env = process.env): never {
  const named = e instanceof ConfigError || (e instanceof Error && /^(HERALD|OTEL)_[A-Z_]+/.test(e.message));
  const kind = e instanceof StartupError ? 'cannot start' : named ? 'configuration error' : 'start-up failed';
  const message = (e instanceof Error ? e.message : String(e)).split('\n')[0];
  const hint = named || wantsStacks(env) ? '' : ' (HERALD_LOG_LEVEL=debug shows the stack trace)';
  process.stderr.write(`herald: ${kind}: ${message}${hint}\n`);
  if (wantsStacks(env)) process.stderr.write(stackWithCauses(e));
  process.exit(named ? EX_CONFIG : 1);
}
