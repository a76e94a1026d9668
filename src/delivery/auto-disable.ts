import { makePeriodic } from '../util/periodic.js';
import type { DeliveryContext } from './context.js';
import { maskUrl } from './mask.js';

/** The event auto-disable publishes, in the publisher's input shape. */
export interface EndpointDisabledEvent {
  type: 'ENDPOINT';
  action: 'DISABLED';
  tenant: string;
  entity_ids: string[];
  data: Record<string, unknown>;
  idempotency_key: string;
  /** The endpoint the event is about: it never goes to that endpoint. */
  about_endpoint: string;
}

/** The services' publisher, handed in by the composition root: delivery never imports services. */
export type PublishEvents = (events: EndpointDisabledEvent[], pathOf: (i: number) => string) => Promise<unknown>;

/**
 * Auto-disable: an endpoint whose deliveries have all failed for HERALD_DISABLE_AFTER (endpoints.failing_since is
 * set by the first failure and cleared by any success) is disabled with a reason, and Herald publishes
 * `ENDPOINT/DISABLED` in the endpoint's tenant so operators can subscribe to it.
 *
 * What must stay true with several workers sweeping the same store:
 * - the event is published before the endpoint is disabled, with an idempotency key naming the endpoint and the
 *   failure streak, so a crash between the two repeats the event at worst, and two workers publish it once;
 * - the disable is conditional on the row still being enabled and in the same failure streak, so an endpoint that
 *   recovered, or was re-enabled by an operator, meanwhile is left alone.
 */
export interface AutoDisableOptions {
  ctx: DeliveryContext;
  publish: PublishEvents;
  /** How often to look; defaults to a quarter of HERALD_DISABLE_AFTER, between 250 ms and one minute. */
  intervalMs?: number;
  batch?: number;
}

export function makeAutoDisable({ ctx, publish, intervalMs, batch = 100 }: AutoDisableOptions) {
  const { store, config, log } = ctx;
  const every = intervalMs ?? Math.min(60_000, Math.max(250, Math.floor(config.disableAfterMs / 4)));

  function reasonFor(failingSince: number): string {
    return `every delivery failed for longer than ${formatDuration(config.disableAfterMs)} (since ${new Date(failingSince).toISOString()})`;
  }

  /** One pass; answers how many endpoints it disabled. */
  async function sweep(): Promise<number> {
    const now = ctx.now();
    const due = await store.db
      .selectFrom('endpoints')
      .select(['id', 'name', 'url', 'tenant', 'failing_since'])
      .where('enabled', '=', 1)
      .where('failing_since', 'is not', null)
      .where('failing_since', '<=', now - config.disableAfterMs)
      .orderBy('failing_since')
      .limit(batch)
      .execute();
    let disabled = 0;
    for (const ep of due) {
      const since = Number(ep.failing_since);
      const reason = reasonFor(since);
      await publish(
        [
          {
            type: 'ENDPOINT',
            action: 'DISABLED',
            tenant: ep.tenant,
            entity_ids: [ep.id],
            // Subscribers to this event are not necessarily trusted with the endpoint's credentials.
            data: { endpoint_id: ep.id, name: ep.name, url: maskUrl(ep.url), reason },
            idempotency_key: `herald:endpoint-disabled:${ep.id}:${since}`,
            about_endpoint: ep.id,
          },
        ],
        () => '',
      );
      const res = await store.db
        .updateTable('endpoints')
        .set({ enabled: 0, disabled_reason: reason, updated_at: ctx.now() })
        .where('id', '=', ep.id)
        .where('enabled', '=', 1)
        .where('failing_since', '=', since)
        .executeTakeFirst();
      if (Number(res.numUpdatedRows) > 0) {
        disabled++;
        ctx.events.emit('endpoint-changed', ep.id);
        log.warn({ endpoint: ep.id, failing_since: new Date(since).toISOString() }, 'endpoint disabled after failing continuously');
      }
    }
    return disabled;
  }

  const job = makePeriodic(every, sweep, (e) => log.error({ err: e }, 'auto-disable sweep failed; trying again later'));
  return { sweep, start: job.start, stop: job.stop };
}

export type AutoDisable = ReturnType<typeof makeAutoDisable>;

function formatDuration(ms: number): string {
  const units: Array<[number, string]> = [
    [86_400_000, 'd'],
    [3_600_000, 'h'],
    [60_000, 'm'],
    [1000, 's'],
  ];
  for (const [size, unit] of units) if (ms >= size && ms % size === 0) return `${ms / size}${unit}`;
  return `${ms}ms`;
}
