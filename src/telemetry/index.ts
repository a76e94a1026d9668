import type { Logger } from 'pino';
import type { TelemetrySettings } from './settings.js';

/**
 * The one door from Herald to tracing. The rest of Herald speaks only to this facade; the OpenTelemetry SDK
 * lives in ./otel.js, which is imported only when tracing is configured. Off, Herald holds no Telemetry at all
 * (callers check `ctx.telemetry` once per publish, attempt or callback), so no SDK code is ever loaded.
 */
export interface Telemetry {
  /** Opens the span of one publish request; `traceparent` is the header it came with, if any. */
  startPublish(traceparent: string | string[] | undefined): PublishTrace;
  /** One delivery attempt, recorded after the fact with the times it ran. */
  attempt(a: AttemptTrace): void;
  /** One incoming callback, recorded after its answer was sent. */
  incoming(i: IncomingTrace): void;
  /** Sends what is still batched and stops. */
  shutdown(): Promise<void>;
}

export interface PublishTrace {
  /** The publish span's context, stored with the messages so their attempts join its trace. */
  readonly traceparent: string;
  published(r: { events: { type: string; tenant?: string | undefined }[]; messageIds: string[]; deliveries: number }): void;
  failed(error: unknown): void;
}

export interface AttemptTrace {
  startMs: number;
  endMs: number;
  /** The stored context of the publish that made the message; null for messages published without tracing. */
  parent: string | null;
  /** The span id the attempt's outgoing `traceparent` named, when it sent one: the span is given that id. */
  spanId: string | null;
  messageId: string;
  deliveryId: string;
  endpointId: string;
  format: string;
  attempt: number;
  statusCode: number | null;
  errorClass: string | null;
  /** What the delivery became: succeeded, pending (to be retried) or failed. */
  status: string;
}

export interface IncomingTrace {
  startMs: number;
  endMs: number;
  /** The `traceparent` header the callback came with, if any: the span's parent. */
  traceparent: string | string[] | undefined;
  endpointId: string | null;
  sourceMessageId: string | null;
  /** The stored context of the message the callback answers: linked, since the callback starts its own work. */
  sourceTraceparent: string | null;
  statusCode: number;
  outcome: string | null;
}

/** Tracing as configured, or undefined when it is off. The SDK is loaded here and only here. */
export async function startTelemetry(settings: TelemetrySettings | null, log: Logger): Promise<Telemetry | undefined> {
  if (settings === null) return undefined;
  const { startOtel } = await import('./otel.js');
  const telemetry = startOtel(settings, log);
  log.info({ traces_url: settings.tracesUrl, protocol: settings.protocol, service: settings.serviceName }, 'exporting traces over OTLP/HTTP');
  return telemetry;
}

export { telemetrySettings, TelemetrySettingError, type TelemetrySettings } from './settings.js';
export { childTraceparent, newSpanId, parseTraceparent } from './traceparent.js';
