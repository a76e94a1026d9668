import { Command } from 'commander';
import { ago, when, type CliDeps } from './args.js';
import { paintStatus } from './output.js';

type Message = Record<string, any>;

export function messageCommand({ client, output }: CliDeps): Command {
  const cmd = new Command('message').description('one published event and the deliveries it made');
  cmd
    .command('show')
    .argument('<id>', 'message id (msg_...), as `herald publish` prints it')
    .description("an event as Herald stored it (its data with the publisher's numbers exact) and its deliveries")
    .action(async (id: string, _o: unknown, self: Command) => {
      const out = output(self);
      const m = await client().get(`/v1/messages/${encodeURIComponent(id)}`);
      if (out.json) return out.printJson(m);
      out.fields([
        ['id', m.id],
        ['event', m.event],
        ['result', m.result],
        ['tenant', m.tenant],
        ['entities', m.entity_ids],
        ['domain', m.scope?.domain_id],
        ['project', m.scope?.project_id],
        ['idempotency key', m.idempotency_key],
        ['created', when(m.created_at)],
        ['data', m.data],
      ]);
      const deliveries = (m.deliveries ?? []) as Message[];
      if (deliveries.length > 0) out.line();
      out.table(
        deliveries,
        [
          { header: 'DELIVERY', value: (d) => d.id },
          { header: 'STATUS', value: (d) => d.status, paint: (t, d) => paintStatus(out.color, d.status)(t) },
          { header: 'ENDPOINT', value: (d) => d.endpoint_name ?? d.endpoint_id },
          { header: 'TRIES', value: (d) => d.attempt_count },
          { header: 'UPDATED', value: (d) => ago(d.updated_at) },
        ],
        'No deliveries: no subscription matched this event.',
      );
    });
  return cmd;
}
