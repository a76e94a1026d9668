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
