import { Command } from 'commander';
import { parseBool, parseIntArg, readArgText, type CliDeps } from './args.js';
import { moreHint, UsageError } from './output.js';

type Topic = Record<string, any>;

const TEMPLATE_FIELDS = ['title_en', 'title_cn', 'content_en', 'content_cn'] as const;
const flagOf = (field: string) => field.replace('_', '-');
const camelOf = (field: string) => field.replace(/_(\w)/, (_m, ch: string) => ch.toUpperCase());

export function topicCommands({ client, output }: CliDeps): Command {
  const cmd = new Command('topic').description('named groups of event-key patterns, with their message templates');

  cmd
    .command('list')
    .option('--limit <n>', 'page size', parseIntArg)
    .option('--cursor <cursor>', 'next page')
    .action(async (o: Record<string, any>, self: Command) => {
      const out = output(self);
      const page = await client().get('/v1/topics', { limit: o.limit, cursor: o.cursor });
      if (out.json) return out.printJson(page);
      out.table(page.data as Topic[], [
        { header: 'ID', value: (t) => t.id },
        { header: 'NAME', value: (t) => t.name },
        { header: 'ENABLED', value: (t) => (t.enabled === false ? 'no' : 'yes') },
        { header: 'EVENTS', value: (t) => (Array.isArray(t.events) ? `${t.events.length} patterns` : '') },
      ], 'No topics match.');
      moreHint(out, page.next_cursor);
    });

  cmd
    .command('show')
    .argument('<id>')
    .action(async (id: string, _o: unknown, self: Command) => {
      const out = output(self);
      const t = await client().get(`/v1/topics/${encodeURIComponent(id)}`);
      if (out.json) return out.printJson(t);
      out.fields([
        ['id', t.id],
        ['name', t.name],
        ['enabled', t.enabled === false ? 'no' : 'yes'],
        ['events', t.events],
      ]);
      // Templates are multi-line Go templates: print them as blocks, not squeezed into one cell.
      for (const f of TEMPLATE_FIELDS) {
        const text = t[f];
        if (text) out.line(`\n${out.color.dim(`${f}:`)}\n${String(text).replace(/\n?$/, '')}`);
      }
    });

  const update = cmd
    .command('update')
    .argument('<id>')
    .description('change a topic; template values may be @file to read the template from a file')
    .option('--name <name>')
    .option('--enabled <bool>', 'true or false', parseBool);
  for (const f of TEMPLATE_FIELDS) update.option(`--${flagOf(f)} <template>`, `${f.replace('_', ' ')} template (Go text/template syntax)`);
  update.action(async (id: string, o: Record<string, any>, self: Command) => {
    const out = output(self);
    const body: Record<string, unknown> = {};
    if (o.name !== undefined) body.name = o.name;
    if (o.enabled !== undefined) body.enabled = o.enabled;
    for (const f of TEMPLATE_FIELDS) {
      const v = o[camelOf(f)];
      if (v !== undefined) body[f] = readArgText(v);
    }
    if (Object.keys(body).length === 0) throw new UsageError('nothing to change: give at least one option (see --help)');
    const t = await client().patch(`/v1/topics/${encodeURIComponent(id)}`, body);
    if (out.json) return out.printJson(t);
    out.line(`${t.id ?? id} updated`);
  });

  return cmd;
}
