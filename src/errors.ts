/**
 * The one error catalogue. Every error a client may see has a stable code and HTTP status; anything else is
 * logged with its context and answered with an opaque 500.
 */
export interface Problem {
  /** JSON pointer into the request body, e.g. `/events/2/action`. */
  path: string;
  message: string;
  allowed?: string[];
}

export const ERROR_CODES = {
  malformed_json: 400,
  bad_request: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  invalid: 422,
  validation_failed: 422,
  rate_limited: 429,
  unavailable: 503,
  internal: 500,
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

export class HeraldError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: Problem[] = [],
  ) {
    super(message);
    this.name = 'HeraldError';
    this.status = ERROR_CODES[code];
  }
}

export function invalid(details: Problem[], message?: string): HeraldError {
  const first = details[0];
  return new HeraldError(
    'invalid',
    message ?? (details.length === 1 && first ? `${first.path || 'body'}: ${first.message}` : `${details.length} problems in the request`),
    details,
  );
}

export function notFound(what: string, id: string): HeraldError {
  return new HeraldError('not_found', `${what} ${id} not found`);
}

export function coerceError(e: unknown): Error {
  return e instanceof Error ? e : new Error(String(e));
}
