import pino, { type Logger } from 'pino';

/**
 * Herald's logger. JSON lines (pino's own) for log collectors; on a terminal, or with HERALD_LOG_FORMAT=pretty,
 * one readable line per record instead: `12:04:05 INFO  message key=value`. A record carrying `admin_token`
 * shows the token on a line of its own, so it can be copied as it is.
 */
export type LogFormat = 'auto' | 'pretty' | 'json';

const REDACT = { paths: ['req.headers.authorization', '*.secret', '*.key', '*.auth_key'], censor: '****' };

export function makeLogger(level: string, format: LogFormat, out: NodeJS.WriteStream = process.stdout): Logger {
  const pretty = format === 'pretty' || (format === 'auto' && out.isTTY === true);
  if (!pretty) return pino({ level, redact: REDACT });
  const colour = out.isTTY === true && !process.env.NO_COLOR;
  return pino({ level, redact: REDACT }, { write: (line: string) => void out.write(prettyLine(line, colour)) });
}

const LEVELS: Record<number, [string, string]> = {
  10: ['TRACE', '\x1b[90m'],
  20: ['DEBUG', '\x1b[36m'],
  30: ['INFO ', '\x1b[32m'],
  40: ['WARN ', '\x1b[33m'],
  50: ['ERROR', '\x1b[31m'],
  60: ['FATAL', '\x1b[41m'],
};
const RESET = '\x1b[0m';
const DIM = '\x1b[2m';
/** Fields every record has, or that the line already shows. */
const OMITTED = new Set(['level', 'time', 'pid', 'hostname', 'msg', 'admin_token', 'reqId']);

function clock(ms: unknown): string {
  const d = typeof ms === 'number' ? new Date(ms) : new Date();
  return d.toTimeString().slice(0, 8);
}

function fieldText(value: unknown): string {
  if (typeof value === 'string') return /^[^\s"=]+$/.test(value) ? value : JSON.stringify(value);
  if (value instanceof Object && 'message' in value && typeof value.message === 'string') return JSON.stringify(value.message);
  return JSON.stringify(value) ?? String(value);
}

/** One pino JSON line as a terminal line (or more, for a token); a line that is not JSON passes unchanged. */
export function prettyLine(line: string, colour = false): string {
  let rec: Record<string, unknown>;
  try {
    rec = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return line;
  }
  const [name, tint] = LEVELS[Number(rec.level)] ?? ['LOG  ', ''];
  const fields = Object.entries(rec)
    .filter(([k, v]) => !OMITTED.has(k) && v !== undefined)
    .map(([k, v]) => `${k}=${fieldText(v)}`)
    .join(' ');
  const paint = (s: string, c: string) => (colour && c ? `${c}${s}${RESET}` : s);
  let text = `${paint(clock(rec.time), DIM)} ${paint(name, tint)} ${String(rec.msg ?? '')}${fields ? ` ${paint(fields, DIM)}` : ''}\n`;
  if (typeof rec.admin_token === 'string') text += `\n${rec.admin_token}\n\n`;
  return text;
}
