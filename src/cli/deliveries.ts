import { Command, Option } from 'commander';
import { ago, parseIntArg, parseSince, when, type CliDeps } from './args.js';
import { ApiError, ConnectionError, type Client, type Query } from './client.js';
import { stringifyExact } from './exact-json.js';
import { nameAndId } from './names.js';
import { recoverMessages } from './messages.js';
import { moreHint, paintStatus, UsageError, type Column, type Output } from './output.js';
import { makeProgress } from './progress.js';

type Delivery = Record<string, any>;

const STATUSES = ['pending', 'retrying', 'succeeded', 'failed', 'cancelled', 'skipped'];
/** What `--failed` shows: given up on, and failing now with another attempt due. */
const FAILING = ['failed', 'retrying'] as const;

/** Statuses with another attempt to come. */

/** What went wrong last, in a few words: the status code when the receiver answered, else the error. */
function lastOutcome(d: Delivery): string {
  const error = d.last_error ? saidOnce(String(d.last_error)) : '';
  if (d.last_status_code) return `${d.last_status_code}${error ? ` ${error}` : ''}`;
  return error;
}

/**
 * Stored errors lead with their class (`ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:9`, `destination: destination
 * not allowed: ...`); when the text after it names the class again, the lead is dropped so it is said once.
 */
export function saidOnce(text: string): string {
  for (;;) {
    const m = /^([\w.-]+): ([\s\S]+)$/.exec(text);
    if (!m || !m[2]!.toLowerCase().includes(m[1]!.toLowerCase())) return text;
    text = m[2]!;
  }
}

/** A receiver's text for a terminal: control characters (C0 and C1, which could move the cursor) as `\\u` escapes. */
function printable(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** When the next attempt is due, for deliveries that will still be tried. */
const awaitsAttempt = (status: string) => status === 'pending' || status === 'retrying';
const nextAttempt = (d: Delivery): string | null => (d.status === 'succeeded' || d.status === 'failed' || d.status === 'cancelled' || d.status === 'skipped' ? null : d.next_attempt_at);

/** The endpoint's name (Herald sends it with each delivery); its id when the endpoint is gone. */
const endpointOf = (d: Delivery): string => d.endpoint_name ?? d.endpoint_id;

/** Tables give times relative to now; `wide` gives exact ISO times and the ids behind the names, as kubectl's -o wide. */
function deliveryColumns(out: Output, wide = false): Column<Delivery>[] {
  const time = wide ? (iso: string | null) => iso : (iso: string | null) => ago(iso);
  return [
    { header: 'ID', value: (d) => d.id },
    { header: 'STATUS', value: (d) => d.status, paint: (t, d) => paintStatus(out.color, d.status)(t) },
    { header: 'EVENT', value: (d) => d.event },
    { header: 'ENDPOINT', value: endpointOf },
    ...(wide ? [{ header: 'ENDPOINT ID', value: (d: Delivery) => d.endpoint_id }] : []),
    { header: 'TRIES', value: (d) => d.attempt_count },
    { header: 'CREATED', value: (d) => time(d.created_at) },
    { header: 'NEXT', value: (d) => (nextAttempt(d) ? time(nextAttempt(d)) : '') },
    { header: 'LAST', value: (d) => (wide ? lastOutcome(d) : lastOutcome(d).slice(0, 80)) },
  ];
}

/** An attempt's error in words, said once: the class is dropped when the text already names it. */
export function attemptError(a: { error?: string | null; error_class?: string | null }): string | null {
  const { error, error_class: cls } = a;
  if (!cls) return error ? saidOnce(error) : null;
  if (!error) return cls;
  return saidOnce(`${cls}: ${error}`);
}

function filterOptions(cmd: Command): Command {
  return cmd
    .addOption(new Option('--status <status>').choices(STATUSES))
    .option('--failed', 'what is failing: failed (retries exhausted) and retrying (failed, another attempt due)')
    .option('--endpoint <id>', 'only this endpoint')
    .option('--event <key>', 'event key or pattern: SERVER/CREATE, ONDEMAND_ENROLLMENT/*')
    .option('--since <time>', 'changed since an ISO time or an age (30m, 2h, 7d); with --failed: ran out of retries since then', (v: string) => parseSince(v))
    .option('--created-since <time>', 'created since an ISO time or an age (30m, 2h, 7d)', (v: string) => parseSince(v));
}

/**
 * `--failed` is two statuses, read as two lists and merged newest first. Ids are time-ordered, so the last id shown
 * is a cursor for both: the next page picks up each list where this one left it.
 */
async function failingPage(client: Client, query: Query, limit: number | undefined) {
  const pages = await Promise.all(FAILING.map((status) => client.get('/v1/deliveries', { ...query, status, limit })));
  const size = limit ?? 50;
  const merged = pages.flatMap((p) => p.data as Delivery[]).sort((a, b) => (a.id < b.id ? 1 : a.id > b.id ? -1 : 0));
  const data = merged.slice(0, size);
  const more = merged.length > size || pages.some((p) => p.next_cursor);
  return { data, next_cursor: more && data.length > 0 ? data[data.length - 1]!.id : null };
}

function countsLine(rows: Delivery[]): string {
  return FAILING.map((status) => `${rows.filter((d) => d.status === status).length} ${status}`).join(', ');
}

function filterQuery(o: Record<string, any>) {
  return { status: o.failed ? 'failed' : o.status, endpoint_id: o.endpoint, event: o.event, since: o.since, created_since: o.createdSince };
}

export function deliveriesCommand({ client, output }: CliDeps): Command {
  const cmd = filterOptions(new Command('deliveries').description('the delivery log, newest first'))
    .option('--limit <n>', 'page size (up to 500)', parseIntArg)
    .option('--cursor <cursor>', 'next page')
    .option('-w, --wide', 'exact times, endpoint ids and the whole last error')
    .action(async (o: Record<string, any>, self: Command) => {
      const out = output(self);
      const page = o.failed
        ? await failingPage(client(), { ...filterQuery(o), status: undefined, cursor: o.cursor }, o.limit)
        : await client().get('/v1/deliveries', { ...filterQuery(o), limit: o.limit, cursor: o.cursor });
      if (out.json) return out.printJson(page);
      out.table(page.data as Delivery[], deliveryColumns(out, Boolean(o.wide)), 'No deliveries match.');
      if (o.failed) out.line(countsLine(page.data as Delivery[]));
      moreHint(out, page.next_cursor);
    });
  return cmd;
}

export function deliveryCommand({ client, output }: CliDeps): Command {
  const cmd = new Command('delivery').description('one delivery');
  cmd
    .command('show')
    .argument('<id>')
    .description('a delivery with every attempt (requests shown with secrets masked)')
    .option('-w, --wide', "every attempt's response headers, not only the last one's")
    .action(async (id: string, o: { wide?: boolean }, self: Command) => {
      const out = output(self);
      const d = await client().get(`/v1/deliveries/${encodeURIComponent(id)}`);
      if (out.json) return out.printJson(d);
      out.fields([
        ['id', d.id],
        ['status', paintStatus(out.color, d.status)(d.status)],
        ['event', d.event],
        ['message', d.message_id],
        ['endpoint', nameAndId(d.endpoint_name, d.endpoint_id)],
        ['subscription', d.subscription_id],
        ['topic', d.topic_id],
        ['tenant', d.tenant],
        ['attempts', d.attempt_count],
        ['next attempt', when(nextAttempt(d))],
        ['last error', d.last_error ? saidOnce(String(d.last_error)) : null],
        ['created', when(d.created_at)],
        ['updated', when(d.updated_at)],
      ]);
      const attempts = (d.attempts ?? []) as Delivery[];
      if (attempts.length === 0) return;
      out.line();
      out.table(attempts, [
        { header: '#', value: (a) => a.attempt },
        { header: 'AT', value: (a) => a.at },
        { header: 'STATUS', value: (a) => a.status_code },
        { header: 'MS', value: (a) => a.duration_ms },
        { header: 'ERROR', value: attemptError },
      ]);
      const lastAttempt = attempts[attempts.length - 1]!;
      for (const a of o.wide ? attempts : [lastAttempt]) {
        if (!a.response_headers) continue;
        out.line(`\n${out.color.dim(`response headers of attempt ${a.attempt}:`)}`);
        for (const [name, value] of Object.entries(a.response_headers as Record<string, string>)) out.line(`  ${printable(name)}: ${printable(value)}`);
      }
      if (lastAttempt.response_body) out.line(`\n${out.color.dim('last response:')} ${String(lastAttempt.response_body).slice(0, 500)}`);
    });
  return cmd;
}

export function retryCommand({ client, output }: CliDeps): Command {
  const cmd = new Command('retry')
    .argument('<id>', 'delivery id')
    .description('send a delivery again now, whatever its state')
    .action(async (id: string, _o: unknown, self: Command) => {
      const out = output(self);
      const d = await client().post(`/v1/deliveries/${encodeURIComponent(id)}/retry`);
      if (out.json) return out.printJson(d);
      out.line(`${d.id} queued for an attempt now (${d.event} to ${nameAndId(d.endpoint_name, d.endpoint_id)})`);
    });
  return cmd;
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
  const cmd = new Command('recover')
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
            if (awaitsAttempt(s)) continue;
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
  return cmd;
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

/** A tail column: widths are fixed from the header and the first rows, as `kubectl get -w` does, so later rows align. */
interface TailColumn {
  header: string;
  min: number;
  value: (d: Delivery) => string;
  paint?: (text: string, d: Delivery) => string;
}

/** An exact time to the second: a stream's rows outlive any "3m ago". */
const stamp = (iso: string | null | undefined) => (iso ? new Date(iso).toISOString().replace(/\.\d{3}Z$/, 'Z') : '-');

function tailColumns(out: Output): TailColumn[] {
  return [
    { header: 'UPDATED', min: 20, value: (d) => stamp(d.updated_at) },
    // dlv_ and a 26-character ULID: never cut, even when the first poll has no rows to measure.
    { header: 'ID', min: 30, value: (d) => String(d.id) },
    { header: 'STATUS', min: 9, value: (d) => String(d.status), paint: (t, d) => paintStatus(out.color, d.status)(t) },
    { header: 'EVENT', min: 24, value: (d) => String(d.event ?? '-') },
    { header: 'ENDPOINT', min: 20, value: (d) => String(endpointOf(d) ?? '-') },
    { header: 'TRIES', min: 5, value: (d) => String(d.attempt_count ?? '-') },
    { header: 'LAST', min: 0, value: (d) => lastOutcome(d).replace(/\s+/g, ' ').slice(0, 120) || '-' },
  ];
}

/** Lays out rows in widths fixed once; a longer value is cut with an ellipsis so the columns never drift. */
function tailLayout(columns: TailColumn[], first: Delivery[]) {
  const widths = columns.map((c) => Math.max(c.header.length, c.min, ...first.map((d) => c.value(d).length)));
  const last = columns.length - 1;
  const fit = (text: string, i: number) => {
    if (i === last) return text;
    const w = widths[i]!;
    return (text.length > w ? `${text.slice(0, w - 1)}…` : text).padEnd(w);
  };
  return {
    header: columns.map((c, i) => fit(c.header, i)).join('  ').trimEnd(),
    row: (d: Delivery) =>
      columns
        .map((c, i) => {
          const text = fit(c.value(d), i);
          return c.paint ? c.paint(text, d) : text;
        })
        .join('  ')
        .trimEnd(),
  };
}

/** Failures a follow loop waits out: Herald restarting (refused, reset) or briefly without its store. */
function isTransient(e: unknown): e is ConnectionError | ApiError {
  return e instanceof ConnectionError || (e instanceof ApiError && (e.status === 502 || e.status === 503 || e.status === 504));
}

export function tailCommand({ client, output }: CliDeps): Command {
  const cmd = filterOptions(new Command('tail').description('follow deliveries live: new ones and every change of state (Ctrl-C stops); waits out Herald restarts'))
    .option('--interval <ms>', 'poll interval', parseIntArg, 1000)
    .option('--backlog <n>', 'rows of history to print first', parseIntArg, 10)
    .action(async (o: Record<string, any>, self: Command) => {
      const out = output(self);
      const api = client();
      // The latest page is re-read each poll: a row is printed when it is new or its state moved on.
      const seen = new Map<string, string>();
      const version = (d: Delivery) => `${d.status}|${d.attempt_count}|${d.updated_at}`;
      const columns = tailColumns(out);
      let layout: ReturnType<typeof tailLayout> | null = null;
      const print = (d: Delivery) => out.line(out.json ? stringifyExact(d) : layout!.row(d));
      const stop = onInterrupt();
      let first = true;
      let lost: string | null = null;
      let backoff = o.interval as number;
      try {
        while (!stop.signalled) {
          let page;
          try {
            page = await api.get('/v1/deliveries', filterQuery(o));
          } catch (e) {
            // The first read must work (a wrong HERALD_URL exits 2); after that a restart is waited out.
            if (first || !isTransient(e)) throw e;
            if (lost === null) out.note(`lost Herald at ${api.baseUrl} (${e.message}); reconnecting...`);
            lost = e.message;
            await stop.sleep(backoff);
            backoff = Math.min(backoff * 2, 5000);
            continue;
          }
          if (lost !== null) {
            out.note(`reconnected to ${api.baseUrl}`);
            lost = null;
            backoff = o.interval;
          }
          const rows = (page.data as Delivery[]).slice().reverse();
          const fresh = rows.filter((d) => seen.get(d.id) !== version(d));
          // Ids are time-ordered: a row that left the page never comes back, so only the page is remembered.
          seen.clear();
          for (const d of rows) seen.set(d.id, version(d));
          const shown = first ? fresh.slice(-o.backlog) : fresh;
          if (first && !out.json) {
            layout = tailLayout(columns, shown);
            out.line(out.color.bold(layout.header));
          }
          for (const d of shown) print(d);
          first = false;
          await stop.sleep(o.interval);
        }
      } finally {
        stop.dispose();
      }
    });
  return cmd;
}
