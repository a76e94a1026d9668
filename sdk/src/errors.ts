/** One problem with a request, as Herald lists them: a JSON pointer, what is wrong, and the allowed values. */
export interface Problem {
  path: string;
  message: string;
  allowed?: string[];
}

/**
 * Every refusal from Herald, and every failure to reach it. `code` is Herald's stable error code
 * (`invalid`, `not_found`, `unauthorized`...), or `unreachable` when no answer came; `status` is the HTTP status
 * (0 when there was none); `details` lists each problem Herald named.
 */
export class HeraldError extends Error {
  constructor(
    readonly code: string,
    readonly status: number,
    message: string,
    readonly details: Problem[] = [],
  ) {
    super(message);
    this.name = 'HeraldError';
  }
}

function isProblem(v: unknown): v is Problem {
  return typeof v === 'object' && v !== null && typeof (v as Problem).path === 'string' && typeof (v as Problem).message === 'string';
}

/** A HeraldError from an answer's status and body, whether or not the body is Herald's `{error: {...}}`. */
export function errorFromAnswer(status: number, body: unknown): HeraldError {
  const error = typeof body === 'object' && body !== null ? (body as { error?: unknown }).error : undefined;
  if (typeof error === 'object' && error !== null) {
    const e = error as { code?: unknown; message?: unknown; details?: unknown };
    const details = Array.isArray(e.details) ? e.details.filter(isProblem) : [];
    return new HeraldError(typeof e.code === 'string' ? e.code : `http_${status}`, status, typeof e.message === 'string' ? e.message : `HTTP ${status}`, details);
  }
  // Something other than Herald answered (a proxy, a load balancer): keep what it said, shortened.
  const text = typeof body === 'string' ? body.slice(0, 200) : '';
  return new HeraldError(`http_${status}`, status, `HTTP ${status}${text ? `: ${text}` : ''}`);
}
