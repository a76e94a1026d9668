import { randomFillSync } from 'node:crypto';

/**
 * Typed, prefixed ids (`msg_`, `ep_`, `dlv_`, `att_` ...). The body is a ULID-like string: 10 chars of
 * millisecond time then 16 random chars, Crockford base32, so ids sort by creation time. Cursor paging
 * relies on that order.
 */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

export type IdPrefix = 'msg' | 'ep' | 'dlv' | 'att' | 'sub' | 'top' | 'in' | 'req' | 'key' | 'psn';

let lastMs = 0;
let lastRandom: number[] = [];
// Random bytes are drawn in blocks: one call per id made ids a measurable share of the delivery loop.
const pool = Buffer.alloc(4096);
let poolAt = pool.length;

function randomDigits(): number[] {
  if (poolAt + 16 > pool.length) {
    randomFillSync(pool);
    poolAt = 0;
  }
  const out = new Array<number>(16);
  for (let i = 0; i < 16; i++) out[i] = pool[poolAt + i]! & 31;
  poolAt += 16;
  return out;
}

function encodeTime(ms: number): string {
  let out = '';
  for (let i = 0; i < 10; i++) {
    out = ALPHABET[ms % 32]! + out;
    ms = Math.floor(ms / 32);
  }
  return out;
}

function nextRandom(ms: number): number[] {
  if (ms === lastMs && lastRandom.length === 16) {
    // Monotonic within one millisecond: increment the random part so ids from one process keep their order.
    const r = lastRandom.slice();
    for (let i = 15; i >= 0; i--) {
      if (r[i]! < 31) {
        r[i]! += 1;
        break;
      }
      r[i] = 0;
    }
    lastRandom = r;
    return r;
  }
  lastMs = ms;
  lastRandom = randomDigits();
  return lastRandom;
}

export function newId(prefix: IdPrefix, nowMs: number = Date.now()): string {
  const r = nextRandom(nowMs);
  let tail = '';
  for (const n of r) tail += ALPHABET[n];
  return `${prefix}_${encodeTime(nowMs)}${tail}`;
}

/** The smallest id of a kind created at or after `ms`: lets `since` filters use the id index. */
export function idFloor(prefix: IdPrefix, ms: number): string {
  return `${prefix}_${encodeTime(ms)}`;
}
