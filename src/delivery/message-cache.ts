import type { MessageView } from '../formats/types.js';

/**
 * Messages this process has just published, for its own dispatcher: with the API and a worker in one process,
 * the worker would otherwise read back and parse every message the API wrote a moment before. Only messages
 * that never change are kept (a coalescing message still gathers entity ids until its window closes), and only
 * once their transaction has committed. Bounded by count and by size, oldest first out; a miss reads the store
 * as before.
 */
export interface MessageCache {
  /** `bytes`: about what the view holds, e.g. the length of its data as JSON. */
  put(view: MessageView, bytes: number): void;
  get(id: string): MessageView | undefined;
  /** The view with the bytes it was put with. */
  entry(id: string): { view: MessageView; bytes: number } | undefined;
}

export interface MessageCacheLimits {
  maxEntries?: number;
  /** Bytes of message data held at most; a single message larger than an eighth of it is not kept. */
  maxBytes?: number;
}

/**
 * The defaults hold the messages of a burst of a few ten thousand events until the worker gets to them, and
 * never more than 16 MiB of their data, whatever size the events are: half of what the worker may hold in
 * jobs, so that under `npm start`'s heap cap the cache, the held jobs and a large batch being parsed fit together.
 */
export function makeMessageCache({ maxEntries = 50_000, maxBytes = 16 * 1024 * 1024 }: MessageCacheLimits = {}): MessageCache {
  const entries = new Map<string, { view: MessageView; bytes: number }>();
  let total = 0;
  return {
    put(view, bytes) {
      if (bytes > maxBytes / 8 || entries.has(view.id)) return;
      entries.set(view.id, { view, bytes });
      total += bytes;
      for (const [id, oldest] of entries) {
        if (entries.size <= maxEntries && total <= maxBytes) break;
        entries.delete(id);
        total -= oldest.bytes;
      }
    },
    get: (id) => entries.get(id)?.view,
    entry: (id) => entries.get(id),
  };
}

/**
 * The message as formats render it, from its stored columns. `entityIds` is passed already parsed. The data stays
 * text: it crosses to a send thread by structured clone, and only a template ever reads inside it.
 */
export function messageView(
  row: { id: string; tenant: string; type: string; action: string; result: string; created_at: number; data: string; traceparent?: string | null },
  entityIds: string[],
): MessageView {
  return {
    id: row.id,
    tenant: row.tenant,
    type: row.type,
    action: row.action,
    result: row.result === 'failed' ? 'failed' : 'succeed',
    entityIds,
    dataJson: row.data,
    timestamp: new Date(row.created_at).toISOString(),
    traceparent: row.traceparent ?? null,
  };
}
