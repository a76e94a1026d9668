/**
 * Whether traces are exported, read from the standard OpenTelemetry variables. Pure: the environment is an
 * argument. Tracing is off unless an OTLP endpoint is named; OTEL_SDK_DISABLED=true and OTEL_TRACES_EXPORTER=none
 * turn it off whatever else is set. Everything else the SDK reads itself (headers, timeouts, the sampler).
 */
export type OtlpProtocol = 'http/protobuf' | 'http/json';

export interface TelemetrySettings {
  /** Where spans are posted: the traces endpoint as given, or the base endpoint with `/v1/traces`. */
  tracesUrl: string;
  protocol: OtlpProtocol;
  serviceName: string;
  /** OTEL_BSP_SCHEDULE_DELAY: how long finished spans wait to be sent in one batch. */
  scheduleDelayMs: number;
}

/** Raised for a variable that is set to something tracing cannot work with; the message names it. */
export class TelemetrySettingError extends Error {
  constructor(
    readonly variable: string,
    message: string,
  ) {
    super(`${variable}: ${message}`);
    this.name = 'TelemetrySettingError';
  }
}

type Env = Record<string, string | undefined>;

const PROTOCOLS: readonly OtlpProtocol[] = ['http/protobuf', 'http/json'];
const DEFAULT_SCHEDULE_DELAY_MS = 5000;

function set(env: Env, name: string): string | undefined {
  const v = env[name]?.trim();
  return v ? v : undefined;
}

function httpUrl(name: string, raw: string): string {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    throw new TelemetrySettingError(name, `must be an http(s) URL, got "${raw}"`);
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new TelemetrySettingError(name, `must be an http(s) URL, got "${raw}"`);
  return raw;
}

/** The settings tracing runs with, or null when it is off. */
export function telemetrySettings(env: Env): TelemetrySettings | null {
  const disabled = set(env, 'OTEL_SDK_DISABLED');
  if (disabled !== undefined && !['true', 'false'].includes(disabled.toLowerCase())) {
    throw new TelemetrySettingError('OTEL_SDK_DISABLED', `must be true or false, got "${disabled}"`);
  }
  if (disabled?.toLowerCase() === 'true') return null;
  const exporters = (set(env, 'OTEL_TRACES_EXPORTER') ?? 'otlp').split(',').map((s) => s.trim().toLowerCase());
  for (const e of exporters) {
    if (e !== 'otlp' && e !== 'none') throw new TelemetrySettingError('OTEL_TRACES_EXPORTER', `must be otlp or none (Herald exports traces over OTLP/HTTP only), got "${e}"`);
  }
  if (!exporters.includes('otlp')) return null;
  const traces = set(env, 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT');
  const base = set(env, 'OTEL_EXPORTER_OTLP_ENDPOINT');
  let tracesUrl: string;
  if (traces !== undefined) tracesUrl = httpUrl('OTEL_EXPORTER_OTLP_TRACES_ENDPOINT', traces);
  else if (base !== undefined) tracesUrl = `${httpUrl('OTEL_EXPORTER_OTLP_ENDPOINT', base).replace(/\/+$/, '')}/v1/traces`;
  else return null;
  const protocolVar = set(env, 'OTEL_EXPORTER_OTLP_TRACES_PROTOCOL') !== undefined ? 'OTEL_EXPORTER_OTLP_TRACES_PROTOCOL' : 'OTEL_EXPORTER_OTLP_PROTOCOL';
  const protocol = set(env, protocolVar) ?? 'http/protobuf';
  if (!PROTOCOLS.includes(protocol as OtlpProtocol)) {
    throw new TelemetrySettingError(protocolVar, `must be one of ${PROTOCOLS.join(', ')} (Herald exports over OTLP/HTTP), got "${protocol}"`);
  }
  const delay = set(env, 'OTEL_BSP_SCHEDULE_DELAY');
  let scheduleDelayMs = DEFAULT_SCHEDULE_DELAY_MS;
  if (delay !== undefined) {
    if (!/^\d+$/.test(delay) || Number(delay) > 3_600_000) {
      throw new TelemetrySettingError('OTEL_BSP_SCHEDULE_DELAY', `must be a whole number of milliseconds between 0 and 3600000, got "${delay}"`);
    }
    scheduleDelayMs = Number(delay);
  }
  return { tracesUrl, protocol: protocol as OtlpProtocol, serviceName: set(env, 'OTEL_SERVICE_NAME') ?? resourceServiceName(env) ?? 'herald', scheduleDelayMs };
}

/** `service.name` from OTEL_RESOURCE_ATTRIBUTES (`key=value,...`, values percent-encoded): it wins over the default. */
function resourceServiceName(env: Env): string | undefined {
  for (const pair of (set(env, 'OTEL_RESOURCE_ATTRIBUTES') ?? '').split(',')) {
    const eq = pair.indexOf('=');
    if (eq > 0 && pair.slice(0, eq).trim() === 'service.name') {
      try {
        const v = decodeURIComponent(pair.slice(eq + 1).trim());
        if (v) return v;
      } catch {
        /* a malformed value is ignored, as the SDK ignores it */
      }
    }
  }
  return undefined;
}
