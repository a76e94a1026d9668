import { Type, type TSchema } from '@sinclair/typebox';
import { invalid } from '../errors.js';
import { parseDurationMs } from '../util/duration.js';

/** A string enum that ajv reports with its allowed values (a union of literals would not). */
export const StringEnum = <T extends string>(values: readonly T[], opts: Record<string, unknown> = {}) =>
  Type.Unsafe<T>({ type: 'string', enum: [...values], ...opts });

/** An optional setting that null resets; one enum, so a bad value gets one error naming the allowed values. */
export const NullableEnum = <T extends string>(values: readonly T[]) =>
  Type.Unsafe<T | null>({ type: ['string', 'null'], enum: [...values, null] });

export const ErrorBody = Type.Object({
  error: Type.Object({
    code: Type.String(),
    message: Type.String(),
    details: Type.Array(Type.Object({ path: Type.String(), message: Type.String(), allowed: Type.Optional(Type.Array(Type.String())) })),
  }),
});

export const IdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 100 }) });

export const Page = Type.Object({
  cursor: Type.Optional(Type.String({ maxLength: 100 })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
});

export const listOf = (item: TSchema) => Type.Object({ data: Type.Array(item), next_cursor: Type.Union([Type.String(), Type.Null()]) });

export const Loose = Type.Object({}, { additionalProperties: true });

export const errorResponses = { 400: ErrorBody, 401: ErrorBody, 404: ErrorBody, 409: ErrorBody, 413: ErrorBody, 415: ErrorBody, 422: ErrorBody };

/**
 * A point in time given as an ISO-8601 time or as an age (`30m`, `2h`, `7d`: that long before `now`); answers
 * milliseconds or throws a 422 naming the field.
 */
export function parseSince(value: string | undefined, field = 'since', now = Date.now()): number | undefined {
  if (value === undefined) return undefined;
  const ago = parseDurationMs(value);
  if (ago !== null) return now - ago;
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) {
    throw invalid([{ path: `/${field}`, message: 'must be an ISO-8601 time such as 2026-01-31T12:00:00Z or an age such as 30m, 2h or 7d' }]);
  }
  return ms;
}
