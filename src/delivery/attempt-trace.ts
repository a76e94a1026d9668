import type { MessageView } from '../formats/types.js';
import type { AttemptOutcome } from '../store/queries/record-outcomes.js';
import type { Telemetry } from '../telemetry/index.js';

/**
 * An attempt's span, from its outcome: attempts run on send threads, so the span is made here on the main
 * thread after the fact, with the times the attempt recorded (its start, and the send's duration).
 */
export function traceAttempt(telemetry: Telemetry, message: MessageView, format: string, outcome: AttemptOutcome): void {
  const a = outcome.attempt;
  telemetry.attempt({
    startMs: a.at,
    endMs: a.at + (a.duration_ms ?? 0),
    parent: message.traceparent ?? null,
    spanId: outcome.sentSpanId ?? null,
    messageId: message.id,
    deliveryId: outcome.deliveryId,
    endpointId: outcome.endpointId,
    format,
    attempt: a.attempt,
    statusCode: a.status_code ?? null,
    errorClass: a.error_class ?? null,
    status: outcome.status,
  });
}
