import type { MessageView, TopicTemplates } from '../formats/types.js';
import type { Store } from '../store/database.js';
import { idListParam, inIdList } from '../store/id-list.js';
import { preparedPerStore } from '../store/prepared.js';
import type { ClaimedDelivery } from '../store/queries/claim-due-deliveries.js';
import type { EndpointRow } from './endpoint-render.js';
import type { MessageCache } from './message-cache.js';
import { messageView } from './message-cache.js';

/** A claimed delivery with what sending it needs: its message, endpoint row and topic templates. */
export interface Job {
  delivery: ClaimedDelivery;
  message: MessageView;
  /** About what the message holds in memory (its stored JSON), counted against the dispatcher's byte budget. */
  messageBytes: number;
  endpoint: EndpointRow;
  templates: TopicTemplates | null;
}

/** What a claimed batch turned into. Every claimed delivery lands in exactly one of the three. */
export interface ReadJobs {
  jobs: Job[];
  /** Deliveries whose message is stored but cannot be parsed: a failed attempt each, not a cancellation. */
  unreadable: { delivery: ClaimedDelivery; url: string | null; error: Error }[];
  /** Deliveries whose endpoint or message no longer exists. */
  orphans: ClaimedDelivery[];
}

/** How long an endpoint row is reused before it is read again (an `endpoint-changed` event drops it at once). */
const ENDPOINT_ROW_TTL_MS = 1000;

/** The messages of a claimed batch, in one prepared statement whatever the batch's size. */
const selectMessages = preparedPerStore((caps) => (db, ids: unknown) => db.selectFrom('messages').selectAll().where(inIdList(caps.idListParam, 'id', ids)));

export interface JobReaderOptions {
  store: Store;
  now(): number;
  /** Messages this process has just published: read from here instead of the store when present. */
  recentMessages?: MessageCache;
}

/**
 * Turns claimed rows into jobs: reads their messages (or takes them from the hand-over cache), endpoints (cached
 * for a second) and topics. Reads only; what to do with orphans and unreadable messages is the caller's.
 */
export function makeJobReader({ store, now, recentMessages }: JobReaderOptions) {
  const endpointCache = new Map<string, { row: EndpointRow; at: number }>();

  async function loadEndpoints(ids: string[]): Promise<Map<string, EndpointRow>> {
    const at = now();
    const missing = ids.filter((id) => {
      const c = endpointCache.get(id);
      return !c || at - c.at > ENDPOINT_ROW_TTL_MS;
    });
    if (missing.length > 0) {
      const rows = await store.db.selectFrom('endpoints').selectAll().where('id', 'in', missing).execute();
      for (const row of rows) endpointCache.set(row.id, { row, at });
    }
    const out = new Map<string, EndpointRow>();
    for (const id of ids) {
      const c = endpointCache.get(id);
      if (c) out.set(id, c.row);
    }
    return out;
  }

  async function read(claimed: ClaimedDelivery[]): Promise<ReadJobs> {
    const views = new Map<string, { view: MessageView; bytes: number }>();
    const unread: string[] = [];
    for (const id of new Set(claimed.map((d) => d.message_id))) {
      const entry = recentMessages?.entry(id);
      if (entry) views.set(id, entry);
      else unread.push(id);
    }
    const messages = unread.length > 0 ? await selectMessages(store.caps)(store.db, idListParam(store.caps, unread)) : [];
    const broken = new Map<string, Error>();
    for (const m of messages) {
      try {
        const view = messageView(m, JSON.parse(m.entity_ids) as string[]);
        views.set(m.id, { view, bytes: m.data.length + m.entity_ids.length + 256 });
      } catch (e) {
        broken.set(m.id, new Error(`message ${m.id} cannot be read: ${(e as Error).message}`));
      }
    }
    const endpoints = await loadEndpoints([...new Set(claimed.map((d) => d.endpoint_id))]);
    const topicIds = [...new Set(claimed.map((d) => d.topic_id).filter((t): t is string => t !== null))];
    const topics = topicIds.length
      ? await store.db.selectFrom('topics').select(['id', 'title_en', 'title_cn', 'content_en', 'content_cn', 'template_mode']).where('id', 'in', topicIds).execute()
      : [];
    const topicById = new Map(topics.map((t) => [t.id, t]));
    const out: ReadJobs = { jobs: [], unreadable: [], orphans: [] };
    for (const d of claimed) {
      const message = views.get(d.message_id);
      const endpoint = endpoints.get(d.endpoint_id);
      const error = broken.get(d.message_id);
      if (error !== undefined) out.unreadable.push({ delivery: d, url: endpoint?.url ?? null, error });
      else if (!message || !endpoint) out.orphans.push(d);
      else out.jobs.push({ delivery: d, endpoint, templates: d.topic_id ? (topicById.get(d.topic_id) ?? null) : null, message: message.view, messageBytes: message.bytes });
    }
    return out;
  }

  return {
    read,
    /** Every endpoint row read so far: the scheduler looks among them for rate limits that have no token. */
    *knownEndpoints(): Iterable<EndpointRow> {
      for (const c of endpointCache.values()) yield c.row;
    },
    /** The endpoint's row as last read, however long ago (undefined if never read or forgotten). */
    endpoint: (endpointId: string): EndpointRow | undefined => endpointCache.get(endpointId)?.row,
    /** Drops a cached row, so the next claim of its deliveries reads the endpoint again. */
    forget: (endpointId: string): void => void endpointCache.delete(endpointId),
  };
}

export type JobReader = ReturnType<typeof makeJobReader>;
