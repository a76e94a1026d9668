import { escapeHtml } from './html.js';

export interface MinuteBar {
  /** Start of the minute, ms since the epoch. */
  minute: number;
  ok: number;
  failed: number;
}

/**
 * Attempts per minute as stacked bars (successes below, failures above), drawn on the server: the page works
 * without scripts and the numbers never leave Herald.
 */
export function minuteBars(bars: MinuteBar[], { width = 720, height = 160 } = {}): string {
  const pad = { left: 36, right: 8, top: 8, bottom: 22 };
  const w = width - pad.left - pad.right;
  const h = height - pad.top - pad.bottom;
  const max = Math.max(1, ...bars.map((b) => b.ok + b.failed));
  const step = w / Math.max(1, bars.length);
  const barW = Math.max(1, step - 1);
  const y = (n: number) => (n / max) * h;
  const parts: string[] = [];
  parts.push(`<line x1="${pad.left}" y1="${pad.top + h}" x2="${pad.left + w}" y2="${pad.top + h}" class="axis"/>`);
  parts.push(`<text x="${pad.left - 4}" y="${pad.top + 8}" text-anchor="end" class="tick">${max}</text>`);
  parts.push(`<text x="${pad.left - 4}" y="${pad.top + h}" text-anchor="end" class="tick">0</text>`);
  bars.forEach((b, i) => {
    const x = (pad.left + i * step).toFixed(1);
    const okH = y(b.ok);
    const failH = y(b.failed);
    const label = escapeHtml(`${new Date(b.minute).toISOString().slice(11, 16)}: ${b.ok} ok, ${b.failed} failed`);
    if (b.ok > 0) parts.push(`<rect x="${x}" y="${(pad.top + h - okH).toFixed(1)}" width="${barW.toFixed(1)}" height="${okH.toFixed(1)}" class="ok"><title>${label}</title></rect>`);
    if (b.failed > 0) parts.push(`<rect x="${x}" y="${(pad.top + h - okH - failH).toFixed(1)}" width="${barW.toFixed(1)}" height="${failH.toFixed(1)}" class="bad"><title>${label}</title></rect>`);
    if (i % 15 === 0) parts.push(`<text x="${x}" y="${height - 6}" class="tick">${new Date(b.minute).toISOString().slice(11, 16)}</text>`);
  });
  return `<svg class="chart" viewBox="0 0 ${width} ${height}" role="img" aria-label="attempts per minute over the last hour">${parts.join('')}</svg>`;
}

/**
 * A success-rate ring: one number an operator reads at a glance. `tone` overrides the colour the rate alone would
 * get, for a caller that knows what the number means (red only when something is actually failing).
 */
export function rateRing(rate: number | null, size = 96, tone?: 'ok' | 'wait' | 'bad'): string {
  const r = size / 2 - 8;
  const c = 2 * Math.PI * r;
  const filled = rate === null ? 0 : c * rate;
  const cls = rate === null ? 'muted' : (tone ?? (rate >= 0.99 ? 'ok' : rate >= 0.9 ? 'wait' : 'bad'));
  const label = rate === null ? 'no attempts' : `${(rate * 100).toFixed(1)}%`;
  return `<svg class="ring ${cls}" viewBox="0 0 ${size} ${size}" width="${size}" height="${size}" role="img" aria-label="success rate ${label}">`
    + `<circle cx="${size / 2}" cy="${size / 2}" r="${r}" class="track"/>`
    + `<circle cx="${size / 2}" cy="${size / 2}" r="${r}" class="fill" stroke-dasharray="${filled.toFixed(1)} ${c.toFixed(1)}" transform="rotate(-90 ${size / 2} ${size / 2})"/>`
    + `<text x="50%" y="54%" text-anchor="middle" class="ring-label">${label}</text></svg>`;
}
