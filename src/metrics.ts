import client from 'prom-client';
import type { ApiDeps } from './api/deps.js';
import type { App } from './api/server.js';
import type { ServiceContext } from './services/context.js';
import type { AttemptOutcome } from './store/queries/record-outcomes.js';

/**
 * Prometheus metrics for one Herald instance. Each instance owns its registry, so several Herald instances in one
 * process (the tests) never share counters.
 *
 * Counters move on in-process events: `delivery-outcome` (the dispatcher, after recording) and `incoming` (the
 * incoming service: emit `{ outcome: 'applied' | 'unchanged' | 'refused' }` or call `metrics.incoming(outcome)`);
 * the back-pressure gauges on the dispatcher's `outcome-backpressure` (`{ paused, unwritten }`); `filtered` (the
 * publisher, after a commit: `{ type, count }` subscriptions passed over by their filter); `handed-over` (the
 * publisher, after a commit: how many of its deliveries went straight to this process's worker).
 * Queue gauges are read from the store at scrape time, one indexed query each, so they are right whichever
 * process did the work.
 */
export function makeMetrics(ctx: ServiceContext) {
  const registry = new client.Registry();
  client.collectDefaultMetrics({ register: registry, prefix: 'herald_process_' });

  const deliveries = new client.Counter({
    name: 'herald_deliveries_total',
    help: 'Delivery attempts recorded, by outcome (succeeded, retrying, failed) and endpoint format.',
    labelNames: ['outcome', 'format'] as const,
    registers: [registry],
  });
  const latency = new client.Histogram({
    name: 'herald_attempt_duration_seconds',
    help: 'Time from sending an attempt to its answer (or error), by endpoint format.',
    labelNames: ['format'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 15],
    registers: [registry],
  });
  const incomingTotal = new client.Counter({
    name: 'herald_incoming_total',
    help: 'Incoming callback messages, by result (applied, unchanged, refused).',
    labelNames: ['result'] as const,
    registers: [registry],
  });
  const refused = new client.Counter({
    name: 'herald_incoming_refused_total',
    help: 'Refused incoming callbacks, by the status answered (401 failed authentication, 429 too many failures, 4xx invalid).',
    labelNames: ['status'] as const,
    registers: [registry],
  });
  const refusedUnlogged = new client.Counter({
    name: 'herald_incoming_refused_unlogged_total',
    help: 'Refused incoming callbacks counted without a row in the incoming log (rate-limited, or past the log budget for unauthenticated callers).',
    registers: [registry],
  });
  const http = new client.Counter({
    name: 'herald_http_requests_total',
    help: 'HTTP requests served, by method, route pattern and status code.',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [registry],
  });
  const filtered = new client.Counter({
    name: 'herald_filtered_total',
    help: 'Subscriptions that matched an event key and scope but whose filter passed the message over (no delivery made), by event type.',
    labelNames: ['type'] as const,
    registers: [registry],
  });
  const handedOver = new client.Counter({
    name: 'herald_deliveries_handed_over_total',
    help: 'Deliveries this process published and gave straight to its own worker, leased in the publish transaction (no claim); the rest wait for a claim.',
    registers: [registry],
  });
  const claimsPaused = new client.Gauge({
    name: 'herald_worker_claims_paused',
    help: '1 while this worker claims no new deliveries because their outcomes cannot be written to the store.',
    registers: [registry],
  });
  claimsPaused.set(0);
  const unwrittenOutcomes = new client.Gauge({
    name: 'herald_worker_unwritten_outcomes',
    help: 'Delivery outcomes this worker holds that the store has not taken yet (while claims are paused).',
    registers: [registry],
  });
  unwrittenOutcomes.set(0);
  new client.Gauge({
    name: 'herald_queue_depth',
    help: 'Pending deliveries that are due now.',
    registers: [registry],
    async collect() {
      const row = await ctx.store.db
        .selectFrom('deliveries')
        .select((eb) => eb.fn.countAll<string | number>().as('n'))
        .where('status', '=', 'pending')
        .where('next_attempt_at', '<=', ctx.now())
        .executeTakeFirst();
      this.set(Number(row?.n ?? 0));
    },
  });
  new client.Gauge({
    name: 'herald_queue_oldest_due_age_seconds',
    help: 'How long the longest-waiting due delivery has been due (0 when none is).',
    registers: [registry],
    async collect() {
      const now = ctx.now();
      const row = await ctx.store.db
        .selectFrom('deliveries')
        .select((eb) => eb.fn.min('next_attempt_at').as('oldest'))
        .where('status', '=', 'pending')
        .where('next_attempt_at', '<=', now)
        .executeTakeFirst();
      const oldest = row?.oldest == null ? null : Number(row.oldest);
      this.set(oldest === null ? 0 : Math.max(0, now - oldest) / 1000);
    },
  });

  // An endpoint's format never changes, so it is looked up once per endpoint rather than carried by every outcome.
  const formats = new Map<string, string>();
  async function formatOf(endpointId: string): Promise<string> {
    const known = formats.get(endpointId);
    if (known) return known;
    const row = await ctx.store.db.selectFrom('endpoints').select('format').where('id', '=', endpointId).executeTakeFirst();
    const format = row?.format ?? 'unknown';
    if (row) formats.set(endpointId, format);
    return format;
  }

  const count = (o: AttemptOutcome, format: string) => {
    const outcome = o.status === 'pending' ? 'retrying' : o.status;
    deliveries.inc({ outcome, format });
    latency.observe({ format }, (o.attempt.duration_ms ?? 0) / 1000);
  };
  const onOutcome = (o: AttemptOutcome) => {
    // Counted at once when the format is known (every outcome but an endpoint's first): no promise per outcome.
    const known = formats.get(o.endpointId);
    if (known) return count(o, known);
    void formatOf(o.endpointId).then(
      (format) => count(o, format),
      (e) => ctx.log.warn({ err: e }, 'metrics: could not read the endpoint format'),
    );
  };
  const onIncoming = (e: unknown) => {
    const outcome = typeof e === 'string' ? e : (e as { outcome?: unknown } | null)?.outcome;
    if (typeof outcome === 'string') incomingTotal.inc({ result: outcome });
    const { status, logged } = (typeof e === 'object' && e !== null ? e : {}) as { status?: unknown; logged?: unknown };
    if (outcome === 'refused' && typeof status === 'number') refused.inc({ status: String(status) });
    if (outcome === 'refused' && logged === false) refusedUnlogged.inc();
  };
  const onFiltered = (e: { type: string; count: number }) => filtered.inc({ type: e.type }, e.count);
  const onHandedOver = (count: number) => handedOver.inc(count);
  const onBackPressure = (e: { paused: boolean; unwritten: number }) => {
    claimsPaused.set(e.paused ? 1 : 0);
    unwrittenOutcomes.set(e.paused ? e.unwritten : 0);
  };
  ctx.events.on('delivery-outcome', onOutcome);
  ctx.events.on('incoming', onIncoming);
  ctx.events.on('outcome-backpressure', onBackPressure);
  ctx.events.on('filtered', onFiltered);
  ctx.events.on('handed-over', onHandedOver);

  return {
    registry,
    /** For callers that prefer a function to an event; the same counter either way. */
    incoming(outcome: string): void {
      incomingTotal.inc({ result: outcome });
    },
    httpRequest(method: string, route: string, status: number): void {
      http.inc({ method, route, status: String(status) });
    },
    stop(): void {
      ctx.events.off('delivery-outcome', onOutcome);
      ctx.events.off('incoming', onIncoming);
      ctx.events.off('outcome-backpressure', onBackPressure);
      ctx.events.off('filtered', onFiltered);
      ctx.events.off('handed-over', onHandedOver);
    },
  };
}

export type Metrics = ReturnType<typeof makeMetrics>;

/**
 * `GET /metrics`, in the Prometheus text format. It needs no token: scrapers rarely carry one, and it shows counts,
 * never ids, payloads or secrets. Keep the port off the public internet (or filter /metrics at the proxy) if
 * queue sizes are themselves sensitive.
 */
export function metricsRoutes(app: App, { ctx }: ApiDeps): void {
  const metrics = makeMetrics(ctx);
  app.addHook('onResponse', (req, reply, done) => {
    // The route pattern, not the URL: ids in paths would make one series per entity.
    const route = req.routeOptions.url ?? 'unmatched';
    if (route !== '/metrics') metrics.httpRequest(req.method, route, reply.statusCode);
    done();
  });
  app.addHook('onClose', async () => metrics.stop());
  app.get('/metrics', { schema: { hide: true }, logLevel: 'warn' }, async (_req, reply) => {
    reply.header('content-type', metrics.registry.contentType);
    return metrics.registry.metrics();
  });
  app.decorate('metrics', metrics);
}

declare module 'fastify' {
  interface FastifyInstance {
    metrics: Metrics;
  }
}
