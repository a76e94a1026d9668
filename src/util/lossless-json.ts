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
