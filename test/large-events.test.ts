import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DIALECTS, freshDatabase, skipFor } from './helpers/databases.js';
import { until } from './helpers/herald.js';
import { startReceiver } from './helpers/receiver.js';
import { api, spawnHerald } from './helpers/spawn-herald.js';

const EVENTS = 1000;
const EVENT_BYTES = 200 * 1024;
const PER_REQUEST = 50;

/** `data` of about EVENT_BYTES as JSON, made of many small values (what parsed JSON costs most heap for). */
function bigData(n: number): Record<string, unknown> {
  const items: { id: string; note: string }[] = [];
  let size = 0;
  for (let i = 0; size < EVENT_BYTES; i++) {
    const item = { id: `item-${n}-${i}`, note: `${n}:${i}:`.padEnd(180, 'x') };
    items.push(item);
    size += JSON.stringify(item).length + 1;
  }
  return { items };
}

/** The heap caps `npm start` gives the process (package.json), with the send thread's own cap inside it. */
const NPM_START_FLAGS = ['--max-old-space-size=160', '--max-semi-space-size=4', '--import', 'tsx', 'src/main.ts'];

for (const dialect of DIALECTS) {
  describe(`large events under npm start's heap caps (${dialect})`, { skip: skipFor(dialect) }, () => {
    it('1,000 events of 200 KiB published at once are all delivered, each at its first attempt', async () => {
      const db = await freshDatabase(dialect);
      // A wide endpoint whose receiver holds every answer until all is published: as many deliveries as the
      // worker will take are claimed and in flight at once.
      let open!: () => void;
      const gate = new Promise<void>((resolve) => (open = resolve));
      const r = await startReceiver(async () => {
        await gate;
        return { status: 200 };
      });
      // Held answers must not time out while the rest is published: a timed-out attempt would be sent again.
      // Batches of 50 such events are about 10 MiB, over the default body limit: the limit is raised as an operator would.
      const env = { HERALD_DATA_DIR: db.dataDir, HERALD_REQUEST_TIMEOUT: '10m', HERALD_MAX_BODY_BYTES: '16MiB', ...(db.databaseUrl ? { HERALD_DATABASE_URL: db.databaseUrl } : {}) };
      const h = await spawnHerald(env, undefined, NPM_START_FLAGS);
      try {
        const ep = await api(h.url, 'POST', '/v1/endpoints', { name: 'big', url: r.url, format: 'strigo', max_in_flight: 1024 });
        assert.equal(ep.status, 201, ep.text);
        const sub = await api(h.url, 'POST', '/v1/subscriptions', { endpoint_id: ep.json.id, events: ['*'] });
        assert.equal(sub.status, 201, sub.text);
        const accepted: string[] = [];
        for (let b = 0; b < EVENTS / PER_REQUEST; b++) {
          const events = Array.from({ length: PER_REQUEST }, (_, i) => ({ type: 'CLASS', action: 'CREATED', entity_ids: [`c${b}-${i}`], data: bigData(b * PER_REQUEST + i) }));
          const res = await api(h.url, 'POST', '/v1/events', { events });
          assert.equal(res.status, 202, res.text.slice(0, 500));
          accepted.push(...res.json.data.map((d: { id: string }) => d.id));
        }
        assert.equal(accepted.length, EVENTS);
        open();

        await r.waitFor(EVENTS, 240_000);
        const got = r.received.map((x) => JSON.parse(x.body).message_id as string);
        assert.deepEqual(got.sort(), [...accepted].sort(), 'each event arrived once');
        assert.ok(r.received.every((x) => x.raw.length > EVENT_BYTES), 'every request carried its whole event');

        // A send thread that ran out of memory would have answered its attempts as failed sends (retried later):
        // every delivery succeeding at its first attempt says none did.
        const deliveries = await until(async () => {
          const all: { status: string; attempt_count: number }[] = [];
          let cursor: string | null = null;
          do {
            const page = await api(h.url, 'GET', `/v1/deliveries?endpoint_id=${ep.json.id}&limit=500${cursor ? `&cursor=${cursor}` : ''}`);
            assert.equal(page.status, 200, page.text);
            all.push(...page.json.data);
            cursor = page.json.next_cursor;
          } while (cursor);
          return all.every((d) => d.status === 'succeeded') ? all : null;
        }, 20_000, 'every delivery recorded as succeeded');
        assert.equal(deliveries.length, EVENTS);
        assert.deepEqual([...new Set(deliveries.map((d) => d.attempt_count))], [1]);
        assert.doesNotMatch(h.output(), /send thread exited|heap out of memory/i);
      } finally {
        open();
        h.child.kill('SIGTERM');
        await h.exited;
        await r.close();
        await db.drop();
      }
    });
  });
}
