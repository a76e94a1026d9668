/**
 * Cloudpods' wire JSON: compact, object keys sorted byte-wise (UTF-8) at every depth, as Go marshals a
 * map. Receivers check X-Auth-Token against these exact bytes, so every choice below is deliberate:
 * - non-ASCII stays raw and `<`, `>`, `&` are not HTML-escaped;
 * - control characters use `\n`, `\r`, `\t`, `\b`, `\f` or `\u00XX`; U+2028/U+2029 are escaped, as Go does;
 * - a lone surrogate becomes U+FFFD, which is what a Go sender would put on the wire.
 */

/** UTF-8 byte order equals code point order, which differs from JS's UTF-16 order above U+FFFF. */
export function compareUtf8(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const ca = a.codePointAt(i)!;
    const cb = b.codePointAt(i)!;
    if (ca !== cb) return ca - cb;
    if (ca > 0xffff) i++;
  }
  return a.length - b.length;
}

const SHORT_ESCAPES: Record<string, string> = {
  '"': '\\"',
  '\\': '\\\\',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '\b': '\\b',
  '\f': '\\f',
};

// eslint-disable-next-line no-control-regex
const NEEDS_ESCAPE = /["\\\u0000-\u001f\u2028\u2029\ud800-\udfff]/;

export function quoteString(value: string): string {
  if (!NEEDS_ESCAPE.test(value)) return `"${value}"`;
  let out = '"';
  for (let i = 0; i < value.length; i++) {
    const ch = value[i]!;
    const code = value.charCodeAt(i);
    const short = SHORT_ESCAPES[ch];
    if (short !== undefined) out += short;
    else if (code < 0x20 || code === 0x2028 || code === 0x2029) out += '\\u' + code.toString(16).padStart(4, '0');
    else if (code >= 0xd800 && code <= 0xdbff && i + 1 < value.length && isLowSurrogate(value.charCodeAt(i + 1))) {
      out += ch + value[i + 1];
      i++;
    } else if (code >= 0xd800 && code <= 0xdfff) out += '\ufffd';
    else out += ch;
  }
  return out + '"';
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}

/** Serialises JSON-compatible data; `undefined` members are left out, as JSON.stringify does. */
export function sortedJson(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  switch (typeof value) {
    case 'string':
      return quoteString(value);
    case 'number':
      return Number.isFinite(value) ? JSON.stringify(value) : 'null';
    case 'boolean':
      return value ? 'true' : 'false';
    case 'bigint':
      return value.toString();
    case 'object': {
      const withJson = value as { toJSON?: () => unknown };
      if (typeof withJson.toJSON === 'function') return sortedJson(withJson.toJSON());
      if (Array.isArray(value)) {
        return '[' + value.map((item) => (item === undefined ? 'null' : sortedJson(item))).join(',') + ']';
      }
      const record = value as Record<string, unknown>;
      const keys = Object.keys(record)
        .filter((key) => record[key] !== undefined && typeof record[key] !== 'function')
        .sort(compareUtf8);
      return '{' + keys.map((key) => `${quoteString(key)}:${sortedJson(record[key])}`).join(',') + '}';
    }
    default:
      return 'null';
  }
}
