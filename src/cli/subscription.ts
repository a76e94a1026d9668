import { Command, Option } from 'commander';
import { collect, parseBool, parseIntArg, when, type CliDeps } from './args.js';
import { endpointName, endpointNames, nameAndId } from './names.js';
import { moreHint, UsageError, type Output } from './output.js';

type Subscription = Record<string, any>;

function scopeFromFlags(o: Record<string, any>): Record<string, unknown> | undefined {
  if (o.scope === undefined && o.attribution === undefined) return undefined;
  if (o.scope === undefined) throw new UsageError('--attribution needs --scope domain|project');
  return { resource_scope: o.scope, ...(o.attribution !== undefined ? { attribution_id: o.attribution } : {}) };
}

function withSharedOptions(cmd: Command): Command {
  return cmd
    .option('--event <pattern>', 'event-key pattern such as ONDEMAND_ENROLLMENT/* or */SYNC_CREATE (repeatable)', collect)
    .option('--topic <id>', 'topic id (repeatable)', collect)
    .addOption(new Option('--scope <scope>', 'cloudpods resource scope').choices(['system', 'domain', 'project']))
    .option('--attribution <id>', 'the domain or project id events must carry (with --scope domain|project)');
}

function printSubscription(out: Output, s: Subscription, endpointName?: string): void {
  out.fields([
    ['id', s.id],
    ['endpoint', nameAndId(endpointName, s.endpoint_id)],
    ['events', s.events],
    ['topics', s.topics],
    ['scope', s.scope ? `${s.scope.resource_scope}${s.scope.attribution_id ? ` ${s.scope.attribution_id}` : ''}` : null],
    ['enabled', s.enabled ? 'yes' : out.color.red('no')],
    ['created', when(s.created_at)],
    ['updated', when(s.updated_at)],
  ]);
}

export function subscriptionCommands({ client, output }: CliDeps): Command {
  const cmd = new Command('subscription').description('which events go to which endpoint');

  withSharedOptions(
    cmd
      .command('create')
      .description('subscribe an endpoint to event patterns and/or topics')
      .requiredOption('--endpoint <id>', 'the endpoint that receives the events')
      .option('--disabled', 'create it disabled'),
  ).action(async (o: Record<string, any>, self: Command) => {
    const out = output(self);
    const scope = scopeFromFlags(o);
    const api = client();
    const s = await api.post('/v1/subscriptions', {
      endpoint_id: o.endpoint,
      ...(o.event ? { events: o.event } : {}),
      ...(o.topic ? { topics: o.topic } : {}),
      ...(scope ? { scope } : {}),
      ...(o.disabled ? { enabled: false } : {}),
    });
    if (out.json) return out.printJson(s);
    printSubscription(out, s, await endpointName(api, s.endpoint_id));
  });

  cmd
    .command('list')
    .description('list subscriptions')
    .option('--endpoint <id>', 'only this endpoint')
    .option('--limit <n>', 'page size', parseIntArg)
    .option('--cursor <cursor>', 'next page')
    .option('-w, --wide', 'endpoint ids beside their names')
    .action(async (o: Record<string, any>, self: Command) => {
      const out = output(self);
      const api = client();
      const page = await api.get('/v1/subscriptions', { endpoint_id: o.endpoint, limit: o.limit, cursor: o.cursor });
      if (out.json) return out.printJson(page);
      const rows = page.data as Subscription[];
      const names = rows.length > 0 ? await endpointNames(api) : new Map<string, string>();
      out.table(rows, [
        { header: 'ID', value: (s) => s.id },
        { header: 'ENDPOINT', value: (s) => names.get(s.endpoint_id) ?? s.endpoint_id },
        ...(o.wide ? [{ header: 'ENDPOINT ID', value: (s: Subscription) => s.endpoint_id }] : []),
        { header: 'ENABLED', value: (s) => (s.enabled ? 'yes' : 'no'), paint: (t, s) => (s.enabled ? t : out.color.red(t)) },
        { header: 'SCOPE', value: (s) => s.scope?.resource_scope },
        { header: 'TOPICS', value: (s) => s.topics },
        { header: 'EVENTS', value: (s) => s.events },
      ], 'No subscriptions match.');
      moreHint(out, page.next_cursor);
    });

  cmd
    .command('show')
    .argument('<id>')
    .action(async (id: string, _o: unknown, self: Command) => {
      const out = output(self);
      const api = client();
      const s = await api.get(`/v1/subscriptions/${encodeURIComponent(id)}`);
      if (out.json) return out.printJson(s);
      printSubscription(out, s, await endpointName(api, s.endpoint_id));
    });

  withSharedOptions(
    cmd
      .command('update')
      .argument('<id>')
      .description('change a subscription; --event and --topic replace the whole list')
      .option('--no-events', 'remove every event pattern')
      .option('--no-topics', 'remove every topic')
      .option('--enabled <bool>', 'true or false', parseBool),
  ).action(async (id: string, o: Record<string, any>, self: Command) => {
    const out = output(self);
    const scope = scopeFromFlags(o);
    const body: Record<string, unknown> = {
      ...(o.event ? { events: o.event } : o.events === false ? { events: [] } : {}),
      ...(o.topic ? { topics: o.topic } : o.topics === false ? { topics: [] } : {}),
      ...(scope ? { scope } : {}),
      ...(o.enabled !== undefined ? { enabled: o.enabled } : {}),
    };
    if (Object.keys(body).length === 0) throw new UsageError('nothing to change: give at least one option (see --help)');
    const api = client();
    const s = await api.patch(`/v1/subscriptions/${encodeURIComponent(id)}`, body);
    if (out.json) return out.printJson(s);
    printSubscription(out, s, await endpointName(api, s.endpoint_id));
  });

  for (const [verb, enabled] of [
    ['enable', true],
    ['disable', false],
  ] as const) {
    cmd
      .command(verb)
      .argument('<id>')
      .description(`${verb} a subscription`)
      .action(async (id: string, _o: unknown, self: Command) => {
        const out = output(self);
        const s = await client().patch(`/v1/subscriptions/${encodeURIComponent(id)}`, { enabled });
        if (out.json) return out.printJson(s);
        out.line(`${s.id} ${s.enabled ? 'enabled' : 'disabled'}`);
      });
  }

  cmd
    .command('delete')
    .argument('<id>')
    .action(async (id: string, _o: unknown, self: Command) => {
      const out = output(self);
      await client().delete(`/v1/subscriptions/${encodeURIComponent(id)}`);
      if (out.json) return out.printJson({ id, deleted: true });
      out.line(`${id} deleted`);
    });

  return cmd;
}
