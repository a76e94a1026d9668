/**
 * The OpenTelemetry SDK behind the facade (./index.js): a tracer provider of its own (never registered as the
 * process's global, so several Heralds in one process keep apart), a batch span processor and an OTLP/HTTP
 * exporter in the protocol asked for. Spans are created with explicit parents read from stored `traceparent`
 * values, so no context manager is needed.
 */
import { diag, DiagLogLevel, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Attributes, type Context, type Link, type Span } from '@opentelemetry/api';
import { OTLPTraceExporter as JsonExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as ProtobufExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { detectResources, envDetector, resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, BatchSpanProcessor, type IdGenerator } from '@opentelemetry/sdk-trace-base';
import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import type { AttemptTrace, IncomingTrace, PublishTrace, Telemetry } from './index.js';
import type { TelemetrySettings } from './settings.js';
import { formatTraceparent, newSpanId, parseTraceparent } from './traceparent.js';

/**
 * Random ids, except that the next span may be given the id an attempt already sent in its `traceparent`
 * header: the receiver's spans then hang under the attempt's span. Spans are started synchronously right
 * after the id is set, so no other span can take it.
 */
class Ids implements IdGenerator {
  next: string | null = null;
  generateTraceId(): string {
    return randomBytes(16).toString('hex');
  }
  generateSpanId(): string {
    const id = this.next;
    this.next = null;
    return id ?? newSpanId();
  }
}

/** A stored or received `traceparent` as a remote parent; ROOT when there is none or it is malformed. */
function contextOf(traceparent: string | string[] | null | undefined): Context {
  const tp = parseTraceparent(traceparent);
  if (tp === null) return ROOT_CONTEXT;
  return trace.setSpanContext(ROOT_CONTEXT, { traceId: tp.traceId, spanId: tp.spanId, traceFlags: tp.flags, isRemote: true });
}

function linkTo(traceparent: string | null): Link[] {
  const tp = parseTraceparent(traceparent);
  return tp === null ? [] : [{ context: { traceId: tp.traceId, spanId: tp.spanId, traceFlags: tp.flags, isRemote: true } }];
}

/** One value when all agree, else the distinct values: a batch of one type reads like a single event. */
function distinct(values: string[]): string | string[] {
  const set = [...new Set(values)];
  return set.length === 1 ? set[0]! : set;
}

function errorType(e: unknown): string {
  const code = (e as { code?: unknown })?.code;
  if (typeof code === 'string') return code;
  return e instanceof Error ? e.name : 'Error';
}

function statusOf(e: unknown): number | undefined {
  const s = (e as { statusCode?: unknown; status?: unknown })?.statusCode ?? (e as { status?: unknown })?.status;
  return typeof s === 'number' ? s : undefined;
}

export function startOtel(settings: TelemetrySettings, log: Logger): Telemetry {
  // The SDK says why an export failed (a collector away, a refused batch) through its diagnostic logger, which
  // is silent unless set. Only warnings and errors reach Herald's log; the logger is the process's one.
  const say = (level: 'warn' | 'error') => (message: string, ...args: unknown[]) => log[level]({ otel: args.map(String) }, `tracing: ${message}`);
  diag.setLogger({ error: say('error'), warn: say('warn'), info: () => {}, debug: () => {}, verbose: () => {} }, { logLevel: DiagLogLevel.WARN, suppressOverrideMessage: true });
  const ids = new Ids();
  const Exporter = settings.protocol === 'http/json' ? JsonExporter : ProtobufExporter;
  const provider = new BasicTracerProvider({
    resource: detectResources({ detectors: [envDetector] }).merge(resourceFromAttributes({ 'service.name': settings.serviceName })),
    idGenerator: ids,
    spanProcessors: [new BatchSpanProcessor(new Exporter({ url: settings.tracesUrl }), { scheduledDelayMillis: settings.scheduleDelayMs })],
  });
  const tracer = provider.getTracer('herald');

  function startAt(name: string, kind: SpanKind, startMs: number, attributes: Attributes, parent: Context, links: Link[] = [], spanId: string | null = null): Span {
    ids.next = spanId;
    const span = tracer.startSpan(name, { kind, startTime: new Date(startMs), attributes, links }, parent);
    ids.next = null;
    return span;
  }

  return {
    startPublish(header): PublishTrace {
      const span = tracer.startSpan(
        'POST /v1/events',
        { kind: SpanKind.SERVER, attributes: { 'http.request.method': 'POST', 'http.route': '/v1/events' } },
        contextOf(header),
      );
      const sc = span.spanContext();
      return {
        traceparent: formatTraceparent({ traceId: sc.traceId, spanId: sc.spanId, flags: sc.traceFlags }),
        published({ events, messageIds, deliveries }) {
          span.setAttributes({
            'http.response.status_code': 202,
            'herald.event.type': distinct(events.map((e) => e.type)),
            'herald.tenant': distinct(events.map((e) => e.tenant ?? 'default')),
            'herald.events': events.length,
            'herald.message.ids': messageIds,
            'herald.deliveries': deliveries,
          });
          if (messageIds.length === 1) span.setAttribute('herald.message.id', messageIds[0]!);
          span.end();
        },
        failed(error) {
          const status = statusOf(error);
          span.setAttributes({ 'error.type': errorType(error), ...(status !== undefined ? { 'http.response.status_code': status } : {}) });
          span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
          span.end();
        },
      };
    },

    attempt(a: AttemptTrace): void {
      const attributes: Attributes = {
        'http.request.method': 'POST',
        'herald.message.id': a.messageId,
        'herald.delivery.id': a.deliveryId,
        'herald.endpoint.id': a.endpointId,
        'herald.endpoint.format': a.format,
        'herald.attempt': a.attempt,
        'herald.delivery.status': a.status,
      };
      if (a.statusCode !== null) attributes['http.response.status_code'] = a.statusCode;
      if (a.errorClass !== null) attributes['error.type'] = a.errorClass;
      const span = startAt('deliver', SpanKind.CLIENT, a.startMs, attributes, contextOf(a.parent), [], a.spanId);
      if (a.status !== 'succeeded') span.setStatus({ code: SpanStatusCode.ERROR, ...(a.errorClass ? { message: a.errorClass } : {}) });
      span.end(new Date(Math.max(a.startMs, a.endMs)));
    },

    incoming(i: IncomingTrace): void {
      const attributes: Attributes = { 'http.request.method': 'POST', 'http.route': '/v1/incoming', 'http.response.status_code': i.statusCode };
      if (i.endpointId !== null) attributes['herald.endpoint.id'] = i.endpointId;
      if (i.sourceMessageId !== null) attributes['herald.message.id'] = i.sourceMessageId;
      if (i.outcome !== null) attributes['herald.incoming.outcome'] = i.outcome;
      const span = startAt('POST /v1/incoming', SpanKind.SERVER, i.startMs, attributes, contextOf(i.traceparent), linkTo(i.sourceTraceparent));
      if (i.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
      span.end(new Date(Math.max(i.startMs, i.endMs)));
    },

    shutdown: () => provider.shutdown(),
  };
}
