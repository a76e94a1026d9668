import { readFileSync } from 'node:fs';
import { Command } from 'commander';
import { collect, parseIntArg, parseJsonObject, type CliDeps } from './args.js';
import { ApiError, type Client } from './client.js';
import { restatesDetails, UsageError, type Output } from './output.js';
import { makeProgress } from './progress.js';
import { parseExactChecked } from './exact-json.js';

/** The API takes at most this many events in one call. */
export const BATCH_SIZE = 1000;

interface Line {
  /** 1-based line number in the file, so errors point where the operator will look. */
  line: number;
  event: unknown;
}

/** Parses NDJSON, skipping blank lines; every unparsable line is reported before anything is sent. */
export function parseNdjson(text: string, source: string): Line[] {
  const lines: Line[] = [];
  const problems: string[] = [];
  text.split('\n').forEach((raw, i) => {
    const s = raw.trim();
    if (s === '') return;
    try {
      lines.push({ line: i + 1, event: parseExactChecked(s) });
    } catch (e) {
      problems.push(`  ${source}:${i + 1}: ${(e as Error).message}`);
    }
  });
  if (problems.length > 0) {
    const shown = problems.slice(0, 20).join('\n');
    const more = problems.length > 20 ? `\n  ... and ${problems.length - 20} more` : '';
    throw new UsageError(`${problems.length} line(s) of ${source} are not JSON; nothing was published\n${shown}${more}`);
  }
  return lines;
}

/**
 * Sends the file in batches. A rejected batch stops the run: the error names the file lines (not the API's
 * `/events/N` paths) and says how many events were already accepted, so the operator can fix and resume.
 */
async function publishFile(client: Client, out: Output, file: string): Promise<void> {
  let text: string;
  try {
    text = readFileSync(file === '-' ? 0 : file, 'utf8');
  } catch (e) {
    throw new UsageError(`cannot read ${file}: ${(e as Error).message}`);
  }
  const source = file === '-' ? 'stdin' : file;
  const lines = parseNdjson(text, source);
  if (lines.length === 0) throw new UsageError(`${source} holds no events`);
  const progress = makeProgress('publishing', lines.length);
  const results: Array<{ id: string; deliveries: number }> = [];
  let sent = 0;
  progress.update(0);
  try {
    for (let start = 0; start < lines.length; start += BATCH_SIZE) {
      const batch = lines.slice(start, start + BATCH_SIZE);
      try {
        const r = await client.post('/v1/events', { events: batch.map((l) => l.event) });
        results.push(...(r.data as typeof results));
      } catch (e) {
        if (!(e instanceof ApiError)) throw e;
        throw batchError(e, batch, source, sent);
      }
      sent += batch.length;
      progress.update(sent);
    }
  } finally {
    progress.stop();
  }
  if (out.json) return out.printJson({ data: results });
  const deliveries = results.reduce((n, r) => n + (r.deliveries ?? 0), 0);
  const batches = Math.ceil(lines.length / BATCH_SIZE);
  out.line(`published ${results.length} events in ${batches} batch${batches === 1 ? '' : 'es'}: ${deliveries} deliveries`);
}

function batchError(e: ApiError, batch: Line[], source: string, sent: number): ApiError {
  const details = e.details.map((d) => {
    const m = /^\/events\/(\d+)(.*)$/.exec(d.path);
    const line = m ? batch[Number(m[1])]?.line : undefined;
    return line === undefined ? d : { ...d, path: `${source}:${line} ${m![2] || '/'}` };
  });
  const first = batch[0]!.line;
  const last = batch[batch.length - 1]!.line;
  const already = sent > 0 ? `; the ${sent} events before line ${first} were published` : '; nothing was published';
  // The details name each line; a message that only restates them is not said again.
  const reason = restatesDetails(e) ? '' : `: ${e.message}`;
  return new ApiError(e.status, e.code, `batch of lines ${first}-${last} rejected${reason}${already}`, details);
}

export function publishCommand({ client, output }: CliDeps): Command {
  return new Command('publish')
    .description('publish one event from flags, or many from an NDJSON file (one event per line)')
    .option('--type <type>', 'event type, e.g. ONDEMAND_ENROLLMENT or server')
    .option('--action <action>', 'e.g. EXPIRED or create')
    .option('--result <result>', 'cloudpods: succeed or failed')
    .option('--entity <id>', 'entity id (repeatable)', collect)
    .option('--data <json>', 'event data as a JSON object (@file reads a file)', parseJsonObject)
    .option('--tenant <tenant>')
    .option('--domain <id>', 'cloudpods scope: domain id')
    .option('--project <id>', 'cloudpods scope: project id')
    .option('--idempotency-key <key>', 'publishing the same key again returns the first message')
    .option('--coalesce-ms <ms>', 'merge entities reaching the same state within this window', parseIntArg)
    .option('--ordering-key <key>', 'what the event is ordered by on endpoints with entity ordering (default: its first entity id)')
    .option('--file <path>', `NDJSON file of events ("-" for stdin), sent ${BATCH_SIZE} per call`)
    .action(async (o: Record<string, any>, self: Command) => {
      const out = output(self);
      const eventFlags = ['type', 'action', 'result', 'entity', 'data', 'tenant', 'domain', 'project', 'idempotencyKey', 'coalesceMs', 'orderingKey'];
      if (o.file !== undefined) {
        const mixed = eventFlags.filter((f) => o[f] !== undefined);
        if (mixed.length > 0) throw new UsageError(`--file takes every field from the file; drop --${mixed.map(kebab).join(', --')}`);
        return publishFile(client(), out, o.file);
      }
      if (!o.type || !o.action) throw new UsageError('give --type and --action (or --file)');
      const scope = { ...(o.domain ? { domain_id: o.domain } : {}), ...(o.project ? { project_id: o.project } : {}) };
      const event = {
        type: o.type,
        action: o.action,
        ...(o.result !== undefined ? { result: o.result } : {}),
        ...(o.entity ? { entity_ids: o.entity } : {}),
        ...(o.data ? { data: o.data } : {}),
        ...(o.tenant ? { tenant: o.tenant } : {}),
        ...(Object.keys(scope).length > 0 ? { scope } : {}),
        ...(o.idempotencyKey ? { idempotency_key: o.idempotencyKey } : {}),
        ...(o.coalesceMs !== undefined ? { coalesce_ms: o.coalesceMs } : {}),
        ...(o.orderingKey !== undefined ? { ordering_key: o.orderingKey } : {}),
      };
      const r = await client().post('/v1/events', event);
      if (out.json) return out.printJson(r);
      out.line(`${r.id}  ${r.deliveries} deliver${Number(r.deliveries) === 1 ? 'y' : 'ies'}`);
    });
}

const kebab = (s: string) => s.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
