import { compareUtf8 } from '../sorted-json.js';

/**
 * Template data seen the way a Go program sees decoded JSON: objects are map[string]interface{},
 * arrays []interface{}, integral numbers int and the others float64. Two absences matter and stay
 * apart: `undefined` is Go's invalid value (a missing map key, printed `<no value>`), `null` is a nil
 * interface (JSON null or the nil literal, printed `<nil>`).
 */

export class GoFloat {
  constructor(readonly value: number) {}
}

export type GoMap = Map<string, GoValue>;
export type GoValue = undefined | null | string | number | boolean | GoFloat | GoValue[] | GoMap;

export type Kind = 'invalid' | 'nil' | 'string' | 'int' | 'float' | 'bool' | 'slice' | 'map';

const INT64_LIMIT = 2 ** 63;

/** Converts JSON-like JS data once, before execution. */
export function fromJs(value: unknown): GoValue {
  if (value === undefined) return undefined;
  if (value === null) return null;
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value;
    case 'number':
      return Number.isInteger(value) && Math.abs(value) < INT64_LIMIT ? value : new GoFloat(value);
    case 'bigint':
      return Number(value);
    case 'object': {
      if (value instanceof GoFloat || value instanceof Map) return value as GoValue;
      if (Array.isArray(value)) return value.map((item) => (item === undefined ? null : fromJs(item)));
      const withJson = value as { toJSON?: () => unknown };
      if (typeof withJson.toJSON === 'function') return fromJs(withJson.toJSON());
      const map: GoMap = new Map();
      for (const [key, item] of Object.entries(value)) {
        if (item !== undefined) map.set(key, fromJs(item));
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
  if (typeof value === 'number') return 'int';
  if (typeof value === 'boolean') return 'bool';
  if (value instanceof GoFloat) return 'float';
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
      return 'int';
    case 'float':
      return 'float64';
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
      return value !== 0;
    case 'float':
      return (value as GoFloat).value !== 0;
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
