/**
 * Ordered delivery's cost: the same burst of events delivered end to end to an endpoint without ordering, and to
 * endpoints with `entity` ordering over 50 and over 1,000 keys (each key's deliveries go one at a time, so fewer
 * keys means less that can be sent side by side). One Herald process (the built JavaScript) per dialect; each
 * case has its own endpoint and event action, so the cases do not share deliveries.
 */
import { freshDatabase, type Dialect } from '../test/helpers/databases.js';
import { api, spawnHerald } from '../test/helpers/spawn-herald.js';
import { HERALD_ENTRY } from './herald-entry.js';
import type { Receiver } from './outgoing.js';


export interface OrderingCase {
  label: string;
  ordering: 'none' | 'entity';
  /** Distinct first entity ids the events spread over. */
  keys: number;
  deliveriesPerSecond: number;
  duplicates: number;
}

const CASES = [
  // Not reported: the first burst a fresh process delivers also pays for its warm-up (JIT, connections, caches).
  { label: 'warm-up', ordering: 'none', keys: 1000, action: 'EXPIRED' },
  { label: 'none', ordering: 'none', keys: 1000, action: 'CREATED' },
  { label: 'entity, 50 keys', ordering: 'entity', keys: 50, action: 'STARTED' },
  { label: 'entity, 1,000 keys', ordering: 'entity', keys: 1000, action: 'FINISHED' },
] as const;

async function publish(url: string, n: number, keys: number, action: string): Promise<void> {
  let next = 0;
  // One publisher, batches in turn: publish order is then the order of the events here.
  while (next < n) {
    const start = next;
    next += 1000;
    const events = Array.from({ length: Math.min(1000, n - start) }, (_, k) => ({
      type: 'ONDEMAND_ENROLLMENT',
      action,
      entity_ids: [`enr_${(start + k) % keys}`],
      data: { course: 'kubernetes-101', n: start + k },
    }));
    const res = await api(url, 'POST', '/v1/events', { events });
    if (res.status !== 202) throw new Error(`publish answered ${res.status}: ${res.text.slice(0, 300)}`);
  }
}

export async function benchOrdering(rx: Receiver, dialect: Dialect, n: number): Promise<OrderingCase[]> {
  const db = await freshDatabase(dialect);
  const env = { HERALD_DATA_DIR: db.dataDir, HERALD_LOG_LEVEL: 'warn', ...(db.databaseUrl ? { HERALD_DATABASE_URL: db.databaseUrl } : {}) };
  const herald = await spawnHerald(env, undefined, HERALD_ENTRY);
  const out: OrderingCase[] = [];
  try {
    for (const c of CASES) {
      const ep = await api(herald.url, 'POST', '/v1/endpoints', { name: `bench ${c.label}`, url: rx.url, format: 'strigo', ordering: c.ordering });
      if (ep.status !== 201) throw new Error(ep.text);
      await api(herald.url, 'POST', '/v1/subscriptions', { endpoint_id: ep.json.id, events: [`ONDEMAND_ENROLLMENT/${c.action}`] });
      await rx.reset();
      const started = Date.now();
      await publish(herald.url, n, c.keys, c.action);
      const deadline = Date.now() + 600_000;
      let s = await rx.stats();
      while (s.unique < n) {
        if (Date.now() > deadline) throw new Error(`${c.label}: only ${s.unique} of ${n} delivered`);
        await new Promise((r) => setTimeout(r, 100));
        s = await rx.stats();
      }
      if (c.label !== 'warm-up') out.push({ label: c.label, ordering: c.ordering, keys: c.keys, deliveriesPerSecond: n / ((s.lastAt - started) / 1000), duplicates: s.duplicates });
    }
    return out;
  } finally {
    herald.child.kill('SIGTERM');
    await herald.exited;
    await db.drop();
  }
}
