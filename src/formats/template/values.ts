import { JsonNumber } from '../../util/lossless-json.js';
import { compareUtf8 } from '../sorted-json.js';

/**
 * Template data seen the way a Go program sees decoded JSON: objects are map[string]interface{},
 * arrays []interface{}, integers that fit 64 bits an int type and every other number float64. Two
 * absences stay apart: `undefined` is Go's invalid value (a missing map key), `null` a nil interface
 * (JSON null or the nil literal).
 *
 * Numbers are exact: an integer is a bigint, so ids beyond 2^53 print as published, and a number read
 * losslessly keeps its text. Only a number Go itself holds as float64 (a fraction, an exponent, an
 * integer beyond int64) is a JS double, which is exactly what Go computes with.
 */

/** The Go integer types template values take: `int` for literals and Go's own decoding, `int64` as
 * Cloudpods' jsonutils types JSON integers, `uint8` for a byte indexed out of a string. */
export type IntType = 'int' | 'int64' | 'uint8';

export class GoInt {
  constructor(
    readonly value: bigint,
    readonly type: IntType = 'int',
    /** The publisher's spelling, when the number was read losslessly. */
    readonly text?: string,
  ) {}
}

export class GoFloat {
  constructor(
    readonly value: number,
    readonly text?: string,
  ) {}
}

/** complex128, reachable only through literals such as `{{1i}}`. */
export class GoComplex {
  constructor(
    readonly re: number,
    readonly im: number,
  ) {}
}

export type GoMap = Map<string, GoValue>;
export type GoValue = undefined | null | string | boolean | GoInt | GoFloat | GoComplex | GoValue[] | GoMap;

export type Kind = 'invalid' | 'nil' | 'string' | 'int' | 'float' | 'complex' | 'bool' | 'slice' | 'map';

/** How integers in the data are typed: `int` as Go's own decoding into interface{} would, `int64` as jsonutils does. */
export type IntTyping = 'int' | 'int64';

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const INTEGER_TEXT = /^-?(?:0|[1-9][0-9]*)$/;

export function int(value: number | bigint, type: IntType = 'int'): GoInt {
  return new GoInt(typeof value === 'bigint' ? value : BigInt(value), type);
}

/** A JSON number from its text: an integer within int64 keeps its exact value, anything else is float64. */
export function numberFromText(text: string, typing: IntTyping): GoInt | GoFloat {
  if (INTEGER_TEXT.test(text)) {
    const big = BigInt(text);
    if (big >= INT64_MIN && big <= INT64_MAX) return new GoInt(big, typing, text);
  }
  return new GoFloat(Number(text), text);
}

/** A number read losslessly (Herald's JsonNumber, lossless-json's LosslessNumber): an object holding its text. */
function losslessText(value: object): string | null {
  if (value instanceof JsonNumber) return value.text;
  const candidate = value as { isLosslessNumber?: unknown; value?: unknown };
  return candidate.isLosslessNumber === true && typeof candidate.value === 'string' ? candidate.value : null;
}

/** Converts JSON-like JS data once, before execution. */
export function fromJs(value: unknown, typing: IntTyping = 'int'): GoValue {
  if (value === undefined) return undefined;
  if (value === null) return null;
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value;
    case 'number':
      if (Number.isInteger(value) && Math.abs(value) < 2 ** 63) return new GoInt(BigInt(value), typing);
      return new GoFloat(value);
    case 'bigint':
      return value >= INT64_MIN && value <= INT64_MAX ? new GoInt(value, typing) : new GoFloat(Number(value));
    case 'object': {
      if (value instanceof GoInt || value instanceof GoFloat || value instanceof GoComplex || value instanceof Map) {
        return value as GoValue;
      }
      const text = losslessText(value);
      if (text !== null) return numberFromText(text, typing);
      if (Array.isArray(value)) return value.map((item) => (item === undefined ? null : fromJs(item, typing)));
      const withJson = value as { toJSON?: () => unknown };
      if (typeof withJson.toJSON === 'function') return fromJs(withJson.toJSON(), typing);
      const map: GoMap = new Map();
      for (const [key, item] of Object.entries(value)) {
        if (item !== undefined) map.set(key, fromJs(item, typing));
      }
      return map;
    }
    default:
      return null;
  }
}

export function kindOf(value: GoValue): Kind {
  if (value === undefined) return 'invalid';
  if (value === null) return 'nil';
  if (typeof value === 'string') return 'string';
  if (typeof value === 'boolean') return 'bool';
  if (value instanceof GoInt) return 'int';
  if (value instanceof GoFloat) return 'float';
  if (value instanceof GoComplex) return 'complex';
  if (Array.isArray(value)) return 'slice';
  return 'map';
}

/** Go's type names, for error messages and %T. */
export function typeName(value: GoValue): string {
  switch (kindOf(value)) {
    case 'invalid':
    case 'nil':
      return '<nil>';
    case 'string':
      return 'string';
    case 'int':
      return (value as GoInt).type;
    case 'float':
      return 'float64';
    case 'complex':
      return 'complex128';
    case 'bool':
      return 'bool';
    case 'slice':
      return '[]interface {}';
    case 'map':
      return 'map[string]interface {}';
  }
}

/** Go's isTrue: empty values are false; nil and invalid are false. */
export function isTrue(value: GoValue): boolean {
  switch (kindOf(value)) {
    case 'invalid':
    case 'nil':
      return false;
    case 'string':
      return (value as string).length > 0;
    case 'int':
      return (value as GoInt).value !== 0n;
    case 'float':
      return (value as GoFloat).value !== 0;
    case 'complex':
      return (value as GoComplex).re !== 0 || (value as GoComplex).im !== 0;
    case 'bool':
      return value as boolean;
    case 'slice':
      return (value as GoValue[]).length > 0;
    case 'map':
      return (value as GoMap).size > 0;
  }
}

export function sortedKeys(map: GoMap): string[] {
  return [...map.keys()].sort(compareUtf8);
}

export function utf8Length(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}
