import { Command, Option } from 'commander';
import { ago, parseIntArg, parseSince, type CliDeps } from './args.js';
import type { Client } from './client.js';
import { moreHint, paintStatus, UsageError, type Column, type Output } from './output.js';
import { recoverMessages } from './messages.js';
import { makeProgress } from './progress.js';

type Delivery = Record<string, any>;

const STATUSES = ['pending', 'succeeded', 'failed', 'cancelled', 'skipped'];

/** What went wrong last, in a few words: the status code when the receiver answered, else the error. */
function lastOutcome(d: Delivery): string {
  if (d.last_status_code) return `${d.last_status_code}${d.last_error ? ` ${d.last_error}` : ''}`;
  return d.last_error ?? '';
}

function deliveryColumns(out: Output): Column<Delivery>[] {
  return [
    { header: 'ID', value: (d) => d.id },
    { header: 'STATUS', value: (d) => d.status, paint: (t, d) => paintStatus(out.color, d.status)(t) },
    { header: 'EVENT', value: (d) => d.event },
    { header: 'ENDPOINT', value: (d) => d.endpoint_id },
    { header: 'TRIES', value: (d) => d.attempt_count },
    { header: 'CREATED', value: (d) => ago(d.created_at) },
    { header: 'NEXT', value: (d) => (d.status === 'pending' ? ago(d.next_attempt_at) : '') },
    { header: 'LAST', value: (d) => lastOutcome(d).slice(0, 80) },
  ];
}

function filterOptions(cmd: Command): Command {
  return cmd
    .addOption(new Option('--status <status>').choices(STATUSES))
    .option('--failed', 'only failed deliveries (retries exhausted): the "what failed" view')
    .option('--endpoint <id>', 'only this endpoint')
    .option('--event <key>', 'event key or pattern: SERVER/CREATE, ONDEMAND_ENROLLMENT/*')
    .option('--since <time>', 'changed since an ISO time or an age (30m, 2h, 7d); with --failed: ran out of retries since then', (v: string) => parseSince(v))
    .option('--created-since <time>', 'created since an ISO time or an age (30m, 2h, 7d)', (v: string) => parseSince(v));
}

function filterQuery(o: Record<string, any>) {
  return { status: o.failed ? 'failed' : o.status, endpoint_id: o.endpoint, event: o.event, since: o.since, created_since: o.createdSince };
}

export function deliveriesCommand({ client, output }: CliDeps): Command {
  return filterOptions(new Command('deliveries').description('the delivery log, newest first'))
    .option('--limit <n>', 'page size (up to 500)', parseIntArg)
    .option('--cursor <cursor>', 'next page')
    .action(async (o: Record<string, any>, self: Command) => {
      const out = output(self);
      const page = await client().get('/v1/deliveries', { ...filterQuery(o), limit: o.limit, cursor: o.cursor });
      if (out.json) return out.printJson(page);
      out.table(page.data as Delivery[], deliveryColumns(out));
      moreHint(out, page.next_cursor);
    });
}

export function deliveryCommand({ client, output }: CliDeps): Command {
  const cmd = new Command('delivery').description('one delivery');
  cmd
    .command('show')
    .argument('<id>')
    .description('a delivery with every attempt (requests shown with secrets masked)')
    .action(async (id: string, _o: unknown, self: Command) => {
      const out = output(self);
      const d = await client().get(`/v1/deliveries/${encodeURIComponent(id)}`);
      if (out.json) return out.printJson(d);
      out.fields([
        ['id', d.id],
        ['status', paintStatus(out.color, d.status)(d.status)],
        ['event', d.event],
        ['message', d.message_id],
        ['endpoint', d.endpoint_id],
        ['subscription', d.subscription_id],
        ['topic', d.topic_id],
        ['tenant', d.tenant],
        ['attempts', d.attempt_count],
        ['next attempt', d.status === 'pending' ? d.next_attempt_at : null],
        ['last error', d.last_error],
        ['created', d.created_at],
        ['updated', d.updated_at],
      ]);
      const attempts = (d.attempts ?? []) as Delivery[];
      if (attempts.length === 0) return;
      out.line();
      out.table(attempts, [
        { header: '#', value: (a) => a.attempt },
        { header: 'AT', value: (a) => a.at },
        { header: 'STATUS', value: (a) => a.status_code },
        { header: 'MS', value: (a) => a.duration_ms },
        { header: 'ERROR', value: (a) => (a.error_class ? `${a.error_class}: ${a.error ?? ''}` : a.error) },
      ]);
      const lastAttempt = attempts[attempts.length - 1]!;
      if (lastAttempt.response_body) out.line(`\n${out.color.dim('last response:')} ${String(lastAttempt.response_body).slice(0, 500)}`);
    });
  return cmd;
}

export function retryCommand({ client, output }: CliDeps): Command {
  return new Command('retry')
    .argument('<id>', 'delivery id')
    .description('send a delivery again now, whatever its state')
    .action(async (id: string, _o: unknown, self: Command) => {
      const out = output(self);
      const d = await client().post(`/v1/deliveries/${encodeURIComponent(id)}/retry`);
      if (out.json) return out.printJson(d);
      out.line(`${d.id} queued for an attempt now (${d.event} to ${d.endpoint_id})`);
    });
}

/** Every failed delivery of the endpoint since the time, across pages: the set `--wait` follows. */
async function failedIds(client: Client, endpoint: string, since: string): Promise<Set<string>> {
  const ids = new Set<string>();
  let cursor: string | undefined;
  do {
    const page = await client.get('/v1/deliveries', { status: 'failed', endpoint_id: endpoint, created_since: since, cursor });
    for (const d of page.data as Delivery[]) ids.add(d.id);
    cursor = page.next_cursor ?? undefined;
  } while (cursor);
  return ids;
}

async function statusesOf(client: Client, endpoint: string, since: string, ids: Set<string>): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  let cursor: string | undefined;
  do {
    const page = await client.get('/v1/deliveries', { endpoint_id: endpoint, created_since: since, cursor });
    for (const d of page.data as Delivery[]) if (ids.has(d.id)) found.set(d.id, d.status);
    cursor = found.size < ids.size ? (page.next_cursor ?? undefined) : undefined;
  } while (cursor);
  return found;
}

export function recoverCommand({ client, output }: CliDeps): Command {
  return new Command('recover')
    .description("re-queue an endpoint's failed deliveries, e.g. after its outage is fixed")
    .requiredOption('--endpoint <id>', 'the endpoint')
    .option('--since <time>', 'failed deliveries created since an ISO time or an age (30m, 2h, 7d)', (v: string) => parseSince(v))
    .option('--message <ids...>', "instead of --since: this endpoint's deliveries of these messages that have not arrived (see `herald messages --undelivered`)")
    .option('--wait', 'follow the re-queued deliveries until each has succeeded or failed again')
    .action(async (o: { endpoint: string; since?: string; message?: string[]; wait?: boolean }, self: Command) => {
      const out = output(self);
      if ((o.since === undefined) === (o.message === undefined)) throw new UsageError('give exactly one of --since or --message');
      if (o.message && o.wait) throw new UsageError('--wait follows a recover by --since; with --message, watch `herald messages --undelivered`');
      const api = client();
      if (o.message) return recoverMessages(api, out, o.endpoint, o.message);
      const since = o.since!;
      const watched = o.wait ? await failedIds(api, o.endpoint, since) : null;
      const r = await api.post(`/v1/endpoints/${encodeURIComponent(o.endpoint)}/recover`, { since });
      const requeued = Number(r.requeued ?? 0);
      if (!watched || requeued === 0 || watched.size === 0) {
        if (out.json) return out.printJson(r);
        return out.line(`${requeued} failed deliver${requeued === 1 ? 'y' : 'ies'} re-queued for ${o.endpoint}`);
      }
      out.note(`${requeued} failed deliver${requeued === 1 ? 'y' : 'ies'} re-queued for ${o.endpoint}`);
      const progress = makeProgress('recovering', watched.size);
      let counts = { succeeded: 0, failed: 0, other: 0 };
      const stopped = onInterrupt();
      try {
        for (;;) {
          const now = await statusesOf(api, o.endpoint, since, watched);
          counts = { succeeded: 0, failed: 0, other: 0 };
          let settled = 0;
          for (const id of watched) {
            const s = now.get(id) ?? 'cancelled';
            if (s === 'pending') continue;
            settled++;
            if (s === 'succeeded') counts.succeeded++;
            else if (s === 'failed') counts.failed++;
            else counts.other++;
          }
          progress.update(settled);
          if (settled === watched.size || stopped.signalled) break;
          await stopped.sleep(1000);
        }
      } finally {
        progress.stop();
        stopped.dispose();
      }
      if (out.json) return out.printJson({ ...r, ...counts, pending: watched.size - counts.succeeded - counts.failed - counts.other });
      out.line(`${counts.succeeded} succeeded, ${counts.failed} failed again${counts.other ? `, ${counts.other} other` : ''} of ${watched.size} re-queued`);
    });
}

/** Ctrl-C ends a follow loop cleanly (exit 0) rather than killing the process mid-line. */
function onInterrupt() {
  const state = { signalled: false };
  let wake: (() => void) | null = null;
  const handler = () => {
    state.signalled = true;
    wake?.();
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  return {
    get signalled() {
      return state.signalled;
    },
    sleep: (ms: number) =>
      new Promise<void>((resolve) => {
        const t = setTimeout(resolve, ms);
        wake = () => {
          clearTimeout(t);
          resolve();
        };
      }),
    dispose() {
      process.off('SIGINT', handler);
      process.off('SIGTERM', handler);
    },
  };
}

export function tailCommand({ client, output }: CliDeps): Command {
  return filterOptions(new Command('tail').description('follow deliveries live: new ones and every change of state (Ctrl-C stops)'))
    .option('--interval <ms>', 'poll interval', parseIntArg, 1000)
    .option('--backlog <n>', 'rows of history to print first', parseIntArg, 10)
    .action(async (o: Record<string, any>, self: Command) => {
      const out = output(self);
      const api = client();
      // The latest page is re-read each poll: a row is printed when it is new or its state moved on.
      const seen = new Map<string, string>();
      const version = (d: Delivery) => `${d.status}|${d.attempt_count}|${d.updated_at}`;
      const columns = deliveryColumns(out).filter((c) => c.header !== 'CREATED' && c.header !== 'NEXT');
      const stamp = (d: Delivery) => new Date(d.updated_at ?? Date.now()).toISOString().slice(11, 19);
      const print = (d: Delivery) => {
        if (out.json) return out.line(JSON.stringify(d));
        const cells = columns.map((c) => {
          const text = String(c.value(d) ?? '');
          return c.paint ? c.paint(text, d) : text;
        });
        out.line([stamp(d), ...cells].join('  '));
      };
      const stop = onInterrupt();
      let first = true;
      try {
        while (!stop.signalled) {
          const page = await api.get('/v1/deliveries', filterQuery(o));
          const rows = (page.data as Delivery[]).slice().reverse();
          const fresh = rows.filter((d) => seen.get(d.id) !== version(d));
          // Ids are time-ordered: a row that left the page never comes back, so only the page is remembered.
          seen.clear();
          for (const d of rows) seen.set(d.id, version(d));
          for (const d of first ? fresh.slice(-o.backlog) : fresh) print(d);
          first = false;
          await stop.sleep(o.interval);
        }
      } finally {
        stop.dispose();
      }
    });
}
