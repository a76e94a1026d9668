import type { Config, Problem } from './types.js';

/** Longest string Herald keeps from an incoming message, other than inside `config`. */
export const MAX_STRING_LENGTH = 1000;
/** `config` is stored and streamed as it came; the depth cap keeps canonicalising it from exhausting the stack. */
export const MAX_CONFIG_DEPTH = 32;

export type JsonObject = Record<string, unknown>;

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Appends one reference token to a JSON pointer, escaped as RFC 6901 requires. */
export function child(path: string, token: string | number): string {
  return `${path}/${String(token).replaceAll('~', '~0').replaceAll('/', '~1')}`;
}

export function has(obj: JsonObject, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(obj, key);
}

export interface StringRule {
  required: boolean;
  maxLength?: number;
}

/**
 * The string at `obj[key]`, or undefined when it is absent or refused (the reason goes to `problems`).
 * An empty string is refused: for ids it would name nothing, for names it would be a second way to say "none".
 * `null` is refused like any other non-string, so that "absent" has exactly one spelling.
 */
export function readString(
  obj: JsonObject,
  key: string,
  path: string,
  rule: StringRule,
  problems: Problem[],
): string | undefined {
  const at = child(path, key);
  if (!has(obj, key)) {
    if (rule.required) problems.push({ path: at, message: 'is required' });
    return undefined;
  }
  const value = obj[key];
  if (typeof value !== 'string') {
    problems.push({ path: at, message: `must be a string, got ${describe(value)}` });
    return undefined;
  }
  if (value.length === 0) {
    problems.push({ path: at, message: 'must not be empty' });
    return undefined;
  }
  const max = rule.maxLength ?? MAX_STRING_LENGTH;
  if (value.length > max) {
    problems.push({ path: at, message: `must be at most ${max} characters, got ${value.length}` });
    return undefined;
  }
  return value;
}

/** The value at `obj[key]` when it is one of `allowed`; anything else is a problem that lists them. */
export function readEnum<T extends string>(
  obj: JsonObject,
  key: string,
  path: string,
  allowed: readonly T[],
  rule: { required: boolean; what: string },
  problems: Problem[],
): T | undefined {
  const at = child(path, key);
  if (!has(obj, key)) {
    if (rule.required) {
      problems.push({ path: at, message: `is required; allowed: ${allowed.join(', ')}`, allowed: [...allowed] });
    }
    return undefined;
  }
  const value = obj[key];
  if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T;
  const shown = typeof value === 'string' ? `'${truncate(value)}'` : describe(value);
  problems.push({
    path: at,
    message: `${shown} is not a ${rule.what}; allowed: ${allowed.join(', ')}`,
    allowed: [...allowed],
  });
  return undefined;
}

/** An optional `config` object made only of JSON values, nested at most MAX_CONFIG_DEPTH deep. */
export function readConfig(obj: JsonObject, key: string, path: string, problems: Problem[]): Config | undefined {
  if (!has(obj, key)) return undefined;
  const value = obj[key];
  const at = child(path, key);
  if (!isObject(value)) {
    problems.push({ path: at, message: `must be an object, got ${describe(value)}` });
    return undefined;
  }
  const before = problems.length;
  checkJson(value, at, 1, problems);
  return problems.length === before ? value : undefined;
}

function checkJson(value: unknown, path: string, depth: number, problems: Problem[]): void {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) problems.push({ path, message: 'must be a finite number' });
    return;
  }
  if (typeof value !== 'object') {
    problems.push({ path, message: `must be a JSON value, got ${describe(value)}` });
    return;
  }
  if (depth > MAX_CONFIG_DEPTH) {
    problems.push({ path, message: `nests deeper than ${MAX_CONFIG_DEPTH} levels` });
    return;
  }
  const entries: [string | number, unknown][] = Array.isArray(value) ? [...value.entries()] : Object.entries(value);
  for (const [k, v] of entries) checkJson(v, child(path, k), depth + 1, problems);
}

export function describe(value: unknown): string {
  if (value === null || value === undefined) return String(value);
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') return 'a string';
  return `a ${typeof value}`;
}

function truncate(text: string): string {
  return text.length > 60 ? `${text.slice(0, 60)}...` : text;
}
