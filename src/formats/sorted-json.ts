import { JsonNumber } from '../util/lossless-json.js';

/**
 * Cloudpods' wire JSON, as its serializer (yunion jsonutils) writes a value: compact, object keys sorted
 * byte-wise (UTF-8) at every depth. Receivers check X-Auth-Token against these exact bytes, so every choice
 * below is deliberate:
 * - non-ASCII stays raw (U+2028 and U+2029 too) and `<`, `>`, `&` are not HTML-escaped;
 * - control characters use `\n`, `\r`, `\t`, `\b`, `\f` or `\u00XX`;
 * - a lone surrogate becomes U+FFFD, which is what a Go sender would put on the wire;
 * - numbers are spelled as jsonutils spells what it parsed (see jsonutilsNumber).
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
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;

export function quoteString(value: string): string {
  if (!NEEDS_ESCAPE.test(value)) return `"${value}"`;
  let out = '"';
  for (let i = 0; i < value.length; i++) {
    const ch = value[i]!;
    const code = value.charCodeAt(i);
    const short = SHORT_ESCAPES[ch];
    if (short !== undefined) out += short;
    else if (code < 0x20) out += '\\u' + code.toString(16).padStart(4, '0');
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

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const JSON_INTEGER = /^-?\d+$/;

/**
 * A JSON number as jsonutils writes it back: a literal that fits int64 becomes that integer (`-0` is `0`);
 * any other is read as the nearest double and written in plain decimal with the fewest digits that read back
 * to it (Go's FormatFloat 'f', -1), so `1e+21` is `1000000000000000000000` and `1.50` is `1.5`. A literal beyond
 * the doubles' range is kept by jsonutils as the string it was, and so is it here.
 */
export function jsonutilsNumber(text: string): string {
  if (JSON_INTEGER.test(text)) {
    const n = BigInt(text);
    if (n >= INT64_MIN && n <= INT64_MAX) return n.toString();
  }
  const value = Number(text);
  if (!Number.isFinite(value)) return quoteString(text);
  return plainDecimal(value);
}

/** The shortest round-trip digits of a double (as JavaScript and Go both find them), without an exponent. */
function plainDecimal(value: number): string {
  if (value === 0) return Object.is(value, -0) ? '-0' : '0';
  const [mantissa, exp] = value.toExponential().split('e') as [string, string];
  const negative = mantissa.startsWith('-');
  const digits = mantissa.replace('-', '').replace('.', '');
  const point = Number(exp) + 1; // digits before the decimal point
  let out: string;
  if (point <= 0) out = '0.' + '0'.repeat(-point) + digits;
  else if (point >= digits.length) out = digits + '0'.repeat(point - digits.length);
  else out = digits.slice(0, point) + '.' + digits.slice(point);
  return negative ? '-' + out : out;
}

/** Serialises JSON-compatible data; `undefined` members are left out, as JSON.stringify does. */
export function sortedJson(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  switch (typeof value) {
    case 'string':
      return quoteString(value);
    case 'number':
      return Number.isFinite(value) ? jsonutilsNumber(JSON.stringify(value)) : 'null';
    case 'boolean':
      return value ? 'true' : 'false';
    case 'bigint':
      return value.toString();
    case 'object': {
      if (value instanceof JsonNumber) return jsonutilsNumber(value.text);
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
