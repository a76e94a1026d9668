import { Command, InvalidArgumentError } from 'commander';
import { collect, parseIntArg, type CliDeps } from './args.js';
import { moreHint } from './output.js';

type Key = Record<string, any>;

export function apiKeyCommands({ client, output }: CliDeps): Command {
  const cmd = new Command('api-key').description("tenant API keys: a tenant's service acts within its tenant, with the scopes given");

  cmd
    .command('create')
    .description('make a key; it is printed only now')
    .requiredOption('--name <name>', 'what the key is for')
    .requiredOption('--tenant <tenant>', 'the tenant the key acts within')
    .requiredOption(
      '--scope <scope>',
      'repeatable: events:publish, endpoints:read, endpoints:write, deliveries:read, deliveries:retry, entities:read',
      collect,
    )
    .option('--expires-at <time>', 'ISO-8601 time after which the key stops working', (v: string) => {
      if (Number.isNaN(Date.parse(v))) throw new InvalidArgumentError('expected an ISO-8601 time such as 2030-01-31T12:00:00Z');
      return v;
    })
    .action(async (o: Record<string, any>, self: Command) => {
      const out = output(self);
      const k = await client().post('/v1/api-keys', {
        name: o.name,
        tenant: o.tenant,
        scopes: o.scope,
        ...(o.expiresAt ? { expires_at: o.expiresAt } : {}),
      });
      if (out.json) return out.printJson(k);
      out.fields([
        ['id', k.id],
        ['tenant', k.tenant],
        ['scopes', k.scopes],
        ['expires_at', k.expires_at],
        ['key', k.key],
      ]);
      out.note('The key is shown only now: store it.');
    });

  cmd
    .command('list')
    .option('--tenant <tenant>')
    .option('--limit <n>', 'page size', parseIntArg)
    .option('--cursor <cursor>', 'next page')
    .action(async (o: Record<string, any>, self: Command) => {
      const out = output(self);
      const page = await client().get('/v1/api-keys', { tenant: o.tenant, limit: o.limit, cursor: o.cursor });
      if (out.json) return out.printJson(page);
      out.table(page.data as Key[], [
        { header: 'ID', value: (k) => k.id },
        { header: 'NAME', value: (k) => k.name },
        { header: 'TENANT', value: (k) => k.tenant },
        { header: 'PREFIX', value: (k) => k.prefix },
        { header: 'STATUS', value: (k) => k.status, paint: (s, k) => (k.status === 'active' ? out.color.green(s) : out.color.red(s)) },
        { header: 'EXPIRES', value: (k) => k.expires_at },
        { header: 'SCOPES', value: (k) => k.scopes },
      ]);
      moreHint(out, page.next_cursor);
    });

  cmd
    .command('revoke')
    .argument('<id>')
    .description('revoke a key, at once')
    .action(async (id: string, _o: unknown, self: Command) => {
      const out = output(self);
      await client().delete(`/v1/api-keys/${encodeURIComponent(id)}`);
      if (out.json) return out.printJson({ id, revoked: true });
      out.line(`${id} revoked`);
    });

  return cmd;
}
