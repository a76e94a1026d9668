import { Command, Option } from 'commander';
import { collectHeader, parseBool, parseIntArg, parseJsonObject, when, type CliDeps } from './args.js';
import { moreHint, UsageError, type Output } from './output.js';

type Endpoint = Record<string, any>;

const FORMATS = ['strigo', 'cloudpods', 'standard'];

function parseAuth(value: string): { user: string; key: string } | null {
  if (value === '' || value === 'none') return null;
  const i = value.indexOf(':');
  if (i <= 0) throw new UsageError('--auth expects USER:KEY (or "none" to remove it)');
  return { user: value.slice(0, i), key: value.slice(i + 1) };
}

/** The fields create and update share, from flags to the API's body. Unset flags stay out, so PATCH leaves them alone. */
function bodyFromFlags(o: Record<string, any>): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  if (o.url !== undefined) body.url = o.url;
  if (o.tenant !== undefined) body.tenant = o.tenant;
  if (o.auth !== undefined) body.auth = parseAuth(o.auth);
  if (o.secret !== undefined) body.secret = o.secret === 'none' ? null : o.secret;
  if (o.header !== undefined && o.headers !== undefined) throw new UsageError('use either --header (repeatable) or --headers JSON, not both');
  if (o.header !== undefined) body.headers = o.header;
  if (o.headers !== undefined) body.headers = o.headers;
  if (o.body !== undefined) body.body = o.body;
  if (o.msgKey !== undefined) body.msg_key = o.msgKey;
  if (o.lang !== undefined) body.lang = o.lang;
  if (o.useTemplate !== undefined) body.use_template = o.useTemplate === true || parseBool(String(o.useTemplate));
  if (o.validate === false) body.validate = false;
  if (o.rateLimit !== undefined) body.rate_limit = o.rateLimit;
  if (o.maxInFlight !== undefined) body.max_in_flight = o.maxInFlight;
  if (o.ordering !== undefined) body.ordering = o.ordering;
  return body;
}

function withSharedOptions(cmd: Command): Command {
  return cmd
    .option('--auth <user:key>', 'strigo: credentials sent as "Authorization: Bearer USER:KEY" ("none" removes them)')
    .option('--secret <secret>', 'signing secret (whsec_... for standard; "none" removes it)')
    .option('--header <"Name: value">', 'extra request header (repeatable)', collectHeader)
    .option('--headers <json>', 'all extra headers as a JSON object ({} clears them)', parseJsonObject)
    .option('--body <json>', 'cloudpods: extra top-level body keys as a JSON object ({} clears them)', parseJsonObject)
    .option('--msg-key <key>', 'cloudpods: body key holding the message (default Msg)')
    .addOption(new Option('--lang <lang>', 'cloudpods template language').choices(['en', 'cn']))
    .option('--use-template [bool]', 'cloudpods: send the rendered topic template instead of the JSON message')
    .option('--no-validate', 'cloudpods: skip the validation message sent to the URL')
    .option('--rate-limit <n>', 'at most N requests a second to this endpoint', parseIntArg)
    .option('--max-in-flight <n>', 'at most N requests in flight to this endpoint', parseIntArg)
    .addOption(
      new Option('--ordering <mode>', 'none: side by side; entity: one at a time per ordering key (ordering_key, else first entity id), in publish order; endpoint: the whole endpoint one at a time').choices(['none', 'entity', 'endpoint']),
    );
}

function printEndpoint(out: Output, e: Endpoint): void {
  const c = out.color;
  out.fields([
    ['id', e.id],
    ['name', e.name],
    ['url', e.url],
    ['format', e.format],
    ['tenant', e.tenant],
    ['enabled', e.enabled ? c.green('yes') : c.red(`no${e.disabled_reason ? ` (${e.disabled_reason})` : ''}`)],
    ['auth', e.auth?.user ? `user ${e.auth.user}` : null],
    ['secret', e.secret ?? (e.has_secret ? 'set' : null)],
    ['headers', e.headers && Object.keys(e.headers).length > 0 ? e.headers : null],
    ['body', e.body && Object.keys(e.body).length > 0 ? e.body : null],
    ...(e.format === 'cloudpods'
      ? ([
          ['msg_key', e.msg_key],
          ['lang', e.lang],
          ['use_template', e.use_template ? 'yes' : 'no'],
        ] as Array<[string, unknown]>)
      : []),
    ['rate_limit', e.rate_limit],
    ['max_in_flight', e.max_in_flight],
    ['ordering', e.ordering],
    ['callback url', e.callback?.url],
    ['callback user', e.callback?.user],
    ...(e.callback?.key ? ([['callback key', e.callback.key]] as Array<[string, unknown]>) : []),
    ['failing since', when(e.failing_since)],
    ['created', when(e.created_at)],
    ['updated', when(e.updated_at)],
  ]);
}

export function endpointCommands({ client, output }: CliDeps): Command {
  const cmd = new Command('endpoint').description('destinations: customer backends and webhook robots');

  withSharedOptions(
    cmd
      .command('create')
      .description('create an endpoint (cloudpods URLs get a validation message first)')
      .argument('<name>', 'a name people recognise')
      .requiredOption('--url <url>', 'where deliveries are POSTed')
      .addOption(new Option('--format <format>', 'wire format').choices(FORMATS).makeOptionMandatory())
      .option('--tenant <tenant>', 'owning tenant')
      .option('--disabled', 'create it disabled'),
  ).action(async (name: string, o: Record<string, any>, self: Command) => {
    const out = output(self);
    const body = { name, format: o.format, ...bodyFromFlags(o), ...(o.disabled ? { enabled: false } : {}) };
    const e = await client().post('/v1/endpoints', body);
    if (out.json) return out.printJson(e);
    printEndpoint(out, e);
    out.note('The secret and callback key are shown only now: store them.');
  });

  cmd
    .command('list')
    .description('list endpoints')
    .option('--tenant <tenant>')
    .addOption(new Option('--format <format>').choices(FORMATS))
    .option('--enabled', 'only enabled ones')
    .option('--disabled', 'only disabled ones')
    .option('--limit <n>', 'page size', parseIntArg)
    .option('--cursor <cursor>', 'next page (printed after a full page)')
    .action(async (o: Record<string, any>, self: Command) => {
      const out = output(self);
      if (o.enabled && o.disabled) throw new UsageError('--enabled and --disabled exclude each other');
      const page = await client().get('/v1/endpoints', {
        tenant: o.tenant,
        format: o.format,
        enabled: o.enabled ? 'true' : o.disabled ? 'false' : undefined,
        limit: o.limit,
        cursor: o.cursor,
      });
      if (out.json) return out.printJson(page);
      const c = out.color;
      out.table(page.data as Endpoint[], [
        { header: 'ID', value: (e) => e.id },
        { header: 'NAME', value: (e) => e.name },
        { header: 'FORMAT', value: (e) => e.format },
        { header: 'TENANT', value: (e) => e.tenant },
        { header: 'ENABLED', value: (e) => (e.enabled ? 'yes' : 'no'), paint: (t, e) => (e.enabled ? t : c.red(t)) },
        { header: 'URL', value: (e) => e.url },
      ], 'No endpoints match.');
      moreHint(out, page.next_cursor);
    });

  cmd
    .command('show')
    .argument('<id>')
    .description('show one endpoint')
    .action(async (id: string, _o: unknown, self: Command) => {
      const out = output(self);
      const e = await client().get(`/v1/endpoints/${encodeURIComponent(id)}`);
      if (out.json) return out.printJson(e);
      printEndpoint(out, e);
    });

  withSharedOptions(
    cmd
      .command('update')
      .argument('<id>')
      .description('change an endpoint; only the flags given change (a new cloudpods URL is validated first)')
      .option('--name <name>')
      .option('--url <url>'),
  ).action(async (id: string, o: Record<string, any>, self: Command) => {
    const out = output(self);
    const body = { ...(o.name !== undefined ? { name: o.name } : {}), ...bodyFromFlags(o) };
    if (Object.keys(body).filter((k) => k !== 'validate').length === 0) throw new UsageError('nothing to change: give at least one option (see --help)');
    const e = await client().patch(`/v1/endpoints/${encodeURIComponent(id)}`, body);
    if (out.json) return out.printJson(e);
    printEndpoint(out, e);
  });

  for (const [verb, what] of [
    ['enable', 'start delivering to it again'],
    ['disable', 'stop delivering to it (deliveries wait until it is enabled)'],
  ] as const) {
    cmd
      .command(verb)
      .argument('<id>')
      .description(what)
      .action(async (id: string, _o: unknown, self: Command) => {
        const out = output(self);
        const e = await client().post(`/v1/endpoints/${encodeURIComponent(id)}/${verb}`);
        if (out.json) return out.printJson(e);
        out.line(`${e.id} ${e.enabled ? 'enabled' : 'disabled'}`);
      });
  }

  cmd
    .command('delete')
    .argument('<id>')
    .description('delete an endpoint and its subscriptions')
    .action(async (id: string, _o: unknown, self: Command) => {
      const out = output(self);
      await client().delete(`/v1/endpoints/${encodeURIComponent(id)}`);
      if (out.json) return out.printJson({ id, deleted: true });
      out.line(`${id} deleted`);
    });

  cmd
    .command('rotate-secret')
    .argument('<id>')
    .description('new signing secret; the old one keeps signing for 24 h so receivers can switch')
    .option('--secret <secret>', 'use this secret instead of a generated one')
    .action(async (id: string, o: { secret?: string }, self: Command) => {
      const out = output(self);
      const r = await client().post(`/v1/endpoints/${encodeURIComponent(id)}/rotate-secret`, o.secret ? { secret: o.secret } : {});
      if (out.json) return out.printJson(r);
      out.fields([
        ['secret', r.secret],
        ['old secret until', when(r.previous_secret_expires_at)],
      ]);
    });

  cmd
    .command('rotate-callback-key')
    .argument('<id>')
    .description('new key for the callback URL (the old one stops working at once)')
    .action(async (id: string, _o: unknown, self: Command) => {
      const out = output(self);
      const r = await client().post(`/v1/endpoints/${encodeURIComponent(id)}/rotate-callback-key`);
      if (out.json) return out.printJson(r);
      out.fields([
        ['callback url', r.url],
        ['callback user', r.user],
        ['callback key', r.key],
      ]);
    });

  return cmd;
}
