import { Command } from 'commander';
import { when, type CliDeps } from './args.js';
import { parseExact, stringifyExact } from './exact-json.js';
import { ConnectionError } from './client.js';
import type { Output } from './output.js';

type Entity = Record<string, any>;

function printEntity(out: Output, e: Entity): void {
  const resources = (e.resources ?? []) as Entity[];
  const interfaces = (e.interfaces ?? []) as Entity[];
  out.line(`${out.color.bold(String(e.id ?? e.entity_id ?? ''))}${e.updated_at ? `  updated ${when(e.updated_at)}` : ''}`);
  if (resources.length === 0 && interfaces.length === 0) return out.line('no resources reported yet');
  const c = out.color;
  if (resources.length > 0) {
    out.table(resources, [
      { header: 'RESOURCE', value: (r) => r.id },
      { header: 'TYPE', value: (r) => r.type },
      { header: 'NAME', value: (r) => r.name },
      {
        header: 'STATUS',
        value: (r) => r.status ?? r.data?.status,
        paint: (t, r) => {
          const s = r.status ?? r.data?.status;
          return s === 'READY' ? c.green(t) : s === 'ERROR' ? c.red(t) : s === 'DELETED' || s === 'STOPPED' ? c.dim(t) : c.yellow(t);
        },
      },
    ]);
  }
  if (interfaces.length > 0) {
    out.line();
    out.table(interfaces, [
      { header: 'INTERFACE', value: (i) => i.type },
      { header: 'RESOURCE', value: (i) => i.resource_id },
      { header: 'NAME', value: (i) => i.name },
      { header: 'CONFIG', value: (i) => i.config },
    ]);
  }
}

interface SseEvent {
  id?: string;
  event: string;
  data: string;
}

/** Splits a Server-Sent Events byte stream into events (comments and keep-alives are dropped). */
export async function* readSse(body: AsyncIterable<Buffer | string>): AsyncGenerator<SseEvent> {
  let buffer = '';
  let current: { id?: string; event?: string; data: string[] } = { data: [] };
  for await (const chunk of body) {
    buffer += typeof chunk === 'string' ? chunk : chunk.toString('utf8');
    let nl: number;
    while ((nl = buffer.search(/\r?\n/)) >= 0) {
      const line = buffer.slice(0, nl);
      buffer = buffer.slice(nl + (buffer[nl] === '\r' ? 2 : 1));
      if (line === '') {
        if (current.data.length > 0) yield { ...(current.id !== undefined ? { id: current.id } : {}), event: current.event ?? 'message', data: current.data.join('\n') };
        current = { data: [] };
        continue;
      }
      if (line.startsWith(':')) continue;
      const colon = line.indexOf(':');
      const field = colon < 0 ? line : line.slice(0, colon);
      const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
      if (field === 'data') current.data.push(value);
      else if (field === 'event') current.event = value;
      else if (field === 'id') current.id = value;
    }
  }
}

export function entityCommands({ client, output }: CliDeps): Command {
  const cmd = new Command('entity').description("an entity's state (a lab: its resources and interfaces), as its backend reported it");

  cmd
    .command('show')
    .argument('<id>')
    .action(async (id: string, _o: unknown, self: Command) => {
      const out = output(self);
      const e = await client().get(`/v1/entities/${encodeURIComponent(id)}`);
      if (out.json) return out.printJson(e);
      printEntity(out, e);
    });

  cmd
    .command('watch')
    .argument('<id>')
    .description('print each state change as it happens (Ctrl-C stops); reconnects if the stream drops')
    .action(async (id: string, _o: unknown, self: Command) => {
      const out = output(self);
      const api = client();
      const abort = new AbortController();
      const stop = () => abort.abort();
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
      let lastId: string | undefined;
      let delay = 500;
      try {
        while (!abort.signal.aborted) {
          try {
            const body = await api.stream(`/v1/entities/${encodeURIComponent(id)}/stream`, lastId ? { 'last-event-id': lastId } : {}, abort.signal);
            delay = 500;
            for await (const ev of readSse(body)) {
              if (ev.id) lastId = ev.id;
              let payload: unknown = ev.data;
              try {
                payload = parseExact(ev.data);
              } catch {
                // A non-JSON event is printed as sent.
              }
              if (out.json) {
                out.line(stringifyExact(typeof payload === 'object' ? payload : { event: ev.event, data: payload }));
                continue;
              }
              out.line(out.color.dim(`-- ${new Date().toISOString().replace(/\.\d{3}Z$/, 'Z')} ${ev.event}`));
              if (payload && typeof payload === 'object') printEntity(out, payload as Entity);
              else out.line(String(payload));
            }
          } catch (e) {
            if (abort.signal.aborted) break;
            // The first connection must work; later drops (Herald restarting) are waited out.
            if (!(e instanceof ConnectionError) && !(e instanceof Error && /terminated|closed|aborted|ECONNRESET/i.test(e.message))) throw e;
            if (lastId === undefined && e instanceof ConnectionError) throw e;
          }
          if (abort.signal.aborted) break;
          out.note(`stream closed; reconnecting in ${delay} ms`);
          await new Promise((r) => setTimeout(r, delay));
          delay = Math.min(delay * 2, 10_000);
        }
      } finally {
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
      }
    });

  return cmd;
}
