/** Headers whose values are credentials: the attempt log keeps their names, never their values. */
const SECRET_HEADERS = new Set(['authorization', 'x-auth-token', 'webhook-signature', 'proxy-authorization', 'cookie']);

export function maskHeaders(headers: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (!SECRET_HEADERS.has(name.toLowerCase())) out[name] = value;
    else if (name.toLowerCase() === 'authorization') out[name] = value.replace(/^(\w+)\s.*$/, '$1 ****');
    else out[name] = '****';
  }
  return out;
}
