import { compareUtf8 } from '../sorted-json.js';
import { formatValue, isPrint, sprint, sprintf, sprintln } from './go-fmt.js';
import { GoComplex, GoFloat, GoInt, int, isTrue, kindOf, typeName, utf8Length, type GoMap, type GoValue } from './values.js';

/**
 * text/template's built-in functions. Argument kinds mirror the Go signatures, because the evaluator
 * treats them differently: `value` (reflect.Value) sees values as they are, `any` (interface{}) turns
 * a missing value into nil, `string` requires a string.
 */

export type ArgType = 'value' | 'any' | 'string';

export interface Builtin {
  fixed: ArgType[];
  variadic: ArgType | null;
  fn: (args: GoValue[]) => GoValue;
}

/** An error a builtin reports; the evaluator prefixes `error calling <name>: `. */
export class CallError extends Error {}

const ERR_BAD_COMPARISON_TYPE = 'invalid type for comparison';
const ERR_BAD_COMPARISON = 'incompatible types for comparison';
const ERR_NO_COMPARISON = 'missing argument for comparison';

type BasicKind = 'invalid' | 'bool' | 'int' | 'float' | 'complex' | 'string';

// Go tells signed from unsigned kinds here but compares them by value, so one 'int' kind gives the same answers.
function basicKind(v: GoValue): BasicKind {
  const k = kindOf(v);
  return k === 'bool' || k === 'int' || k === 'float' || k === 'complex' || k === 'string' ? k : 'invalid';
}

function isAbsent(v: GoValue): boolean {
  return v === undefined || v === null;
}

function numberOf(v: GoValue): number | bigint {
  if (v instanceof GoInt) return v.value;
  return (v as GoFloat).value;
}

function sameValue(a: GoValue, b: GoValue): boolean {
  if (a instanceof GoInt || a instanceof GoFloat) return numberOf(a) === numberOf(b);
  if (a instanceof GoComplex) return a.re === (b as GoComplex).re && a.im === (b as GoComplex).im;
  return a === b;
}

function eq(args: GoValue[]): boolean {
  const [first, ...rest] = args;
  if (rest.length === 0) throw new CallError(ERR_NO_COMPARISON);
  const k1 = basicKind(first);
  for (const arg of rest) {
    const k2 = basicKind(arg);
    let truth = false;
    if (k1 !== k2) {
      if (!isAbsent(first) && !isAbsent(arg)) throw new CallError(ERR_BAD_COMPARISON);
    } else if (k1 === 'invalid') {
      if (isAbsent(first) || isAbsent(arg)) truth = isAbsent(first) && isAbsent(arg);
      else if (kindOf(first) !== kindOf(arg)) {
        throw new CallError(
          `non-comparable types ${sprintf('%s', [first])}: ${typeName(first)}, ${typeName(arg)}: ${formatValue(arg)}`,
        );
      } else throw new CallError(`non-comparable type ${sprintf('%s', [arg])}: ${typeName(arg)}`);
    } else {
      truth = sameValue(first, arg);
    }
    if (truth) return true;
  }
  return false;
}

function lt(a: GoValue, b: GoValue): boolean {
  const k1 = basicKind(a);
  if (k1 === 'invalid') throw new CallError(ERR_BAD_COMPARISON_TYPE);
  const k2 = basicKind(b);
  if (k2 === 'invalid') throw new CallError(ERR_BAD_COMPARISON_TYPE);
  if (k1 !== k2) throw new CallError(ERR_BAD_COMPARISON);
  switch (k1) {
    case 'bool':
    case 'complex':
      throw new CallError(ERR_BAD_COMPARISON_TYPE);
    case 'string':
      return compareUtf8(a as string, b as string) < 0;
    default:
      return numberOf(a) < numberOf(b);
  }
}

function indexArg(index: GoValue, cap: number): number {
  if (isAbsent(index)) throw new CallError('cannot index slice/array with nil');
  if (!(index instanceof GoInt)) throw new CallError(`cannot index slice/array with type ${typeName(index)}`);
  if (index.value < 0n || index.value > BigInt(cap)) throw new CallError(`index out of range: ${index.value}`);
  return Number(index.value);
}

function index([item, ...indexes]: GoValue[]): GoValue {
  if (isAbsent(item)) throw new CallError('index of untyped nil');
  let current: GoValue = item;
  for (const idx of indexes) {
    if (isAbsent(current)) throw new CallError('index of nil pointer');
    if (typeof current === 'string' || Array.isArray(current)) {
      const bytes = typeof current === 'string' ? Buffer.from(current, 'utf8') : null;
      const length = bytes ? bytes.length : (current as GoValue[]).length;
      const x = indexArg(idx, length);
      if (x >= length) throw new CallError(`reflect: ${bytes ? 'string' : 'slice'} index out of range`);
      current = bytes ? int(bytes[x]!, 'uint8') : (current as GoValue[])[x];
    } else if (current instanceof Map) {
      if (isAbsent(idx)) throw new CallError('value is nil; should be of type string');
      if (typeof idx !== 'string') throw new CallError(`value has type ${typeName(idx)}; should be string`);
      current = current.has(idx) ? current.get(idx) : null;
    } else {
      throw new CallError(`can't index item of type ${typeName(current)}`);
    }
  }
  return current;
}

function slice([item, ...indexes]: GoValue[]): GoValue {
  if (isAbsent(item)) throw new CallError('slice of untyped nil');
  if (indexes.length > 3) throw new CallError(`too many slice indexes: ${indexes.length}`);
  let length: number;
  if (typeof item === 'string') {
    if (indexes.length === 3) throw new CallError('cannot 3-index slice a string');
    length = utf8Length(item);
  } else if (Array.isArray(item)) {
    length = item.length;
  } else {
    throw new CallError(`can't slice item of type ${typeName(item)}`);
  }
  const idx = [0, length, length];
  indexes.forEach((value, i) => {
    idx[i] = indexArg(value, length);
  });
  if (idx[0]! > idx[1]!) throw new CallError(`invalid slice index: ${idx[0]} > ${idx[1]}`);
  if (indexes.length === 3 && idx[1]! > idx[2]!) throw new CallError(`invalid slice index: ${idx[1]} > ${idx[2]}`);
  if (typeof item === 'string') {
    return Buffer.from(item, 'utf8').subarray(idx[0], idx[1]).toString('utf8');
  }
  return item.slice(idx[0], idx[1]);
}

function length([item]: GoValue[]): GoValue {
  if (item === undefined) throw new CallError('reflect: call of reflect.Value.Type on zero Value');
  if (item === null) throw new CallError('len of nil pointer');
  if (typeof item === 'string') return int(utf8Length(item));
  if (Array.isArray(item)) return int(item.length);
  if (item instanceof Map) return int((item as GoMap).size);
  throw new CallError(`len of type ${typeName(item)}`);
}

/** The string functions print their arguments as Go's evalArgs does: nil shows as `<no value>`. */
function evalArgs(args: GoValue[]): string {
  if (args.length === 1 && typeof args[0] === 'string') return args[0];
  return sprint(args.map((a) => (isAbsent(a) ? '<no value>' : a)));
}

const HTML_ESCAPES: Record<string, string> = {
  '"': '&#34;',
  "'": '&#39;',
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '\0': '\ufffd',
};

export function htmlEscape(text: string): string {
  return text.replace(/["'&<>\0]/g, (c) => HTML_ESCAPES[c]!);
}

/** html/template's escaper for text content also spells `+` as an entity; unescaping undoes all but NUL. */
export function htmlTextEscape(text: string): string {
  return text.replace(/["'&<>+\0]/g, (c) => (c === '+' ? '&#43;' : HTML_ESCAPES[c]!));
}

const JS_ESCAPES: Record<string, string> = {
  '\\': '\\\\',
  "'": "\\'",
  '"': '\\"',
  '<': '\\u003C',
  '>': '\\u003E',
  '&': '\\u0026',
  '=': '\\u003D',
};

export function jsEscape(text: string): string {
  let out = '';
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    const fixed = JS_ESCAPES[ch];
    if (fixed !== undefined) out += fixed;
    else if (cp < 0x20) out += '\\u00' + cp.toString(16).toUpperCase().padStart(2, '0');
    else if (cp < 0x80 || isPrint(ch)) out += ch;
    else out += '\\u' + cp.toString(16).toUpperCase().padStart(4, '0');
  }
  return out;
}

export function queryEscape(text: string): string {
  let out = '';
  for (const byte of Buffer.from(text, 'utf8')) {
    const c = String.fromCharCode(byte);
    if (/[A-Za-z0-9\-_.~]/.test(c)) out += c;
    else if (c === ' ') out += '+';
    else out += '%' + byte.toString(16).toUpperCase().padStart(2, '0');
  }
  return out;
}

export const BUILTINS: ReadonlyMap<string, Builtin> = new Map<string, Builtin>([
  // and/or short-circuit in the evaluator; these bodies serve only their signatures.
  ['and', { fixed: ['value'], variadic: 'value', fn: (a) => a.find((v) => !isTrue(v)) ?? a[a.length - 1] }],
  ['or', { fixed: ['value'], variadic: 'value', fn: (a) => a.find((v) => isTrue(v)) ?? a[a.length - 1] }],
  ['not', { fixed: ['value'], variadic: null, fn: ([v]) => !isTrue(v) }],
  ['len', { fixed: ['value'], variadic: null, fn: length }],
  ['index', { fixed: ['value'], variadic: 'value', fn: index }],
  ['slice', { fixed: ['value'], variadic: 'value', fn: slice }],
  ['eq', { fixed: ['value'], variadic: 'value', fn: eq }],
  ['ne', { fixed: ['value', 'value'], variadic: null, fn: ([a, b]) => !eq([a, b]) }],
  ['lt', { fixed: ['value', 'value'], variadic: null, fn: ([a, b]) => lt(a, b) }],
  ['le', { fixed: ['value', 'value'], variadic: null, fn: ([a, b]) => lt(a, b) || eq([a, b]) }],
  ['gt', { fixed: ['value', 'value'], variadic: null, fn: ([a, b]) => !(lt(a, b) || eq([a, b])) }],
  ['ge', { fixed: ['value', 'value'], variadic: null, fn: ([a, b]) => !lt(a, b) }],
  ['html', { fixed: [], variadic: 'any', fn: (a) => htmlEscape(evalArgs(a)) }],
  ['js', { fixed: [], variadic: 'any', fn: (a) => jsEscape(evalArgs(a)) }],
  ['urlquery', { fixed: [], variadic: 'any', fn: (a) => queryEscape(evalArgs(a)) }],
  ['print', { fixed: [], variadic: 'any', fn: sprint }],
  ['println', { fixed: [], variadic: 'any', fn: sprintln }],
  ['printf', { fixed: ['string'], variadic: 'any', fn: ([f, ...rest]) => sprintf(f as string, rest) }],
  [
    'call',
    {
      fixed: ['value'],
      variadic: 'value',
      fn: ([f]) => {
        throw new CallError(`non-function of type ${typeName(f)}`);
      },
    },
  ],
]);

export const BUILTIN_NAMES: ReadonlySet<string> = new Set(BUILTINS.keys());
