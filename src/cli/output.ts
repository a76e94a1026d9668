import { ApiError, ConnectionError } from './client.js';
import { JsonNumber, stringifyExact } from './exact-json.js';

/** Where a command writes. Tests and `--json` scripts read stdout; people read tables; problems go to stderr. */
export interface Output {
  json: boolean;
  /** Prints the API's JSON exactly as it came (integers past 2^53 included), for `jq` and scripts. */
  printJson(value: unknown): void;
  /** An aligned table; no rows prints `empty` ("No deliveries match.") on stderr instead of a bare header. */
  table<T>(rows: T[], columns: Column<T>[], empty?: string): void;
  /** `key  value` lines for one object. */
  fields(pairs: Array<[string, unknown]>): void;
  line(text?: string): void;
  note(text: string): void;
  color: Colors;
}

export interface Column<T> {
  header: string;
  value: (row: T) => unknown;
  /** Decorates the padded cell; applied after alignment so escape codes never skew the columns. */
  paint?: (text: string, row: T) => string;
}

export type Colors = Record<'red' | 'green' | 'yellow' | 'dim' | 'bold', (s: string) => string>;

const plain: Colors = { red: (s) => s, green: (s) => s, yellow: (s) => s, dim: (s) => s, bold: (s) => s };
const sgr = (open: number, close: number) => (s: string) => `\x1b[${open}m${s}\x1b[${close}m`;
const ansi: Colors = { red: sgr(31, 39), green: sgr(32, 39), yellow: sgr(33, 39), dim: sgr(2, 22), bold: sgr(1, 22) };

export function colorsFor(stream: NodeJS.WriteStream, env: NodeJS.ProcessEnv = process.env): Colors {
  if (env.NO_COLOR || env.TERM === 'dumb' || !stream.isTTY) return plain;
  return ansi;
}

export function cell(v: unknown): string {
  if (v === null || v === undefined || v === '') return '-';
  if (Array.isArray(v)) return v.length === 0 ? '-' : v.map(cell).join(',');
  if (v instanceof JsonNumber) return v.text;
  if (typeof v === 'object') return stringifyExact(v);
  return String(v).replace(/\s+/g, ' ');
}

export function makeOutput(json: boolean, out: NodeJS.WriteStream = process.stdout, err: NodeJS.WriteStream = process.stderr): Output {
  const color = colorsFor(out);
  const write = (s: string) => out.write(s);
  return {
    json,
    color,
    printJson: (value) => write(`${stringifyExact(value, 2)}\n`),
    table(rows, columns, empty) {
      if (rows.length === 0 && empty) {
        err.write(`${empty}\n`);
        return;
      }
      const cells = rows.map((r) => columns.map((c) => cell(c.value(r))));
      const widths = columns.map((c, i) => Math.max(c.header.length, ...cells.map((row) => row[i]!.length)));
      const last = columns.length - 1;
      const pad = (s: string, i: number) => (i === last ? s : s.padEnd(widths[i]!));
      write(`${color.bold(columns.map((c, i) => pad(c.header, i)).join('  ').trimEnd())}\n`);
      rows.forEach((r, ri) => {
        const line = columns.map((c, i) => {
          const text = pad(cells[ri]![i]!, i);
          return c.paint ? c.paint(text, r) : text;
        });
        write(`${line.join('  ').trimEnd()}\n`);
      });
    },
    fields(pairs) {
      const width = Math.max(...pairs.map(([k]) => k.length));
      for (const [k, v] of pairs) write(`${color.dim(`${k}:`.padEnd(width + 1))}  ${cell(v)}\n`);
    },
    line: (text = '') => write(`${text}\n`),
    note: (text) => err.write(`${text}\n`),
  };
}

/** Colour for a delivery status, the word operators scan for at 3 a.m. */
export function paintStatus(color: Colors, status: string): (s: string) => string {
  if (status === 'succeeded') return color.green;
  if (status === 'failed' || status === 'retrying') return color.red;
  if (status === 'pending') return color.yellow;
  return color.dim;
}

/** Tells a reader of a table that the list goes on, and how to see more. */
export function moreHint(out: Output, nextCursor: string | null | undefined): void {
  if (nextCursor) out.note(`(more: add --cursor ${nextCursor})`);
}

/**
 * True when the message only restates the API's details (`/url: must match format "uri"` above the same detail):
 * the details are printed, each once, under a plain header.
 */
export function restatesDetails(e: ApiError): boolean {
  const d = e.details;
  return d.length === 1 && e.message === `${d[0]!.path || 'body'}: ${d[0]!.message}`;
}

function problemLine(d: { path: string; message: string; allowed?: string[] }): string {
  const allowed = d.allowed && d.allowed.length > 0 ? ` (allowed: ${d.allowed.join(', ')})` : '';
  return `${d.path || '(body)'}: ${d.message}${allowed}`;
}

const TOKEN_HINT = 'set HERALD_TOKEN to the admin token (or run where ./data/admin-token is readable)';

/** The JSON a `--json` caller reads on stdout when a command fails: the API's error object, with the HTTP status. */
export function errorJson(e: unknown): { error: Record<string, unknown> } | null {
  if (e instanceof ApiError) {
    return { error: { status: e.status, code: e.code, message: e.message, details: e.details, ...(e.status === 401 ? { hint: TOKEN_HINT } : {}) } };
  }
  if (e instanceof ConnectionError) return { error: { code: 'unreachable', message: e.message, url: e.url, hint: e.hint } };
  if (e instanceof UsageError) return { error: { code: 'usage', message: e.message } };
  return null;
}

/** 1 when Herald said no or the command line is wrong, 2 when Herald could not be reached. */
export function exitCodeOf(e: unknown): number | null {
  if (e instanceof ApiError || e instanceof UsageError) return 1;
  if (e instanceof ConnectionError) return 2;
  return null;
}

/**
 * Prints a failure and answers the exit code: 1 when Herald said no, 2 when it could not be reached. People get
 * text on stderr, each fact said once, every detail with its JSON path so they know which flag or line to fix;
 * `--json` callers get the error as JSON on stdout.
 */
export function reportError(e: unknown, json = false, out: NodeJS.WritableStream = process.stdout, err: NodeJS.WritableStream = process.stderr): number {
  const code = exitCodeOf(e);
  if (code === null) throw e;
  if (json) {
    out.write(`${stringifyExact(errorJson(e), 2)}\n`);
    return code;
  }
  if (e instanceof ApiError) {
    err.write(`error: ${restatesDetails(e) ? `Herald refused the request (HTTP ${e.status})` : e.message}\n`);
    for (const d of e.details) err.write(`  ${problemLine(d)}\n`);
    if (e.status === 401) err.write(`hint: ${TOKEN_HINT}\n`);
  } else if (e instanceof ConnectionError) {
    err.write(`error: ${e.message}\nhint: ${e.hint}\n`);
  } else {
    err.write(`error: ${(e as Error).message}\n`);
  }
  return code;
}

/** A mistake in the command line found before anything is sent. */
export class UsageError extends Error {
  override name = 'UsageError';
}
