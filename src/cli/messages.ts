import { Command } from 'commander';
import { ago, parseIntArg, parseSince, type CliDeps } from './args.js';
import type { Client } from './client.js';
import { moreHint, paintStatus, type Output } from './output.js';

type Message = Record<string, any>;

/** One row per delivery that has not arrived, under its message: the "what never arrived" view. */
interface Row {
  message: Message;
  delivery: Message | null;
}

export function messagesCommand({ client, output }: CliDeps): Command {
  return new Command('messages')
    .description('published messages, newest first; with --undelivered, those with a delivery that has not succeeded, and why')
    .option('--undelivered', 'only messages with a delivery that failed, was skipped, or is still retrying')
    .option('--since <time>', 'accepted since an ISO time or an age (30m, 2h, 7d)', (v: string) => parseSince(v))
    .option('--endpoint <id>', 'only deliveries to this endpoint')
    .option('--event <key>', 'event key or pattern: SERVER/CREATE, ONDEMAND_ENROLLMENT/*')
    .option('--limit <n>', 'page size (up to 500)', parseIntArg)
    .option('--cursor <cursor>', 'next page')
    .action(async (o: Record<string, any>, self: Command) => {
      const out = output(self);
      const page = await client().get('/v1/messages', {
        undelivered: o.undelivered ? 'true' : undefined,
        since: o.since,
        endpoint_id: o.endpoint,
        event: o.event,
        limit: o.limit,
        cursor: o.cursor,
      });
      if (out.json) return out.printJson(page);
      const rows: Row[] = [];
      for (const message of page.data as Message[]) {
        const deliveries = (message.deliveries ?? []) as Message[];
        if (deliveries.length === 0) rows.push({ message, delivery: null });
        for (const delivery of deliveries) rows.push({ message, delivery });
      }
      out.table(rows, [
        { header: 'MESSAGE', value: (r) => r.message.id },
        { header: 'EVENT', value: (r) => r.message.event },
        { header: 'CREATED', value: (r) => ago(r.message.created_at) },
        { header: 'ENDPOINT', value: (r) => r.delivery?.endpoint_name ?? r.delivery?.endpoint_id },
        { header: 'STATUS', value: (r) => r.delivery?.status, paint: (t, r) => paintStatus(out.color, r.delivery?.status ?? '')(t) },
        { header: 'TRIES', value: (r) => r.delivery?.attempt_count },
        { header: 'WHY', value: (r) => (r.delivery && r.delivery.status !== 'succeeded' ? String(r.delivery.why).slice(0, 120) : '') },
      ]);
      if (rows.length === 0 && o.undelivered) out.note('every delivery of the messages asked for has arrived');
      moreHint(out, page.next_cursor);
    });
}

/** `herald recover --message ID...`: re-queues what never arrived of those messages at one endpoint. */
export async function recoverMessages(api: Client, out: Output, endpoint: string, messageIds: string[]): Promise<void> {
  const r = await api.post(`/v1/endpoints/${encodeURIComponent(endpoint)}/recover`, { message_ids: messageIds });
  if (out.json) return out.printJson(r);
  const n = Number(r.requeued ?? 0);
  out.line(`${n} deliver${n === 1 ? 'y' : 'ies'} of ${messageIds.length} message${messageIds.length === 1 ? '' : 's'} re-queued for ${endpoint}`);
}
