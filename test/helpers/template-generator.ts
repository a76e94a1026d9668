import type { Mode } from './go-templates.js';
import { seededRandom } from './seeded-random.js';

/**
 * Seeded random templates and data for the Go differential test. Each case carries the kinds of the
 * pieces it was built from, so a mismatch can be put in a class.
 */

export interface GeneratedCase {
  template: string;
  dataText: string;
  mode: Mode;
  kinds: string[];
}

export const rng = seededRandom;

const NUMBERS = [
  '0', '1', '-1', '5', '42', '-7', '255', '65', '9007199254740993', '1234567890123456789', '-9223372036854775808',
  '9223372036854775807', '18446744073709551616', '1.5', '-2.5', '0.1', '1e21', '1e-7', '1.0', '123456.7', '1e100',
  '0.000001', '-0', '3.14159', '1e3', '5e-324',
];
const STRINGS = ['a', 'Zoë', '日本語', '', 'x y', '<b>&amp;</b>', "it's \"q\"", '\u0005', '\u2028', '😀', 'a+b', '%d', '&lt;', '\t\n', '\u00e9t\u00e9'];
const KEYS = ['a', 'b', 'n', 's', 'f', 'big', 'neg', 'arr', 'm', 'nul', 'u', 'T'];

function pick<T>(r: () => number, xs: readonly T[]): T {
  return xs[Math.floor(r() * xs.length)]!;
}

function jsonValue(r: () => number, depth: number): string {
  const x = r();
  if (depth > 1 || x < 0.35) return pick(r, NUMBERS);
  if (x < 0.6) return JSON.stringify(pick(r, STRINGS));
  if (x < 0.67) return pick(r, ['true', 'false']);
  if (x < 0.72) return 'null';
  if (x < 0.86) {
    const n = Math.floor(r() * 4);
    return '[' + Array.from({ length: n }, () => jsonValue(r, depth + 1)).join(',') + ']';
  }
  return jsonObject(r, depth + 1, 3);
}

function jsonObject(r: () => number, depth: number, max: number): string {
  const n = Math.floor(r() * max) + 1;
  const keys = new Set<string>();
  for (let i = 0; i < n; i++) keys.add(pick(r, KEYS));
  return '{' + [...keys].map((k) => `${JSON.stringify(k)}:${jsonValue(r, depth)}`).join(',') + '}';
}

function data(r: () => number): string {
  // Every case has a few typed fields to aim at, then random ones.
  const fields = new Map<string, string>([
    ['n', pick(r, NUMBERS)],
    ['s', JSON.stringify(pick(r, STRINGS))],
    ['arr', `[${pick(r, NUMBERS)},${JSON.stringify(pick(r, STRINGS))},null,${pick(r, NUMBERS)}]`],
    ['m', jsonObject(r, 1, 3)],
  ]);
  const extra = Math.floor(r() * 4);
  for (let i = 0; i < extra; i++) {
    const key = pick(r, KEYS);
    if (!fields.has(key)) fields.set(key, jsonValue(r, 0));
  }
  return '{' + [...fields].map(([k, v]) => `${JSON.stringify(k)}:${v}`).join(',') + '}';
}

const FIELDS = ['.n', '.s', '.f', '.big', '.neg', '.arr', '.m', '.m.a', '.m.n', '.nul', '.missing', '.a', '.b', '.u', '.T', '.'];
const LITERALS = ['1', '-3', '0x1F', '1.5', '1e3', "'a'", '"str"', '`raw`', 'true', 'nil', '1i', '0i', '-2.5i', '9223372036854775807', '18446744073709551615', '0b101', '0o17', '1_000', "'\\x05'", "'日'"];
// Parse errors end a whole case, so the literals Go refuses appear only alone.
const REFUSED_LITERALS = ['99999999999999999999', '1+2i', '0x', '08'];
const VERBS = 'vvvdsqxXobcUeEfgGtTz%';

function printfFormat(r: () => number): string {
  let out = '';
  const parts = 1 + Math.floor(r() * 2);
  for (let i = 0; i < parts; i++) {
    if (r() < 0.3) out += pick(r, ['x', ' ', '日', '=']);
    out += '%';
    for (const flag of ['-', '+', '#', ' ', '0']) if (r() < 0.15) out += flag;
    if (r() < 0.1) out += `[${1 + Math.floor(r() * 3)}]`;
    if (r() < 0.3) out += r() < 0.15 ? '*' : String(Math.floor(r() * 12));
    if (r() < 0.25) out += '.' + (r() < 0.1 ? '*' : String(Math.floor(r() * 8)));
    out += pick(r, [...VERBS]);
  }
  return out;
}

function operand(r: () => number, mode: Mode): string {
  return r() < 0.7 ? pick(r, FIELDS) : pick(r, LITERALS.filter((l) => mode === 'go' || l !== 'nil'));
}

type Piece = { kind: string; text: string };

function piece(r: () => number, mode: Mode, depth: number): Piece {
  const x = Math.floor(r() * 19);
  const op = () => operand(r, mode);
  switch (x) {
    case 0:
    case 1:
      return { kind: 'field', text: `{{${pick(r, FIELDS)}}}` };
    case 2:
    case 3:
    case 4: {
      const n = Math.floor(r() * 3) + 1;
      const args = Array.from({ length: n }, op).join(' ');
      return { kind: 'printf', text: `{{printf ${JSON.stringify(printfFormat(r))} ${args}}}` };
    }
    case 5:
      return { kind: 'print', text: `{{${pick(r, ['print', 'println'])} ${op()} ${op()}}}` };
    case 6:
      return { kind: 'literal', text: `{{${r() < 0.1 ? pick(r, REFUSED_LITERALS) : pick(r, LITERALS)}}}` };
    case 7:
      return { kind: 'len', text: `{{len ${pick(r, ['.s', '.arr', '.m', '.n', '.missing'])}}}` };
    case 8:
      return { kind: 'index', text: `{{index ${pick(r, ['.arr', '.s', '.m', '.n'])} ${pick(r, ['0', '1', '3', '"a"', '.n', '-1'])}}}` };
    case 9:
      return { kind: 'compare', text: `{{${pick(r, ['eq', 'ne', 'lt', 'le', 'gt', 'ge'])} ${op()} ${op()}}}` };
    case 10:
      if (depth > 1) return { kind: 'field', text: `{{${pick(r, FIELDS)}}}` };
      return { kind: 'if', text: `{{if ${op()}}}${body(r, mode, depth + 1)}{{else}}${body(r, mode, depth + 1)}{{end}}` };
    case 11:
      if (depth > 1) return { kind: 'field', text: '{{.s}}' };
      return { kind: 'range', text: `{{range $i, $v := ${pick(r, ['.arr', '.m', '.s', '.n', '.missing'])}}}[{{$i}}={{$v}}]{{else}}none{{end}}` };
    case 12:
      return { kind: 'with', text: `{{with ${op()}}}<{{.}}>{{end}}`.replace(/[<>]/g, mode === 'go' ? (c) => c : () => '|') };
    case 13:
      return { kind: 'text', text: pick(r, ['Zoë ', '日本 ', '&amp; ', 'a&b ', '\n', 'x', '&#43;', '&copy; ', '&notit; ', '<b>', '</b> ', '<br/>', '1 < 2 ', '&#x80;', '&#0;', '&#128512;', '&lt', '&ampx', '&#xZZ;', '&#xD800;', '&#1114112;', '&NotEqualTilde;', '&frac34x']) };
    case 14:
      return { kind: 'slice', text: `{{slice ${pick(r, ['.s', '.arr'])} ${pick(r, ['0', '1', '2'])}}}` };
    case 15:
      return { kind: 'error-column', text: `${pick(r, ['日本語 ', 'é ', '😀'])}{{${pick(r, ['.s.x', '.nul.x', 'index .n 1', 'len .n'])}}}` };
    case 16:
      return { kind: 'define', text: `{{define "content"}}D{{.n}}{{end}}{{template "content" .}}` };
    case 17:
      if (mode === 'cloudpods') return { kind: 'field', text: '{{.m}}' };
      return { kind: 'escaper', text: `{{${pick(r, ['html', 'js', 'urlquery'])} ${op()}}}` };
    default:
      return { kind: 'pipeline', text: `{{${op()} | printf ${JSON.stringify(printfFormat(r))}}}` };
  }
}

function body(r: () => number, mode: Mode, depth: number): string {
  const n = Math.floor(r() * 2) + 1;
  return Array.from({ length: n }, () => piece(r, mode, depth).text).join('');
}

export function generateCases(seed: number, count: number): GeneratedCase[] {
  const r = rng(seed);
  const out: GeneratedCase[] = [];
  for (let i = 0; i < count; i++) {
    const mode: Mode = i % 2 === 0 ? 'go' : 'cloudpods';
    const pieces = Array.from({ length: 1 + Math.floor(r() * 3) }, () => piece(r, mode, 0));
    out.push({ template: pieces.map((p) => p.text).join(''), dataText: data(r), mode, kinds: [...new Set(pieces.map((p) => p.kind))].sort() });
  }
  return out;
}
