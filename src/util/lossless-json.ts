import { parse } from 'lossless-json';

/**
 * A JSON number kept as its text. Herald reads published data through this wherever it must look inside it
 * (Cloudpods bodies, coalescing), so no value is ever rounded to a double on its way to a receiver.
 */
export class JsonNumber {
  constructor(readonly text: string) {}
  /** An approximation, for code that needs arithmetic or comparison (a double: exact up to 2^53). */
  valueOf(): number {
    return Number(this.text);
  }
  toString(): string {
    return this.text;
  }
}

const numberOf = (text: string) => new JsonNumber(text);
/** As JSON.parse: a repeated key keeps its last value. */
const lastWins = ({ newValue }: { newValue: unknown }) => newValue;

/** Parses JSON with every number as a JsonNumber; strings, objects and arrays are plain JavaScript values. */
export function parseLossless(text: string): unknown {
  return parse(text, null, { parseNumber: numberOf, onDuplicateKey: lastWins });
}

/**
 * One text per JSON value regardless of key order and spacing, with numbers as spelled (1.5 and 1.50 differ,
 * as they differ to a receiver of the published text).
 */
export function canonicalLossless(value: unknown): string {
  if (value instanceof JsonNumber) return value.text;
  if (Array.isArray(value)) return `[${value.map(canonicalLossless).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    const keys = Object.keys(record).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalLossless(record[k])}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * JSON.stringify for values that may hold JsonNumbers: each is written as its text, so a value read by
 * parseLossless is written back as it was read. Otherwise as JSON.stringify (with `indent` spaces, as its third
 * argument): keys in their order, undefined and functions left out of objects and null in arrays, toJSON honoured.
 */
export function stringifyExact(value: unknown, indent = 0): string {
  return write(value, indent > 0 ? ' '.repeat(indent) : '', '') ?? 'null';
}

function write(value: unknown, step: string, pad: string): string | undefined {
  if (value instanceof JsonNumber) return value.text;
  if (typeof value !== 'object' || value === null) return JSON.stringify(value);
  const withJson = value as { toJSON?: () => unknown };
  if (typeof withJson.toJSON === 'function') return write(withJson.toJSON(), step, pad);
  const inner = pad + step;
  const open = step === '' ? '' : `\n${inner}`;
  const sep = step === '' ? ',' : `,\n${inner}`;
  const close = step === '' ? '' : `\n${pad}`;
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    return `[${open}${value.map((v) => write(v, step, inner) ?? 'null').join(sep)}${close}]`;
  }
  const parts: string[] = [];
  for (const key of Object.keys(value)) {
    const text = write((value as Record<string, unknown>)[key], step, inner);
    if (text !== undefined) parts.push(`${JSON.stringify(key)}:${step === '' ? '' : ' '}${text}`);
  }
  return parts.length === 0 ? '{}' : `{${open}${parts.join(sep)}${close}}`;
}
