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

/**
 * A moment as `<time>`: the server writes UTC and says so; console.js rewrites it in the browser's own zone
 * with that zone's name, so the label is right with or without scripts.
 */
export function time(iso: string | number | null | undefined): Html {
  if (iso === null || iso === undefined) return html`—`;
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return html`${String(iso)}`;
  const utc = d.toISOString();
  return html`<time datetime="${utc}" title="${utc}" data-local>${utc.replace('T', ' ').slice(0, 19)} UTC</time>`;
}

/**
 * A long id shortened to its prefix and its last characters (the front of a ULID is the same for every row
 * written in the same hour), with the whole id in the title and a copy button that console.js wires up.
 */
export function shortId(id: string, href?: string): Html {
  const cut = id.indexOf('_');
  const short = id.length > 14 ? `${cut > 0 && cut < 8 ? id.slice(0, cut + 1) : ''}…${id.slice(-6)}` : id;
  const label = html`<code>${short}</code>`;
  return html`<span class="id" title="${id}">${href ? html`<a href="${href}">${label}</a>` : label}<button type="button" class="copy" data-copy="${id}" aria-label="Copy ${id}" title="Copy the full id">copy</button></span>`;
}

/** The first few items of a long list; the rest behind a `<details>` that opens in place. */
export function collapsedList(items: readonly string[], shown = 3): Html {
  if (items.length === 0) return html`<span class="muted">—</span>`;
  const head = items.slice(0, shown).join(', ');
  if (items.length <= shown + 1) return html`${items.join(', ')}`;
  const rest = items.slice(shown);
  return html`<span class="collapsed">${head} <details class="more"><summary>+${rest.length} more</summary><div>${rest.join(', ')}</div></details></span>`;
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
