import type { RouteTopic } from './routing.js';
import type { ServiceContext } from './context.js';

/**
 * Topics change rarely and are read on every publish: keep them in memory, drop the copy when this process
 * changes one, and re-read at least every two seconds so changes made by other processes arrive too.
 */
export function makeTopicCache(ctx: ServiceContext, ttlMs = 2000) {
  let cached: Map<string, RouteTopic> | null = null;
  let loadedAt = 0;
  ctx.events.on('topic-changed', () => {
    cached = null;
  });
  return async function topics(): Promise<Map<string, RouteTopic>> {
    if (cached && ctx.now() - loadedAt < ttlMs) return cached;
    const rows = await ctx.store.db.selectFrom('topics').select(['id', 'patterns', 'enabled']).execute();
    cached = new Map(rows.map((r) => [r.id, { id: r.id, patterns: JSON.parse(r.patterns) as string[], enabled: r.enabled === 1 }]));
    loadedAt = ctx.now();
    return cached;
  };
}
