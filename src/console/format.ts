import { parseLossless, stringifyExact } from '../util/lossless-json.js';
import { html, type Html } from './html.js';

export function ago(ms: number | null | undefined, now = Date.now()): string {
  if (ms === null || ms === undefined) return '—';
  const s = Math.round((now - ms) / 1000);
  const future = s < 0;
  const a = Math.abs(s);
  const text = a < 60 ? `${a}s` : a < 3600 ? `${Math.floor(a / 60)}m` : a < 86400 ? `${Math.floor(a / 3600)}h` : `${Math.floor(a / 86400)}d`;
  return future ? `in ${text}` : `${text} ago`;
}

export function duration(seconds: number): string {
  if (seconds < 1) return '0s';
  if (seconds < 60) return `${Math.round(seconds)}s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m ${Math.round(seconds % 60)}s`;
  return `${Math.floor(seconds / 3600)}h ${Math.floor((seconds % 3600) / 60)}m`;
}

export function time(iso: string | number | null | undefined): Html {
  if (iso === null || iso === undefined) return html`—`;
  const d = new Date(iso);
  return html`<time datetime="${d.toISOString()}" title="${d.toISOString()}">${d.toISOString().replace('T', ' ').slice(0, 19)}</time>`;
}

export function pct(x: number | null): string {
  return x === null ? '—' : `${Number((x * 100).toFixed(1))}%`;
}

const STATUS_CLASS: Record<string, string> = {
  succeeded: 'ok',
  applied: 'ok',
  READY: 'ok',
  enabled: 'ok',
  pending: 'wait',
  // Something is failing now, even if a later attempt may still get through.
  retrying: 'bad',
  unchanged: 'muted',
  STARTING: 'wait',
  PREPARING: 'wait',
  STOPPING: 'wait',
  DELETING: 'wait',
  failed: 'bad',
  refused: 'bad',
  ERROR: 'bad',
  disabled: 'bad',
  cancelled: 'muted',
  skipped: 'muted',
  STOPPED: 'muted',
  DELETED: 'muted',
};

export function badge(status: string): Html {
  return html`<span class="badge ${STATUS_CLASS[status] ?? 'muted'}">${status}</span>`;
}

export function prettyJson(text: string | null | undefined): string {
  if (text === null || text === undefined) return '';
  try {
    // Read losslessly: a 64-bit id in a body or an answer is shown as it was sent.
    return stringifyExact(parseLossless(text), 2);
  } catch {
    return text;
  }
}
