import type { MessageView } from '../formats/types.js';

/**
 * Messages this process has just published, for its own dispatcher: with the API and a worker in one process,
 * the worker would otherwise read back and parse every message the API wrote a moment before. Only messages
 * that never change are kept (a coalescing message still gathers entity ids until its window closes), and only
 * once their transaction has committed. Bounded by count, oldest first out; a miss reads the store as before.
 */
export interface MessageCache {
  put(view: MessageView): void;
  get(id: string): MessageView | undefined;
}

export function makeMessageCache(max = 10_000): MessageCache {
  const views = new Map<string, MessageView>();
  return {
    put(view) {
      if (views.size >= max) views.delete(views.keys().next().value!);
      views.set(view.id, view);
    },
    get: (id) => views.get(id),
  };
}

/**
 * The message as formats render it, from its stored columns; `entityIds` and `data` are passed already parsed,
 * so the publisher (which holds them as objects) and the dispatcher (which reads them as JSON) build the same view.
 */
export function messageView(
  row: { id: string; tenant: string; type: string; action: string; result: string; created_at: number },
  entityIds: string[],
  data: Record<string, unknown>,
): MessageView {
  return {
    id: row.id,
    tenant: row.tenant,
    type: row.type,
    action: row.action,
    result: row.result === 'failed' ? 'failed' : 'succeed',
    entityIds,
    data,
    timestamp: new Date(row.created_at).toISOString(),
  };
}
