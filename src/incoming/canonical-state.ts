import { JsonNumber, stringifyExact } from '../util/lossless-json.js';
import type { Config, EntityState, StoredInterface, StoredResource } from './types.js';

// Code-unit order, not localeCompare: the order must not depend on the host's locale.
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function compareName(a: string | null, b: string | null): number {
  if (a === b) return 0;
  if (a === null) return -1;
  if (b === null) return 1;
  return compareText(a, b);
}

/** The identity of an interface within an entity: the same key names the same interface. */
export function interfaceKey(i: { resource_id: string; type: string; name?: string | null }): string {
  return JSON.stringify([i.resource_id, i.type, i.name ?? null]);
}

/**
 * A deep copy with object keys sorted, so equal values serialise to equal bytes. Object.fromEntries
 * defines keys as own data properties, so a `__proto__` key stays data and never becomes a prototype.
 */
export function canonicalJson(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonicalJson);
  if (typeof value !== 'object' || value === null || value instanceof JsonNumber) return value;
  const keys = Object.keys(value).sort(compareText);
  return Object.fromEntries(keys.map((k) => [k, canonicalJson((value as Config)[k])]));
}

const ARRAY_INDEX = /^(?:0|[1-9]\d*)$/;

/**
 * The order JSON.stringify gives the keys of canonicalJson's sorted copy: an object lists keys that are array
 * indices first, in numeric order, and then the others in the order they were defined (here, sorted).
 */
function serialisedKeyOrder(keys: string[]): string[] {
  const indices: string[] = [];
  const names: string[] = [];
  for (const k of keys) (ARRAY_INDEX.test(k) && Number(k) < 4294967295 ? indices : names).push(k);
  names.sort(compareText);
  if (indices.length === 0) return names;
  indices.sort((a, b) => Number(a) - Number(b));
  return indices.concat(names);
}

const INTEGER_TEXT = /^-?(?:0|[1-9][0-9]*)$/;

/**
 * A number as digests spell it. Digests of callbacks stored before numbers were kept exact were taken over
 * doubles, so a number is spelled as its double (1.50 as 1.5), and a body sent again is still recognised. Only an
 * integer the double cannot hold (beyond 2^53) is spelled exactly, so two reports of different 64-bit ids are
 * two reports. Digits beyond a double's precision in a fraction are the one place two reports may still agree.
 */
function digestNumber(text: string): string {
  const double = Number(text);
  if (INTEGER_TEXT.test(text) && Number.isFinite(double) && !Number.isSafeInteger(double)) {
    const exact = BigInt(text);
    if (BigInt(double) !== exact) return exact.toString();
  }
  return JSON.stringify(double);
}

/**
 * `JSON.stringify(canonicalJson(value))` in one pass, without building the sorted copy: the digest of every
 * callback is taken this way. Same bytes, including for keys whose value is undefined (left out); a number read
 * losslessly is spelled by digestNumber.
 */
export function canonicalStringify(value: unknown): string {
  if (value instanceof JsonNumber) return digestNumber(value.text);
  if (typeof value !== 'object' || value === null) return JSON.stringify(value);
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) {
      if (i > 0) out += ',';
      const v: unknown = value[i];
      out += v === undefined || typeof v === 'function' || typeof v === 'symbol' ? 'null' : canonicalStringify(v);
    }
    return `${out}]`;
  }
  const keys = serialisedKeyOrder(Object.keys(value));
  let out = '{';
  let first = true;
  for (const k of keys) {
    const v: unknown = (value as Config)[k];
    if (v === undefined || typeof v === 'function' || typeof v === 'symbol') continue;
    if (!first) out += ',';
    first = false;
    out += `${JSON.stringify(k)}:${canonicalStringify(v)}`;
  }
  return `${out}}`;
}

export function canonicalConfig(config: Config): Config {
  return canonicalJson(config) as Config;
}

function canonicalResource(r: StoredResource): StoredResource {
  // Fixed key order: the serialised bytes of a state must not depend on how its objects were built.
  return {
    id: r.id,
    type: r.type,
    name: r.name,
    status: r.status,
    config: canonicalConfig(r.config),
    updated_at: r.updated_at,
    source_ts: r.source_ts,
  };
}

function canonicalInterface(i: StoredInterface): StoredInterface {
  return { type: i.type, resource_id: i.resource_id, name: i.name, config: canonicalConfig(i.config) };
}

/**
 * States this module put in canonical order. States are never changed in place (the reducer builds new objects
 * for whatever a message changes), so one already canonical is returned as it is instead of copied and sorted
 * again: loading a state and applying a message to it would otherwise do that twice per callback.
 */
const canonical = new WeakSet<EntityState>();

/** A copy in canonical order: resources by id, interfaces by (resource_id, type, name), config keys sorted. */
export function canonicalEntityState(state: EntityState): EntityState {
  if (canonical.has(state)) return state;
  const out: EntityState = {
    resources: state.resources.map(canonicalResource).sort((a, b) => compareText(a.id, b.id)),
    interfaces: state.interfaces
      .map(canonicalInterface)
      .sort(
        (a, b) =>
          compareText(a.resource_id, b.resource_id) || compareText(a.type, b.type) || compareName(a.name, b.name),
      ),
  };
  canonical.add(out);
  return out;
}

/** The bytes a state is stored and compared as; equal states give equal bytes, numbers as the backend wrote them. */
export function serializeEntityState(state: EntityState): string {
  return stringifyExact(canonicalEntityState(state));
}

/** The state of an entity no incoming message has spoken of yet. */
export function emptyEntityState(): EntityState {
  return { resources: [], interfaces: [] };
}
