import { compileFilter } from './compile.js';
import type { CompiledFilter } from './language.js';

const MAX_CACHED = 2000;
const cache = new Map<string, CompiledFilter>();

/**
 * A stored filter, compiled once per text: every publish reads its tenant's subscriptions, and parsing each
 * filter again for every event would cost more than evaluating it. Stored filters were validated when saved;
 * one that no longer compiles (a bound tightened since) matches nothing rather than everything.
 */
export function storedFilter(text: string | null): CompiledFilter | null {
  if (text === null) return null;
  let f = cache.get(text);
  if (!f) {
    const c = compileFilter(text);
    f = c.ok ? c.filter : { root: { kind: 'or', of: [] }, text };
    if (cache.size >= MAX_CACHED) cache.clear();
    cache.set(text, f);
  }
  return f;
}
