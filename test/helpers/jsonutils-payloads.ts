import { seededRandom } from './seeded-random.js';
/**
 * Seeded random Cloudpods payloads, as JSON text (not values) so every number spelling and string escape a
 * publisher may use is covered. Each payload starts with {"case": i, ...} so a receiver can tell them apart;
 * each case lists the classes of value it holds. NUL is left out: Herald refuses it (unstorable text), so no
 * publisher can send it.
 */
export interface JsonutilsPayload {
  text: string;
  classes: Set<string>;
}

const rng = seededRandom;

export function jsonutilsPayloads(seed: number): (i: number) => JsonutilsPayload {
  const r = rng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const digits = (n: number) => Array.from({ length: n }, (_, i) => String(i === 0 ? 1 + Math.floor(r() * 9) : Math.floor(r() * 10))).join('');
  let classes = new Set<string>();
  const numbers: Array<[string, () => string]> = [
    ['int-small', () => String(Math.floor(r() * 2000) - 1000)],
    ['int-beyond-2^53', () => (r() < 0.5 ? '-' : '') + digits(16 + Math.floor(r() * 3))],
    ['int64-edge', () => pick(['9223372036854775807', '-9223372036854775808', '9007199254740993', '-9007199254740993'])],
    ['int-beyond-int64', () => pick(['9223372036854775808', '-9223372036854775809']) + (r() < 0.5 ? '' : digits(3))],
    ['minus-zero', () => pick(['-0', '-0.0', '0.0', '-0e0', '0E+0'])],
    ['fraction', () => `${Math.floor(r() * 100)}.${digits(1 + Math.floor(r() * 17))}`],
    ['trailing-zero', () => pick(['1.0', '1.50', '2.000', '100.10'])],
    ['exp-large', () => `${digits(1 + Math.floor(r() * 4))}${pick(['e', 'E'])}${pick(['', '+'])}${15 + Math.floor(r() * 300)}`],
    ['exp-small', () => `${digits(1 + Math.floor(r() * 4))}${pick(['e', 'E'])}-${1 + Math.floor(r() * 320)}`],
    ['exp-overflow', () => pick(['1e400', '-2E+999', '1.8e308'])],
    ['double-edge', () => pick(['5e-324', '2.2250738585072014e-308', '1.7976931348623157e308', '0.1', '0.30000000000000004', '123456789012345678901234567890'])],
  ];
  const chars: Array<[string, () => string]> = [
    ['ascii', () => pick(['a', 'Z', ' ', '~', '<', '>', '&', "'"])],
    ['quote-backslash', () => pick(['\\"', '\\\\'])],
    ['short-escape', () => pick(['\\n', '\\r', '\\t', '\\b', '\\f', '\\/'])],
    ['control-u-escape', () => '\\u00' + pick(['01', '07', '0b', '0e', '1f', '1b'])],
    ['u-escape-bmp', () => '\\u' + pick(['00e9', '4e2d', 'FFFF', '0041', '007f', '00A0'])],
    ['line-separators', () => pick(['\u2028', '\u2029', '\\u2028', '\\u2029'])],
    ['script-close', () => '</script>'],
    ['non-ascii', () => pick(['é', '中', '😀', '\u007f', '\u0085', '\ufeff', 'ß'])],
  ];
  const str = (): string => {
    let s = '"';
    const n = Math.floor(r() * 6);
    for (let i = 0; i < n; i++) {
      const [name, f] = pick(chars);
      classes.add(`string:${name}`);
      s += f();
    }
    return s + '"';
  };
  const keys = ['a', 'B', 'b', 'A', '_', 'é', 'É', '中', '😀', 'ｚ', '10', '2', 'a b', 'Msg'];
  const key = (): string => (r() < 0.7 ? JSON.stringify(pick(keys)) : str());
  const value = (depth: number): string => {
    const roll = r();
    if (roll < 0.35) {
      const [name, f] = pick(numbers);
      classes.add(`number:${name}`);
      return f();
    }
    if (roll < 0.6) return str();
    if (roll < 0.68) {
      classes.add('literal');
      return pick(['true', 'false', 'null']);
    }
    if (depth >= 3) return '1';
    if (roll < 0.84) {
      classes.add('array');
      return `[${Array.from({ length: Math.floor(r() * 4) }, () => value(depth + 1)).join(pick([',', ' , ']))}]`;
    }
    return object(depth + 1);
  };
  const object = (depth: number): string => {
    classes.add('object');
    const members = Array.from({ length: Math.floor(r() * 5) }, () => `${key()}:${value(depth)}`);
    return `{${members.join(',')}}`;
  };
  return (i: number) => {
    classes = new Set();
    const members = Array.from({ length: 1 + Math.floor(r() * 5) }, () => `${key()}: ${value(1)}`);
    return { text: `{"case":${i},${members.join(', ')}}`, classes };
  };
}
