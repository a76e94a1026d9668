import { GoFloat, kindOf, sortedKeys, typeName, type GoMap, type GoValue } from './values.js';

/**
 * The slice of Go's fmt that templates reach: %v printing of values (print, println, and every
 * `{{ }}` output) and printf. Floats are formatted from their exact binary value with Go's rules
 * (shortest digits for %v, round-half-even for an explicit precision).
 */

interface Decimal {
  /** Significant digits without leading or trailing zeros; '' for zero. */
  digits: string;
  /** Position of the decimal point: value = 0.digits x 10^point. */
  point: number;
}

function exactDecimal(x: number): Decimal {
  if (x === 0) return { digits: '', point: 0 };
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, Math.abs(x));
  const bits = view.getBigUint64(0);
  const biased = Number((bits >> 52n) & 0x7ffn);
  let mantissa = bits & ((1n << 52n) - 1n);
  let exponent: number;
  if (biased === 0) exponent = -1074;
  else {
    mantissa |= 1n << 52n;
    exponent = biased - 1075;
  }
  let text: string;
  let point: number;
  if (exponent >= 0) {
    text = (mantissa << BigInt(exponent)).toString();
    point = text.length;
  } else {
    text = (mantissa * 5n ** BigInt(-exponent)).toString();
    point = text.length + exponent;
  }
  return { digits: text.replace(/0+$/, ''), point };
}

function shortestDecimal(x: number): Decimal {
  if (x === 0) return { digits: '', point: 0 };
  const [mantissa, exp] = Math.abs(x).toExponential().split('e');
  return { digits: mantissa!.replace('.', '').replace(/0+$/, ''), point: Number(exp) + 1 };
}

/** Keeps `keep` leading digits, rounding half to even on the exact value, as strconv does. */
function roundTo(d: Decimal, keep: number): Decimal {
  if (keep >= d.digits.length) return d;
  if (keep < 0) return { digits: '', point: 0 };
  const next = d.digits.charCodeAt(keep) - 48;
  let up: boolean;
  if (next === 5 && keep + 1 === d.digits.length) up = keep > 0 && (d.digits.charCodeAt(keep - 1) - 48) % 2 === 1;
  else up = next >= 5;
  let digits = d.digits.slice(0, keep);
  let point = d.point;
  if (up) {
    let i = digits.length - 1;
    while (i >= 0 && digits[i] === '9') i--;
    if (i < 0) {
      digits = '1';
      point++;
    } else {
      digits = digits.slice(0, i) + String.fromCharCode(digits.charCodeAt(i) + 1);
    }
  }
  digits = digits.replace(/0+$/, '');
  return { digits, point: digits === '' ? 0 : point };
}

function fmtE(d: Decimal, prec: number, e: 'e' | 'E'): string {
  let out = d.digits.length > 0 ? d.digits[0]! : '0';
  if (prec > 0) out += '.' + d.digits.slice(1, prec + 1).padEnd(prec, '0');
  const exp = d.digits.length === 0 ? 0 : d.point - 1;
  const abs = Math.abs(exp);
  return `${out}${e}${exp < 0 ? '-' : '+'}${abs < 10 ? '0' : ''}${abs}`;
}

function fmtF(d: Decimal, prec: number): string {
  let out: string;
  if (d.point > 0) out = d.digits.slice(0, d.point).padEnd(d.point, '0');
  else out = '0';
  if (prec > 0) {
    let frac = '';
    for (let i = 1; i <= prec; i++) {
      const j = d.point + i - 1;
      frac += j >= 0 && j < d.digits.length ? d.digits[j] : '0';
    }
    out += '.' + frac;
  }
  return out;
}

/** strconv.FormatFloat(x, verb, prec, 64); prec -1 means shortest. */
export function formatFloat(x: number, verb: 'e' | 'E' | 'f' | 'g' | 'G', prec: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (!Number.isFinite(x)) return x > 0 ? '+Inf' : '-Inf';
  const sign = x < 0 || Object.is(x, -0) ? '-' : '';
  const shortest = prec < 0;
  let d = shortest ? shortestDecimal(x) : exactDecimal(x);
  const e = verb === 'E' || verb === 'G' ? 'E' : 'e';
  switch (verb) {
    case 'e':
    case 'E':
      if (shortest) return sign + fmtE(d, Math.max(d.digits.length - 1, 0), e);
      return sign + fmtE(roundTo(d, prec + 1), prec, e);
    case 'f':
      if (shortest) return sign + fmtF(d, Math.max(d.digits.length - d.point, 0));
      return sign + fmtF(roundTo(d, d.point + prec), prec);
    default: {
      let p = prec;
      if (shortest) p = d.digits.length;
      else {
        if (p === 0) p = 1;
        d = roundTo(d, p);
      }
      let eprec = p;
      if (eprec > d.digits.length && d.digits.length >= d.point) eprec = d.digits.length;
      if (shortest) eprec = 6;
      const exp = d.point - 1;
      if (exp < -4 || exp >= eprec) {
        if (p > d.digits.length) p = d.digits.length;
        return sign + fmtE(d, Math.max(p - 1, 0), e);
      }
      if (p > d.point) p = d.digits.length;
      return sign + fmtF(d, Math.max(p - d.point, 0));
    }
  }
}

/** fmt's %v. */
export function formatValue(value: GoValue): string {
  switch (kindOf(value)) {
    case 'invalid':
      return '<invalid reflect.Value>';
    case 'nil':
      return '<nil>';
    case 'string':
      return value as string;
    case 'int':
      return String(value);
    case 'float':
      return formatFloat((value as GoFloat).value, 'g', -1);
    case 'bool':
      return value ? 'true' : 'false';
    case 'slice':
      return '[' + (value as GoValue[]).map(formatValue).join(' ') + ']';
    case 'map': {
      const map = value as GoMap;
      return 'map[' + sortedKeys(map).map((k) => `${k}:${formatValue(map.get(k))}`).join(' ') + ']';
    }
  }
}

/** fmt.Sprint: a space goes between two operands only when neither is a string. */
export function sprint(args: GoValue[]): string {
  let out = '';
  args.forEach((arg, i) => {
    if (i > 0 && typeof arg !== 'string' && typeof args[i - 1] !== 'string') out += ' ';
    out += formatValue(arg);
  });
  return out;
}

export function sprintln(args: GoValue[]): string {
  return args.map(formatValue).join(' ') + '\n';
}

interface Spec {
  minus: boolean;
  plus: boolean;
  sharp: boolean;
  space: boolean;
  zero: boolean;
  width: number | null;
  prec: number | null;
  verb: string;
}

function pad(text: string, spec: Spec, numeric: boolean): string {
  if (spec.width === null) return text;
  const length = [...text].length;
  if (length >= spec.width) return text;
  const fill = spec.width - length;
  if (spec.minus) return text + ' '.repeat(fill);
  if (spec.zero && numeric) {
    const sign = /^[+\- ]/.test(text) ? text[0]! : '';
    return sign + '0'.repeat(fill) + text.slice(sign.length);
  }
  return ' '.repeat(fill) + text;
}

function badVerb(spec: Spec, value: GoValue): string {
  if (value === null || value === undefined) return `%!${spec.verb}(<nil>)`;
  return `%!${spec.verb}(${typeName(value)}=${formatValue(value)})`;
}

function quoteGo(text: string): string {
  let out = '"';
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    switch (ch) {
      case '"':
        out += '\\"';
        continue;
      case '\\':
        out += '\\\\';
        continue;
      case '\x07':
        out += '\\a';
        continue;
      case '\b':
        out += '\\b';
        continue;
      case '\f':
        out += '\\f';
        continue;
      case '\n':
        out += '\\n';
        continue;
      case '\r':
        out += '\\r';
        continue;
      case '\t':
        out += '\\t';
        continue;
      case '\v':
        out += '\\v';
        continue;
    }
    if (isPrint(ch)) out += ch;
    else if (cp < 0x80) out += '\\x' + cp.toString(16).padStart(2, '0');
    else if (cp <= 0xffff) out += '\\u' + cp.toString(16).padStart(4, '0');
    else out += '\\U' + cp.toString(16).padStart(8, '0');
  }
  return out + '"';
}

/** Go's unicode.IsPrint: letters, marks, numbers, punctuation, symbols and the ASCII space. */
export function isPrint(ch: string): boolean {
  return ch === ' ' || /^[\p{L}\p{M}\p{N}\p{P}\p{S}]$/u.test(ch);
}

function signed(text: string, negative: boolean, spec: Spec): string {
  if (negative) return '-' + text;
  if (spec.plus) return '+' + text;
  if (spec.space) return ' ' + text;
  return text;
}

function formatInt(n: number, spec: Spec): string | null {
  const negative = n < 0;
  const abs = BigInt(Math.abs(n));
  let digits: string;
  switch (spec.verb) {
    case 'v':
    case 'd':
      digits = abs.toString();
      break;
    case 'b':
      digits = abs.toString(2);
      break;
    case 'o':
      digits = abs.toString(8);
      if (spec.sharp && digits !== '0') digits = '0' + digits;
      break;
    case 'O':
      digits = '0o' + abs.toString(8);
      break;
    case 'x':
      digits = (spec.sharp ? '0x' : '') + abs.toString(16);
      break;
    case 'X':
      digits = (spec.sharp ? '0X' : '') + abs.toString(16).toUpperCase();
      break;
    case 'c':
      return pad(String.fromCodePoint(validRune(n)), spec, false);
    case 'q':
      return pad(`'${String.fromCodePoint(validRune(n))}'`, spec, false);
    case 'U':
      return pad('U+' + n.toString(16).toUpperCase().padStart(4, '0'), spec, false);
    default:
      return null;
  }
  if (spec.prec !== null) {
    digits = digits.padStart(spec.prec, '0');
    if (spec.prec === 0 && n === 0) digits = '';
  }
  return pad(signed(digits, negative, spec), spec, spec.prec === null);
}

function validRune(n: number): number {
  return n >= 0 && n <= 0x10ffff && !(n >= 0xd800 && n <= 0xdfff) ? n : 0xfffd;
}

function formatFloatSpec(x: number, spec: Spec): string | null {
  let verb = spec.verb;
  if (verb === 'v') verb = 'g';
  if (verb === 'F') verb = 'f';
  if (!['e', 'E', 'f', 'g', 'G'].includes(verb)) return null;
  const defaultPrec = verb === 'g' || verb === 'G' ? -1 : 6;
  const text = formatFloat(Math.abs(x), verb as 'e' | 'E' | 'f' | 'g' | 'G', spec.prec ?? defaultPrec);
  const negative = x < 0 || Object.is(x, -0);
  return pad(signed(text, negative, spec), spec, Number.isFinite(x));
}

function formatString(text: string, spec: Spec): string | null {
  let s = text;
  if (spec.prec !== null) s = [...s].slice(0, spec.prec).join('');
  switch (spec.verb) {
    case 'v':
    case 's':
      return pad(s, spec, false);
    case 'q':
      return pad(quoteGo(s), spec, false);
    case 'x':
    case 'X': {
      const hex = Buffer.from(s, 'utf8').toString('hex');
      return pad(spec.verb === 'X' ? hex.toUpperCase() : hex, spec, false);
    }
    default:
      return null;
  }
}

function formatArg(value: GoValue, spec: Spec): string {
  if (spec.verb === 'T') return pad(typeName(value), spec, false);
  switch (kindOf(value)) {
    case 'invalid':
    case 'nil':
      return spec.verb === 'v' ? pad('<nil>', spec, false) : badVerb(spec, null);
    case 'bool':
      return spec.verb === 'v' || spec.verb === 't' ? pad(value ? 'true' : 'false', spec, false) : badVerb(spec, value);
    case 'int':
      return formatInt(value as number, spec) ?? badVerb(spec, value);
    case 'float':
      return formatFloatSpec((value as GoFloat).value, spec) ?? badVerb(spec, value);
    case 'string':
      return formatString(value as string, spec) ?? badVerb(spec, value);
    case 'slice': {
      const inner = { ...spec, width: null };
      return pad('[' + (value as GoValue[]).map((v) => formatArg(v, inner)).join(' ') + ']', spec, false);
    }
    case 'map': {
      const map = value as GoMap;
      const inner = { ...spec, width: null };
      const items = sortedKeys(map).map((k) => `${formatArg(k, inner)}:${formatArg(map.get(k), inner)}`);
      return pad('map[' + items.join(' ') + ']', spec, false);
    }
  }
}

/** fmt.Sprintf for the verbs templates use; unknown verbs and wrong types print Go's %!verb(...) forms. */
export function sprintf(format: string, args: GoValue[]): string {
  let out = '';
  let argIndex = 0;
  let i = 0;
  while (i < format.length) {
    const pct = format.indexOf('%', i);
    if (pct === -1) {
      out += format.slice(i);
      break;
    }
    out += format.slice(i, pct);
    i = pct + 1;
    if (i >= format.length) {
      out += '%!(NOVERB)';
      break;
    }
    const spec: Spec = { minus: false, plus: false, sharp: false, space: false, zero: false, width: null, prec: null, verb: '' };
    for (; i < format.length; i++) {
      const c = format[i];
      if (c === '-') spec.minus = true;
      else if (c === '+') spec.plus = true;
      else if (c === '#') spec.sharp = true;
      else if (c === ' ') spec.space = true;
      else if (c === '0') spec.zero = !spec.minus;
      else break;
    }
    const readNumber = (): number | null => {
      if (format[i] === '*') {
        i++;
        const arg = args[argIndex++];
        return typeof arg === 'number' ? arg : null;
      }
      const m = /^[0-9]+/.exec(format.slice(i));
      if (!m) return null;
      i += m[0].length;
      return Number(m[0]);
    };
    spec.width = readNumber();
    if (spec.width !== null && spec.width < 0) {
      spec.minus = true;
      spec.width = -spec.width;
    }
    if (format[i] === '.') {
      i++;
      spec.prec = readNumber() ?? 0;
    }
    if (i >= format.length) {
      out += '%!(NOVERB)';
      break;
    }
    const verb = String.fromCodePoint(format.codePointAt(i)!);
    i += verb.length;
    spec.verb = verb;
    if (verb === '%') {
      out += '%';
      continue;
    }
    if (argIndex >= args.length) {
      out += `%!${verb}(MISSING)`;
      continue;
    }
    out += formatArg(args[argIndex++], spec);
  }
  if (argIndex < args.length) {
    const extra = args.slice(argIndex).map((a) => (a === null || a === undefined ? '<nil>' : `${typeName(a)}=${formatValue(a)}`));
    out += `%!(EXTRA ${extra.join(', ')})`;
  }
  return out;
}

export { GoFloat };
