/**
 * Exact comparison of JSON numbers by their text: 9007199254740993 and 9007199254740992 differ, 1.50 equals 1.5,
 * 1e3 equals 1000. No double is ever made, so integers and decimals of any length compare as written.
 */

interface Decimal {
  negative: boolean;
  /** Significant digits, no leading or trailing zeros; '' for zero. */
  digits: string;
  /** The value is digits x 10^exponent. */
  exponent: number;
}

const NUMBER = /^(-)?(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/;

function decimalOf(text: string): Decimal | null {
  const m = NUMBER.exec(text);
  if (!m) return null;
  const fraction = m[3] ?? '';
  let digits = (m[2]! + fraction).replace(/^0+/, '');
  let exponent = Number(m[4] ?? '0') - fraction.length;
  if (digits === '') return { negative: false, digits: '', exponent: 0 };
  const trimmed = digits.replace(/0+$/, '');
  exponent += digits.length - trimmed.length;
  digits = trimmed;
  return { negative: m[1] === '-', digits, exponent };
}

function compareMagnitude(a: Decimal, b: Decimal): number {
  if (a.digits === '' || b.digits === '') return (a.digits === '' ? 0 : 1) - (b.digits === '' ? 0 : 1);
  // The position of the leading digit decides, then the digits themselves from the left.
  const lead = a.digits.length + a.exponent - (b.digits.length + b.exponent);
  if (lead !== 0) return Math.sign(lead);
  const width = Math.max(a.digits.length, b.digits.length);
  const x = a.digits.padEnd(width, '0');
  const y = b.digits.padEnd(width, '0');
  return x < y ? -1 : x > y ? 1 : 0;
}

/** -1, 0 or 1 as `a` is below, equal to or above `b`; null when either text is not a JSON number. */
export function compareNumberTexts(a: string, b: string): -1 | 0 | 1 | null {
  const x = decimalOf(a);
  const y = decimalOf(b);
  if (!x || !y) return null;
  const xs = x.digits === '' ? 0 : x.negative ? -1 : 1;
  const ys = y.digits === '' ? 0 : y.negative ? -1 : 1;
  if (xs !== ys) return xs < ys ? -1 : 1;
  const m = compareMagnitude(x, y);
  const r = xs < 0 ? -m : m;
  return r < 0 ? -1 : r > 0 ? 1 : 0;
}
