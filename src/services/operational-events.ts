import type { ServiceContext } from './context.js';
import type { EventInput, Publisher } from './publish.js';
import type { OperationalChanges } from '../store/queries/endpoint-streaks.js';
import { maskUrl } from '../delivery/mask.js';

/**
 * Herald's operational events, published in the endpoint's tenant like any event, so operators and tenants
 * subscribe to them with patterns (`ENDPOINT/*`, `DELIVERY/EXHAUSTED`):
 * - ENDPOINT/ENABLED: an endpoint was turned on again (API, CLI or console);
 * - ENDPOINT/FAILING: HERALD_FAILING_AFTER failed attempts in a row, once per streak;
 * - ENDPOINT/RECOVERED: the first success after a streak that was announced as FAILING;
 * - DELIVERY/EXHAUSTED: a delivery failed for good, with its last status code and error.
 * (ENDPOINT/DISABLED comes from auto-disable.ts.)
 *
 * Which transaction may announce a streak is decided where outcomes are written (store/queries/endpoint-streaks.ts),
 * atomically across workers; this module only turns those decisions into events. Each event carries an
 * idempotency key naming what it reports, so publishing it again after a failed try adds nothing. An event is
 * published after the outcome that caused it is committed: a process that dies in between loses that one event,
 * never the outcome.
 *
 * No storm is possible. An event about an endpoint is never routed to that endpoint (`about_endpoint`), which
 * rules out the loop of one. For longer loops (FAILING about A sent to B, which fails, so FAILING about B is sent to
 * A, which fails...): the outcomes of operational deliveries neither count in streaks nor become EXHAUSTED, so
 * FAILING, RECOVERED and EXHAUSTED are only ever caused by ordinary deliveries, and ENABLED by an operator; their
 * number is bounded by that traffic, whatever the operational deliveries do. The one event failing operational
 * deliveries can still cause is DISABLED, and that at most once per endpoint until an operator enables it again.
 */
export interface OperationalEventsOptions {
  ctx: ServiceContext;
  publish: Publisher;
}

const PUBLISH_TRIES = 8;

interface EndpointFacts {
  id: string;
  name: string;
  url: string;
  tenant: string;
}

export function makeOperationalEvents({ ctx, publish }: OperationalEventsOptions) {
  const { store, config, log } = ctx;
  let running = false;
  let inFlight: Promise<void> = Promise.resolve();

  async function endpointsOf(ids: string[]): Promise<Map<string, EndpointFacts>> {
    const unique = [...new Set(ids)];
    if (unique.length === 0) return new Map();
    const rows = await store.db.selectFrom('endpoints').select(['id', 'name', 'url', 'tenant']).where('id', 'in', unique).execute();
    return new Map(rows.map((r) => [r.id, r]));
  }

  /** What every event about an endpoint says of it: never its credentials (subscribers may not be trusted with them). */
  function about(ep: EndpointFacts) {
    return { endpoint_id: ep.id, name: ep.name, url: maskUrl(ep.url) };
  }

  function endpointEvent(ep: EndpointFacts, action: string, data: Record<string, unknown>, key: string): EventInput {
    return { type: 'ENDPOINT', action, tenant: ep.tenant, entity_ids: [ep.id], data: { ...about(ep), ...data }, idempotency_key: key, about_endpoint: ep.id };
  }

  async function eventsFor(changes: OperationalChanges): Promise<EventInput[]> {
    const ids = [...changes.failing.map((c) => c.endpointId), ...changes.recovered.map((c) => c.endpointId), ...changes.exhausted.map((c) => c.endpointId)];
    const eps = await endpointsOf(ids);
    const out: EventInput[] = [];
    for (const c of changes.recovered) {
      const ep = eps.get(c.endpointId);
      if (ep) out.push(endpointEvent(ep, 'RECOVERED', { delivery_id: c.deliveryId }, `herald:endpoint-recovered:${ep.id}:${c.deliveryId}:${c.attempt}`));
    }
    for (const c of changes.failing) {
      const ep = eps.get(c.endpointId);
      if (!ep) continue;
      out.push(
        endpointEvent(
          ep,
          'FAILING',
          { consecutive_failures: c.failures, failing_after: config.failingAfter, delivery_id: c.deliveryId, last_status_code: c.lastStatusCode, last_error: c.lastError },
          `herald:endpoint-failing:${ep.id}:${c.announcedAt}`,
        ),
      );
    }
    for (const c of changes.exhausted) {
      const ep = eps.get(c.endpointId);
      if (!ep) continue;
      out.push({
        type: 'DELIVERY',
        action: 'EXHAUSTED',
        tenant: ep.tenant,
        entity_ids: [ep.id, c.deliveryId],
        data: {
          delivery_id: c.deliveryId,
          message_id: c.messageId,
          event: c.eventKey,
          ...about(ep),
          attempts: c.attempts,
          last_status_code: c.lastStatusCode,
          last_error: c.lastError,
        },
        idempotency_key: `herald:delivery-exhausted:${c.deliveryId}:${c.attempts}`,
        about_endpoint: ep.id,
      });
    }
    return out;
  }

  /** Publishes, trying again while the store is away; gives up (and says so) after a while. */
  async function publishAll(events: EventInput[]): Promise<void> {
    if (events.length === 0) return;
    for (let attempt = 1; ; attempt++) {
      try {
        await publish(events, (i) => `/operational/${i}`);
        return;
      } catch (e) {
        if (attempt >= PUBLISH_TRIES || !running) {
          log.error({ err: e, events: events.map((ev) => `${ev.type}/${ev.action} ${ev.idempotency_key}`) }, 'operational events could not be published; they are lost');
          return;
        }
        await new Promise((r) => setTimeout(r, Math.min(5000, 100 * 2 ** attempt)));
      }
    }
  }

  function enqueue(work: () => Promise<void>): void {
    inFlight = inFlight.then(work).catch((e) => log.error({ err: e }, 'operational events failed'));
  }

  const onChanges = (changes: OperationalChanges) => {
    if (changes.failing.length + changes.recovered.length + changes.exhausted.length === 0) return;
    enqueue(async () => publishAll(await eventsFor(changes)));
  };

  const onEnabled = (id: string) => {
    const at = ctx.now();
    enqueue(async () => {
      const ep = (await endpointsOf([id])).get(id);
      if (ep) await publishAll([endpointEvent(ep, 'ENABLED', {}, `herald:endpoint-enabled:${id}:${at}`)]);
    });
  };

  return {
    start(): void {
      if (running) return;
      running = true;
      ctx.events.on('operational-changes', onChanges);
      ctx.events.on('endpoint-enabled', onEnabled);
    },
    /** Stops listening; what was already decided is still published (or given up) before this resolves. */
    async stop(): Promise<void> {
      if (!running) return;
      ctx.events.off('operational-changes', onChanges);
      ctx.events.off('endpoint-enabled', onEnabled);
      await inFlight;
      running = false;
    },
  };
}

export type OperationalEvents = ReturnType<typeof makeOperationalEvents>;
