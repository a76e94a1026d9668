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



const errorOf = (code: string, message: string, details: Array<{ path: string; message: string; allowed?: string[] }> = []) => ({ error: { code, message, details } });

/** Each error status as the document shows it: what it means and an answer as Herald gives it. */
const ERROR_DOCS = {
  400: ['The body is not JSON', errorOf('malformed_json', 'malformed JSON at position 17 (line 1, column 18): Unexpected token }')],
  401: ['No admin token, or not the right one', errorOf('unauthorized', 'expected `Authorization: Bearer <token>`, got a value without a scheme')],
  403: ['An API key without the scope this operation needs, or one that needs the admin token', errorOf('forbidden', 'this key lacks the scope endpoints:write')],
  404: ['Nothing has that id', errorOf('not_found', 'endpoint ep_01M8RPCTYR7YRHH9PV3WT5TRXP not found')],
  409: ['Conflicts with what exists (a name taken, a delivery being sent)', errorOf('conflict', 'a topic named "servers" already exists (top_01M8RPCV5HDZJCC7FD6698B38X)')],
  413: ['The body is larger than the limit', errorOf('payload_too_large', 'request body is larger than the 16384 KiB limit')],
  415: ['The body is not application/json', errorOf('unsupported_media_type', 'unsupported content type "text/plain"; send application/json')],
  422: [
    'The request is understood but invalid: every problem is listed, each with the field it concerns',
    errorOf('invalid', '2 problems in the request', [
      { path: '/format', message: 'must be one of strigo, cloudpods, standard', allowed: ['strigo', 'cloudpods', 'standard'] },
      { path: '/url', message: 'scheme ftp is not allowed (only http and https)' },
    ]),
  ],
  429: ['Too many failed authentications from this address; see Retry-After', errorOf('rate_limited', 'too many failed callback authentications from this address; try again in 42 s')],
} as const;

export type ErrorStatus = keyof typeof ERROR_DOCS;

/** The error responses of an operation, documented with the error body and an example each. */
export function errorsFor(...statuses: ErrorStatus[]): Record<number, TSchema> {
  // Whatever needs a credential may also meet an API key that lacks the scope it needs.
  const all = statuses.includes(401) && !statuses.includes(403) ? [...statuses, 403 as const] : statuses;
  return Object.fromEntries(all.map((s) => [s, { ...ErrorBody, description: ERROR_DOCS[s][0], examples: [ERROR_DOCS[s][1]] }]));
}

/** The errors of an operation that takes a JSON body. */
export const errorResponses = errorsFor(400, 401, 404, 409, 413, 415, 422);

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
