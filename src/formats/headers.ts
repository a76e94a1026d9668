/**
 * Extra headers an operator sets on an endpoint. Some names carry Herald's own meaning (the body's type,
 * credentials, signatures, framing); an extra header with such a name could forge or break a request,
 * so the API refuses them and rendering ignores them should one ever reach it.
 */

const RESERVED = new Set([
  'content-type',
  'content-length',
  'transfer-encoding',
  'connection',
  'host',
  'authorization',
  'x-auth-token',
]);

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/** Why `name` cannot be an extra header, or null when it can. */
export function reservedHeaderProblem(name: string): string | null {
  if (name.length === 0) return 'header name must not be empty';
  if (!TOKEN.test(name)) return `header name ${JSON.stringify(name)} is not a valid HTTP header name`;
  const lower = name.toLowerCase();
  if (RESERVED.has(lower) || lower.startsWith('webhook-')) {
    return `header ${JSON.stringify(name)} is set by Herald and cannot be overridden`;
  }
  return null;
}

/** Why `value` cannot be sent as a header value (line breaks would split the request), or null. */
export function headerValueProblem(value: string): string | null {
  // eslint-disable-next-line no-control-regex
  if (/[\r\n\0]/.test(value)) return 'header value must not contain line breaks or NUL';
  return null;
}

/** Go's http.CanonicalHeaderKey, which Cloudpods applies: `x-foo-bar` -> `X-Foo-Bar`. */
export function canonicalHeaderName(name: string): string {
  if (!TOKEN.test(name)) return name;
  return name
    .split('-')
    .map((part) => (part.length === 0 ? part : part[0]!.toUpperCase() + part.slice(1).toLowerCase()))
    .join('-');
}

/**
 * Lays extra headers over `base`. An extra header replaces a base header of the same name in any case
 * (HTTP names are case-insensitive, and two spellings would send the header twice); reserved or malformed
 * extras are skipped.
 */
export function withExtraHeaders(
  base: Record<string, string>,
  extra: Record<string, string>,
  rename: (name: string) => string = (name) => name,
): Record<string, string> {
  const out: Record<string, string> = { ...base };
  for (const [rawName, value] of Object.entries(extra)) {
    if (typeof value !== 'string' || reservedHeaderProblem(rawName) !== null || headerValueProblem(value) !== null) {
      continue;
    }
    const name = rename(rawName);
    for (const existing of Object.keys(out)) {
      if (existing.toLowerCase() === name.toLowerCase()) delete out[existing];
    }
    out[name] = value;
  }
  return out;
}
