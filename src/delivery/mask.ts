/** Headers whose values are credentials: the attempt log keeps their names, never their values. */
const SECRET_HEADERS = new Set(['authorization', 'x-auth-token', 'webhook-signature', 'proxy-authorization', 'cookie']);

export function maskHeaders(headers: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name in headers) {
    const value = headers[name]!;
    const lower = name.toLowerCase();
    if (!SECRET_HEADERS.has(lower)) out[name] = value;
    else if (lower === 'authorization') out[name] = maskAuthorization(value);
    else out[name] = '****';
  }
  return out;
}

/** Keeps the scheme (`Bearer`, `Basic`), so the log still shows how the receiver was authenticated. */
function maskAuthorization(value: string): string {
  const space = value.indexOf(' ');
  const scheme = space > 0 ? value.slice(0, space) : '';
  return /^\w+$/.test(scheme) && space < value.length - 1 ? `${scheme} ****` : '****';
}
