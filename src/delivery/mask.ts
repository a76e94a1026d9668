/**
 * What Herald keeps or shows of a request never holds a credential: attempt snapshots, API output, events and
 * logs see `****` where a secret was.
 */

/** A header or query parameter whose name holds one of these (any case) carries a credential. */
const SECRET_WORDS = ['auth', 'token', 'key', 'secret', 'signature', 'cookie', 'password'];

export const MASK = '****';

export function isSecretName(name: string): boolean {
  const lower = name.toLowerCase();
  return SECRET_WORDS.some((w) => lower.includes(w));
}

/** One header's value as Herald keeps or shows it: the same rule for what it sent and what a receiver answered. */
export function maskHeader(name: string, value: string): string {
  if (!isSecretName(name)) return value;
  return name.toLowerCase() === 'authorization' ? maskAuthorization(value) : MASK;
}

export function maskHeaders(headers: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name in headers) out[name] = maskHeader(name, headers[name]!);
  return out;
}

/** Keeps the scheme (`Bearer`, `Basic`), so the log still shows how the receiver was authenticated. */
function maskAuthorization(value: string): string {
  const space = value.indexOf(' ');
  const scheme = space > 0 ? value.slice(0, space) : '';
  return /^\w+$/.test(scheme) && space < value.length - 1 ? `${scheme} ${MASK}` : MASK;
}

/** scheme://userinfo@ at the start of a URL. */
const USERINFO = /^([a-z][a-z0-9+.-]*:\/\/)([^/?#@]*)@/i;

interface UrlParts {
  userinfo: string | null;
  /** Query parameters, as written: `name=value` split at the first `=`. */
  query: Array<{ name: string; value: string | null }>;
  /** Where the query starts and ends in the URL (the `?` excluded), or null. */
  querySpan: [number, number] | null;
}

function partsOf(url: string): UrlParts {
  const userinfo = USERINFO.exec(url)?.[2] ?? null;
  const q = url.indexOf('?');
  if (q < 0) return { userinfo, query: [], querySpan: null };
  const hash = url.indexOf('#', q);
  const end = hash < 0 ? url.length : hash;
  const query = url
    .slice(q + 1, end)
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      return eq < 0 ? { name: pair, value: null } : { name: pair.slice(0, eq), value: pair.slice(eq + 1) };
    });
  return { userinfo, query, querySpan: [q + 1, end] };
}

function decoded(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return text;
  }
}

/**
 * The URL with its credentials masked: the whole userinfo, and the value of every query parameter whose name says
 * secret (`access_token`, `key`, `sig`nature...). Everything else is kept as written.
 */
export function maskUrl(url: string): string {
  const { userinfo, query, querySpan } = partsOf(url);
  let out = url;
  if (querySpan) {
    const masked = query.map((p) => (p.value !== null && p.value !== '' && isSecretName(decoded(p.name)) ? `${p.name}=${MASK}` : p.value === null ? p.name : `${p.name}=${p.value}`));
    out = out.slice(0, querySpan[0]) + masked.join('&') + out.slice(querySpan[1]);
  }
  if (userinfo !== null && userinfo !== '') out = out.replace(USERINFO, `$1${MASK}@`);
  return out;
}

/** The credentials a URL carries, as written and decoded: for redacting them from text that may echo them. */
export function urlCredentials(url: string): string[] {
  const { userinfo, query } = partsOf(url);
  const out: string[] = [];
  if (userinfo) {
    const colon = userinfo.indexOf(':');
    for (const part of colon < 0 ? [userinfo] : [userinfo.slice(0, colon), userinfo.slice(colon + 1)]) out.push(part, decoded(part));
  }
  for (const p of query) if (p.value && isSecretName(decoded(p.name))) out.push(p.value, decoded(p.value));
  return out;
}

/** Shorter values are not redacted: replacing every `ab` of a receiver's answer would hide it, not a secret. */
const MIN_REDACTED = 4;

/**
 * Replaces each credential in `text` with `****`: as given, JSON-escaped and URL-encoded, since a receiver may
 * echo it in any of these. Longest first, so a value that contains another is masked whole.
 */
export function makeRedactor(credentials: Iterable<string>): (text: string) => string {
  const forms = new Set<string>();
  for (const c of credentials) {
    if (c.length < MIN_REDACTED) continue;
    forms.add(c);
    forms.add(JSON.stringify(c).slice(1, -1));
    forms.add(encodeURIComponent(c));
  }
  const list = [...forms].sort((a, b) => b.length - a.length);
  if (list.length === 0) return (text) => text;
  return (text) => {
    let out = text;
    for (const f of list) if (out.includes(f)) out = out.split(f).join(MASK);
    return out;
  };
}
