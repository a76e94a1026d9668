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
  logLevel: string;
  /** Trace export from the standard OTEL_* variables; null when tracing is off. */
  telemetry: TelemetrySettings | null;
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

/** Bounded by the publish route's body limit, which has to hold at least one event of this size. */
export const MAX_EVENT_BYTES_CEILING = 16 * 1024 * 1024;

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
    host: env.HERALD_HOST || '0.0.0.0',
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
    retentionMs: durationVar(env, 'HERALD_RETENTION', '30d'),
    connectTimeoutMs: durationVar(env, 'HERALD_CONNECT_TIMEOUT', '5s'),
    requestTimeoutMs: durationVar(env, 'HERALD_REQUEST_TIMEOUT', '15s'),
    leaseMs: durationVar(env, 'HERALD_LEASE', '60s'),
    shutdownTimeoutMs: durationVar(env, 'HERALD_SHUTDOWN_TIMEOUT', '30s'),
    sendThreads: intVar(env, 'HERALD_SEND_THREADS', 1, 0, 16),
    incomingAuthFailures: intVar(env, 'HERALD_INCOMING_AUTH_FAILURES', 10, 1, 1_000_000),
    incomingAuthWindowMs: durationVar(env, 'HERALD_INCOMING_AUTH_WINDOW', '1m'),
    maxEventBytes: sizeVar(env, 'HERALD_MAX_EVENT_BYTES', '256KiB', 2, MAX_EVENT_BYTES_CEILING),
    logLevel: env.HERALD_LOG_LEVEL || 'info',
    telemetry,
  };
}

/** Exit code for a configuration error (sysexits EX_CONFIG). */
export const EX_CONFIG = 78;

/** Writes a configuration error, which names its variable, and exits 78; rethrows anything else. */
export function exitOnConfigError(e: unknown): never {
  if (e instanceof ConfigError || (e instanceof Error && /^(HERALD|OTEL)_[A-Z_]+/.test(e.message))) {
    process.stderr.write(`herald: configuration error: ${e.message}\n`);
    process.exit(EX_CONFIG);
  }
  throw e;
}
