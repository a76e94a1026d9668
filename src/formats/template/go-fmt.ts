import { GoComplex, GoFloat, GoInt, kindOf, sortedKeys, typeName, type GoMap, type GoValue } from './values.js';

/**
 * The slice of Go's fmt that templates reach: %v printing of values (print, println, and every
 * `{{ }}` output) and printf, following fmt's printer step by step (flags, argument indexes, nested
 * values, the %!verb(...) error forms). Floats are formatted from their exact binary value with Go's rules
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

const FLOAT_BITS = (x: number): bigint => {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  return view.getBigUint64(0);
};

/** strconv's %b for float64: decimal mantissa, `p`, binary exponent. */
function formatFloatB(x: number): string {
  const bits = FLOAT_BITS(x);
  const neg = bits >> 63n === 1n;
  let exp = Number((bits >> 52n) & 0x7ffn);
  let mant = bits & ((1n << 52n) - 1n);
  if (exp === 0x7ff) return Number.isNaN(x) ? 'NaN' : neg ? '-Inf' : '+Inf';
  if (exp === 0) exp++;
  else mant |= 1n << 52n;
  exp += -1023 - 52;
  return `${neg ? '-' : ''}${mant}p${exp >= 0 ? '+' : ''}${exp}`;
}

/** strconv's %x / %X for float64 (hexadecimal mantissa, binary exponent); prec -1 means shortest. */
function formatFloatX(x: number, prec: number, upper: boolean): string {
  const bits = FLOAT_BITS(x);
  const neg = bits >> 63n === 1n;
  let exp = Number((bits >> 52n) & 0x7ffn);
  let mant = bits & ((1n << 52n) - 1n);
  if (exp === 0x7ff) return Number.isNaN(x) ? 'NaN' : neg ? '-Inf' : '+Inf';
  if (exp === 0) exp++;
  else mant |= 1n << 52n;
  exp += -1023;
  if (mant === 0n) exp = 0;
  const ONE = 1n << 60n;
  mant <<= 8n;
  while (mant !== 0n && (mant & ONE) === 0n) {
    mant <<= 1n;
    exp--;
  }
  if (prec >= 0 && prec < 15) {
    const shift = BigInt(prec * 4);
    const extra = (mant << shift) & (ONE - 1n);
    mant >>= 60n - shift;
    if ((extra | (mant & 1n)) > 1n << 59n) mant++;
    mant <<= 60n - shift;
    if ((mant & (1n << 61n)) !== 0n) {
      mant >>= 1n;
      exp++;
    }
  }
  const hex = upper ? '0123456789ABCDEF' : '0123456789abcdef';
  const mask = (1n << 64n) - 1n;
  let out = (neg ? '-' : '') + '0' + (upper ? 'X' : 'x') + String((mant >> 60n) & 1n);
  mant = (mant << 4n) & mask;
  if (prec < 0 && mant !== 0n) {
    out += '.';
    while (mant !== 0n) {
      out += hex[Number((mant >> 60n) & 15n)];
      mant = (mant << 4n) & mask;
    }
  } else if (prec > 0) {
    out += '.';
    for (let i = 0; i < prec; i++) {
      out += hex[Number((mant >> 60n) & 15n)];
      mant = (mant << 4n) & mask;
    }
  }
  out += upper ? 'P' : 'p';
  out += exp < 0 ? '-' : '+';
  const e = Math.abs(exp);
  out += e < 100 ? String(e).padStart(2, '0') : String(e);
  return out;
}

/** strconv.AppendFloat for the verbs fmt passes on. */
function strconvFloat(x: number, verb: string, prec: number): string {
  switch (verb) {
    case 'b':
      return formatFloatB(x);
    case 'x':
    case 'X':
      return formatFloatX(x, prec, verb === 'X');
    case 'F':
      return formatFloat(x, 'f', prec);
    default:
      return formatFloat(x, verb as 'e' | 'E' | 'f' | 'g' | 'G', prec);
  }
}

/** Go's unicode.IsPrint: letters, marks, numbers, punctuation, symbols and the ASCII space. */
export function isPrint(ch: string): boolean {
  return ch === ' ' || /^[\p{L}\p{M}\p{N}\p{P}\p{S}]$/u.test(ch);
}

/** strconv's quoteWith: `quote` is `"` or `'`; asciiOnly escapes every non-ASCII rune. */
function quoteWith(text: string, quote: string, asciiOnly: boolean): string {
  let out = quote;
  for (const ch of text) {
    let cp = ch.codePointAt(0)!;
    if (ch === quote || ch === '\\') {
      out += '\\' + ch;
      continue;
    }
    if (asciiOnly ? cp < 0x80 && isPrint(ch) : isPrint(ch)) {
      out += ch;
      continue;
    }
    switch (ch) {
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
    if (cp < 0x20 || cp === 0x7f) out += '\\x' + cp.toString(16).padStart(2, '0');
    else {
      if (cp >= 0xd800 && cp <= 0xdfff) cp = 0xfffd;
      if (cp < 0x10000) out += '\\u' + cp.toString(16).padStart(4, '0');
      else out += '\\U' + cp.toString(16).padStart(8, '0');
    }
  }
  return out + quote;
}

function canBackquote(text: string): boolean {
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    if (cp === 0xfeff || cp === 0xfffd || (cp >= 0xd800 && cp <= 0xdfff)) return false;
    if ((cp < 0x20 && ch !== '\t') || ch === '`' || cp === 0x7f) return false;
  }
  return true;
}

const MAX_RUNE = 0x10ffffn;
const U64 = (v: bigint): bigint => BigInt.asUintN(64, v);

function runeOf(u: bigint): string {
  if (u > MAX_RUNE) return '\ufffd';
  const cp = Number(u);
  return cp >= 0xd800 && cp <= 0xdfff ? '\ufffd' : String.fromCodePoint(cp);
}

/** Go's fmt.fmt: the flags of one verb and the padding rules. */
class Flags {
  minus = false;
  plus = false;
  sharp = false;
  space = false;
  zero = false;
  plusV = false;
  sharpV = false;
  wid = 0;
  widPresent = false;
  prec = 0;
  precPresent = false;

  clear(): void {
    this.minus = this.plus = this.sharp = this.space = this.zero = this.plusV = this.sharpV = false;
    this.wid = this.prec = 0;
    this.widPresent = this.precPresent = false;
  }
}

class Printer {
  out = '';
  f = new Flags();
  private arg: GoValue | typeof NO_ARG = NO_ARG;

  private padding(n: number): string {
    return n > 0 ? (this.f.zero ? '0' : ' ').repeat(n) : '';
  }

  pad(text: string): void {
    if (!this.f.widPresent || this.f.wid === 0) {
      this.out += text;
      return;
    }
    const fill = this.padding(this.f.wid - [...text].length);
    this.out += this.f.minus ? text + fill : fill + text;
  }

  private padNoZero(text: string): void {
    const zero = this.f.zero;
    this.f.zero = false;
    this.pad(text);
    this.f.zero = zero;
  }

  private truncate(text: string): string {
    if (!this.f.precPresent) return text;
    const runes = [...text];
    return runes.length > this.f.prec ? runes.slice(0, this.f.prec).join('') : text;
  }

  printArg(arg: GoValue, verb: string): void {
    this.arg = arg;
    if (arg === null || arg === undefined) {
      if (verb === 'T' || verb === 'v') this.pad('<nil>');
      else this.badVerb(verb);
      return;
    }
    if (verb === 'T') {
      this.pad(this.truncate(typeName(arg)));
      return;
    }
    this.printValue(arg, verb, 0);
  }

  private printValue(value: GoValue, verb: string, depth: number): void {
    if (depth > 0) this.arg = value;
    switch (kindOf(value)) {
      case 'invalid':
      case 'nil':
        if (this.f.sharpV) this.out += 'interface {}(nil)';
        else this.out += '<nil>';
        return;
      case 'bool':
        if (verb === 't' || verb === 'v') this.pad(value ? 'true' : 'false');
        else this.badVerb(verb);
        return;
      case 'int':
        this.fmtInteger(value as GoInt, verb);
        return;
      case 'float':
        this.fmtFloat((value as GoFloat).value, verb);
        return;
      case 'complex':
        this.fmtComplex(value as GoComplex, verb);
        return;
      case 'string':
        this.fmtString(value as string, verb);
        return;
      case 'slice': {
        const items = value as GoValue[];
        if (this.f.sharpV) {
          this.out += '[]interface {}{';
          items.forEach((item, i) => {
            if (i > 0) this.out += ', ';
            this.printValue(item, verb, depth + 1);
          });
          this.out += '}';
        } else {
          this.out += '[';
          items.forEach((item, i) => {
            if (i > 0) this.out += ' ';
            this.printValue(item, verb, depth + 1);
          });
          this.out += ']';
        }
        return;
      }
      case 'map': {
        const map = value as GoMap;
        this.out += this.f.sharpV ? 'map[string]interface {}{' : 'map[';
        sortedKeys(map).forEach((key, i) => {
          if (i > 0) this.out += this.f.sharpV ? ', ' : ' ';
          this.printValue(key, verb, depth + 1);
          this.out += ':';
          this.printValue(map.get(key), verb, depth + 1);
        });
        this.out += this.f.sharpV ? '}' : ']';
        return;
      }
    }
  }

  private badVerb(verb: string): void {
    const arg = this.arg;
    this.out += '%!' + verb + '(';
    if (arg === null || arg === undefined || arg === NO_ARG) this.out += '<nil>';
    else {
      this.out += typeName(arg) + '=';
      this.printArg(arg, 'v');
    }
    this.out += ')';
  }

  private fmtInteger(n: GoInt, verb: string): void {
    const signed = n.type !== 'uint8';
    switch (verb) {
      case 'v':
        if (this.f.sharpV && !signed) {
          const sharp = this.f.sharp;
          this.f.sharp = true;
          this.integer(n.value, 16, 'v', false);
          this.f.sharp = sharp;
        } else this.integer(n.value, 10, verb, false);
        return;
      case 'd':
        return this.integer(n.value, 10, verb, false);
      case 'b':
        return this.integer(n.value, 2, verb, false);
      case 'o':
      case 'O':
        return this.integer(n.value, 8, verb, false);
      case 'x':
        return this.integer(n.value, 16, verb, false);
      case 'X':
        return this.integer(n.value, 16, verb, true);
      case 'c':
        return this.pad(runeOf(U64(n.value)));
      case 'q':
        return this.pad(quoteWith(runeOf(U64(n.value)), "'", this.f.plus));
      case 'U':
        return this.fmtUnicode(U64(n.value));
      default:
        this.badVerb(verb);
    }
  }

  private integer(value: bigint, base: number, verb: string, upper: boolean): void {
    const f = this.f;
    const negative = value < 0n;
    const abs = negative ? -value : value;
    let prec = 0;
    if (f.precPresent) {
      prec = f.prec;
      if (prec === 0 && abs === 0n) {
        const zero = f.zero;
        f.zero = false;
        this.out += this.padding(f.wid);
        f.zero = zero;
        return;
      }
    } else if (f.zero && f.widPresent) {
      prec = f.wid;
      if (negative || f.plus || f.space) prec--;
    }
    let digits = abs.toString(base);
    if (upper) digits = digits.toUpperCase();
    if (digits.length < prec) digits = digits.padStart(prec, '0');
    if (f.sharp) {
      if (base === 2) digits = '0b' + digits;
      else if (base === 8) {
        if (digits[0] !== '0') digits = '0' + digits;
      } else if (base === 16) digits = (upper ? '0X' : '0x') + digits;
    }
    if (verb === 'O') digits = '0o' + digits;
    if (negative) digits = '-' + digits;
    else if (f.plus) digits = '+' + digits;
    else if (f.space) digits = ' ' + digits;
    this.padNoZero(digits);
  }

  private fmtUnicode(u: bigint): void {
    let prec = 4;
    if (this.f.precPresent && this.f.prec > 4) prec = this.f.prec;
    let tail = '';
    if (this.f.sharp && u <= MAX_RUNE) {
      const r = runeOf(u);
      if (r !== '\ufffd' || u === 0xfffdn) {
        if (isPrint(r)) tail = ` '${r}'`;
      }
    }
    const hex = u.toString(16).toUpperCase().padStart(prec, '0');
    this.padNoZero('U+' + hex + tail);
  }

  private fmtFloat(x: number, verb: string): void {
    switch (verb) {
      case 'v':
        return this.float(x, 'g', -1);
      case 'b':
      case 'g':
      case 'G':
      case 'x':
      case 'X':
        return this.float(x, verb, -1);
      case 'f':
      case 'e':
      case 'E':
      case 'F':
        return this.float(x, verb, 6);
      default:
        this.badVerb(verb);
    }
  }

  private float(x: number, verb: string, defaultPrec: number): void {
    const f = this.f;
    const prec = f.precPresent ? f.prec : defaultPrec;
    let num = strconvFloat(x, verb, prec);
    if (num[0] === '-' || num[0] === '+') {
      // sign already there
    } else num = '+' + num;
    if (f.space && num[0] === '+' && !f.plus) num = ' ' + num.slice(1);
    if (num[1] === 'I' || num[1] === 'N') {
      const zero = f.zero;
      f.zero = false;
      if (num[1] === 'N' && !f.space && !f.plus) num = num.slice(1);
      this.pad(num);
      f.zero = zero;
      return;
    }
    if (f.sharp && verb !== 'b') {
      let digits = 0;
      if (verb === 'v' || verb === 'g' || verb === 'G' || verb === 'x') digits = prec === -1 ? 6 : prec;
      let tail = '';
      let hasPoint = false;
      let sawNonzero = false;
      for (let i = 1; i < num.length; i++) {
        const c = num[i]!;
        if (c === '.') hasPoint = true;
        else if (c === 'p' || c === 'P' || ((c === 'e' || c === 'E') && verb !== 'x' && verb !== 'X')) {
          tail = num.slice(i);
          num = num.slice(0, i);
          break;
        } else {
          if (c !== '0') sawNonzero = true;
          if (sawNonzero) digits--;
        }
      }
      if (!hasPoint) {
        if (num.length === 2 && num[1] === '0') digits--;
        num += '.';
      }
      while (digits > 0) {
        num += '0';
        digits--;
      }
      num += tail;
    }
    if (f.plus || num[0] !== '+') {
      if (f.zero && f.widPresent && f.wid > num.length) {
        this.out += num[0];
        this.out += this.padding(f.wid - num.length);
        this.out += num.slice(1);
        return;
      }
      this.pad(num);
      return;
    }
    this.pad(num.slice(1));
  }

  private fmtComplex(c: GoComplex, verb: string): void {
    if (!['v', 'b', 'g', 'G', 'x', 'X', 'f', 'F', 'e', 'E'].includes(verb)) {
      this.badVerb(verb);
      return;
    }
    const plus = this.f.plus;
    this.out += '(';
    this.fmtFloat(c.re, verb);
    this.f.plus = true;
    this.fmtFloat(c.im, verb);
    this.out += 'i)';
    this.f.plus = plus;
  }

  private fmtString(text: string, verb: string): void {
    switch (verb) {
      case 'v':
        if (this.f.sharpV) this.fmtQ(text);
        else this.pad(this.truncate(text));
        return;
      case 's':
        this.pad(this.truncate(text));
        return;
      case 'x':
      case 'X':
        this.fmtSx(text, verb === 'X');
        return;
      case 'q':
        this.fmtQ(text);
        return;
      default:
        this.badVerb(verb);
    }
  }

  private fmtQ(text: string): void {
    const s = this.truncate(text);
    if (this.f.sharp && canBackquote(s)) this.pad('`' + s + '`');
    else this.pad(quoteWith(s, '"', this.f.plus));
  }

  private fmtSx(text: string, upper: boolean): void {
    const f = this.f;
    const bytes = Buffer.from(text, 'utf8');
    let length = bytes.length;
    if (f.precPresent && f.prec < length) length = f.prec;
    let width = 2 * length;
    if (width > 0) {
      if (f.space) {
        if (f.sharp) width *= 2;
        width += length - 1;
      } else if (f.sharp) width += 2;
    } else {
      if (f.widPresent) this.out += this.padding(f.wid);
      return;
    }
    if (f.widPresent && f.wid > width && !f.minus) this.out += this.padding(f.wid - width);
    const prefix = upper ? '0X' : '0x';
    let out = f.sharp ? prefix : '';
    for (let i = 0; i < length; i++) {
      if (f.space && i > 0) out += ' ' + (f.sharp ? prefix : '');
      const hex = bytes[i]!.toString(16).padStart(2, '0');
      out += upper ? hex.toUpperCase() : hex;
    }
    this.out += out;
    if (f.widPresent && f.wid > width && f.minus) this.out += this.padding(f.wid - width);
  }
}

const NO_ARG = Symbol('no argument');

/** fmt's %v of one value, as `{{ }}` prints it. */
export function formatValue(value: GoValue): string {
  const p = new Printer();
  if (value === undefined) return '<invalid reflect.Value>';
  p.printArg(value, 'v');
  return p.out;
}

/** fmt.Sprint: a space goes between two operands only when neither is a string. */
export function sprint(args: GoValue[]): string {
  const p = new Printer();
  args.forEach((arg, i) => {
    if (i > 0 && typeof arg !== 'string' && typeof args[i - 1] !== 'string') p.out += ' ';
    p.printArg(arg, 'v');
  });
  return p.out;
}

export function sprintln(args: GoValue[]): string {
  const p = new Printer();
  args.forEach((arg, i) => {
    if (i > 0) p.out += ' ';
    p.printArg(arg, 'v');
  });
  return p.out + '\n';
}

function tooLarge(n: number): boolean {
  return n > 1e6 || n < -1e6;
}

/** parsenum: digits from `start` up to `end`; an over-large number swallows the rest of the format. */
function parsenum(s: string, start: number, end: number): { num: number; isnum: boolean; next: number } {
  if (start >= end) return { num: 0, isnum: false, next: end };
  let num = 0;
  let isnum = false;
  let i = start;
  for (; i < end && s[i]! >= '0' && s[i]! <= '9'; i++) {
    if (tooLarge(num)) return { num: 0, isnum: false, next: end };
    num = num * 10 + (s.charCodeAt(i) - 48);
    isnum = true;
  }
  return { num, isnum, next: i };
}

function intFromArg(args: GoValue[], argNum: number): { num: number; isInt: boolean; next: number } {
  let num = 0;
  let isInt = false;
  let next = argNum;
  if (argNum < args.length) {
    const arg = args[argNum];
    if (arg instanceof GoInt && arg.value >= -(2n ** 63n) && arg.value < 2n ** 63n) {
      num = Number(arg.value);
      isInt = true;
    }
    next = argNum + 1;
    if (tooLarge(num)) {
      num = 0;
      isInt = false;
    }
  }
  return { num, isInt, next };
}

/** fmt.Sprintf: Go's doPrintf, flag by flag. The format is scanned by UTF-16 unit but every byte that
 * matters to the scan is ASCII, so positions agree with Go's byte scan. */
export function sprintf(format: string, args: GoValue[]): string {
  const p = new Printer();
  const f = p.f;
  const end = format.length;
  let argNum = 0;
  let reordered = false;
  let goodArgNum = true;

  const argNumber = (i: number): { argNum: number; i: number; found: boolean } => {
    if (i >= end || format[i] !== '[') return { argNum, i, found: false };
    reordered = true;
    let index = 0;
    let wid = 1;
    let ok = false;
    if (end - i >= 3) {
      for (let j = i + 1; j < end; j++) {
        if (format[j] === ']') {
          const n = parsenum(format, i + 1, j);
          if (!n.isnum || n.next !== j) {
            wid = j - i + 1;
            ok = false;
          } else {
            index = n.num - 1;
            wid = j - i + 1;
            ok = true;
          }
          break;
        }
      }
    }
    if (ok && index >= 0 && index < args.length) return { argNum: index, i: i + wid, found: true };
    goodArgNum = false;
    return { argNum, i: i + wid, found: ok };
  };

  /** Prints the next argument: for %v, `#` and `+` become Go's sharpV / plusV (Go-syntax, field names) instead. */
  const printNext = (verb: string): void => {
    if (verb === 'v') {
      f.sharpV = f.sharp;
      f.sharp = false;
      f.plusV = f.plus;
      f.plus = false;
    }
    p.printArg(args[argNum]!, verb);
    argNum++;
  };

  let i = 0;
  formatLoop: while (i < end) {
    goodArgNum = true;
    const last = i;
    while (i < end && format[i] !== '%') i++;
    if (i > last) p.out += format.slice(last, i);
    if (i >= end) break;
    i++;
    f.clear();
    simple: for (; i < end; i++) {
      const c = format[i]!;
      switch (c) {
        case '#':
          f.sharp = true;
          break;
        case '0':
          f.zero = !f.minus;
          break;
        case '+':
          f.plus = true;
          break;
        case '-':
          f.minus = true;
          f.zero = false;
          break;
        case ' ':
          f.space = true;
          break;
        default:
          if (c >= 'a' && c <= 'z' && argNum < args.length) {
            printNext(c);
            i++;
            continue formatLoop;
          }
          break simple;
      }
    }

    let r = argNumber(i);
    argNum = r.argNum;
    i = r.i;
    let afterIndex = r.found;

    if (i < end && format[i] === '*') {
      i++;
      const w = intFromArg(args, argNum);
      f.wid = w.num;
      f.widPresent = w.isInt;
      argNum = w.next;
      if (!f.widPresent) p.out += '%!(BADWIDTH)';
      if (f.wid < 0) {
        f.wid = -f.wid;
        f.minus = true;
        f.zero = false;
      }
      afterIndex = false;
    } else {
      const n = parsenum(format, i, end);
      f.wid = n.num;
      f.widPresent = n.isnum;
      i = n.next;
      if (afterIndex && f.widPresent) goodArgNum = false;
    }

    if (i + 1 < end && format[i] === '.') {
      i++;
      if (afterIndex) goodArgNum = false;
      r = argNumber(i);
      argNum = r.argNum;
      i = r.i;
      afterIndex = r.found;
      if (i < end && format[i] === '*') {
        i++;
        const w = intFromArg(args, argNum);
        f.prec = w.num;
        f.precPresent = w.isInt;
        argNum = w.next;
        if (f.prec < 0) {
          f.prec = 0;
          f.precPresent = false;
        }
        if (!f.precPresent) p.out += '%!(BADPREC)';
        afterIndex = false;
      } else {
        const n = parsenum(format, i, end);
        f.prec = n.num;
        f.precPresent = n.isnum;
        i = n.next;
        if (!f.precPresent) {
          f.prec = 0;
          f.precPresent = true;
        }
      }
    }

    if (!afterIndex) {
      r = argNumber(i);
      argNum = r.argNum;
      i = r.i;
      afterIndex = r.found;
    }

    if (i >= end) {
      p.out += '%!(NOVERB)';
      break;
    }
    const verb = String.fromCodePoint(format.codePointAt(i)!);
    i += verb.length;

    if (verb === '%') p.out += '%';
    else if (!goodArgNum) p.out += `%!${verb}(BADINDEX)`;
    else if (argNum >= args.length) p.out += `%!${verb}(MISSING)`;
    else {
      printNext(verb);
    }
  }

  if (!reordered && argNum < args.length) {
    f.clear();
    p.out += '%!(EXTRA ';
    args.slice(argNum).forEach((arg, k) => {
      if (k > 0) p.out += ', ';
      if (arg === null || arg === undefined) p.out += '<nil>';
      else {
        p.out += typeName(arg) + '=';
        p.printArg(arg, 'v');
      }
    });
    p.out += ')';
  }
  return p.out;
}

export { GoFloat };
