import { randomBytes } from 'node:crypto';

/**
 * W3C Trace Context `traceparent` values (version 00): `00-<32 hex trace id>-<16 hex parent id>-<2 hex flags>`.
 * Pure apart from the random span ids: no OpenTelemetry code, so the delivery path can use it when tracing is off.
 */
export interface TraceParent {
  traceId: string;
  spanId: string;
  /** The trace flags byte; bit 0 is `sampled`. */
  flags: number;
}

const TRACEPARENT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?$/;

/**
 * A received header, or null when it is absent or malformed (the spec says to ignore it then, never to refuse
 * the request). Versions after 00 are read by their 00 prefix, as the spec asks; version ff and all-zero ids are invalid.
 */
export function parseTraceparent(value: string | string[] | undefined | null): TraceParent | null {
  if (typeof value !== 'string') return null;
  const m = TRACEPARENT.exec(value.trim());
  if (!m) return null;
  const [, version, traceId, spanId, flags, rest] = m as unknown as [string, string, string, string, string, string | undefined];
  if (version === 'ff' || (version === '00' && rest !== undefined)) return null;
  if (/^0+$/.test(traceId) || /^0+$/.test(spanId)) return null;
  return { traceId, spanId, flags: parseInt(flags, 16) };
}

export function formatTraceparent(tp: TraceParent): string {
  return `00-${tp.traceId}-${tp.spanId}-${(tp.flags & 0xff).toString(16).padStart(2, '0')}`;
}

/** A fresh span id: 8 random bytes, never all zero. */
export function newSpanId(): string {
  for (;;) {
    const id = randomBytes(8).toString('hex');
    if (id !== '0000000000000000') return id;
  }
}

/** The header a request sent under `parent` carries: the same trace, a new span id naming the sending span. */
export function childTraceparent(parent: string, spanId: string = newSpanId()): string | null {
  const tp = parseTraceparent(parent);
  return tp === null ? null : formatTraceparent({ ...tp, spanId });
}
