import type { App } from '../../api/server.js';
import { overview } from '../../services/operator-views.js';
import { workerLiveness, type WorkerLiveness } from '../../services/workers.js';
import { minuteBars, rateRing } from '../charts.js';
import { ago, duration, pct } from '../format.js';
import { html, raw } from '../html.js';
import { page } from '../layout.js';
import { sendHtml, type ConsoleEnv } from '../plugin.js';

/** Said first when nothing is sending deliveries: every other figure on the page depends on it. */
function workersWarning(w: WorkerLiveness) {
  if (!w.stale) return '';
  const seen = w.lastSeen === null ? 'No worker has been seen yet' : `No worker has been seen since ${ago(w.lastSeen)}`;
  return html`<p class="error" role="alert" data-warning="no-worker">${seen}: deliveries are not being sent. Start a process with HERALD_ROLE=worker (or all) on this database.</p>`;
}

async function panel(env: ConsoleEnv) {
  const [o, workers] = await Promise.all([overview(env.ctx), workerLiveness(env.ctx)]);
  return html`<div id="overview" hx-get="/overview/panel" hx-trigger="every 10s" hx-swap="outerHTML">
${workersWarning(workers)}
<div class="grid">
  <div class="card stat"><div class="value">${o.attemptsLastHour}</div><div class="label">attempts in the last hour</div></div>
  <div class="card stat"><div class="value">${pct(o.successRate)}</div><div class="label">success rate (last hour)</div></div>
  <div class="card stat"><div class="value">${o.backlogDue}</div><div class="label">due now (${o.backlogTotal} pending in all)</div></div>
  <div class="card stat"><div class="value">${duration(o.oldestDueAgeSeconds)}</div><div class="label">oldest due delivery has waited</div></div>
</div>
<div class="split">
  <div class="card"><h2>Attempts per minute</h2>${raw(minuteBars(o.minutes))}<p class="muted">green: answered 2xx; red: failed (will retry or gave up)</p></div>
  <div class="card"><h2>Success rate</h2>${raw(rateRing(o.successRate, 140))}</div>
</div>
<h2>Failing or disabled endpoints</h2>
${
  o.failingEndpoints.length === 0
    ? html`<p class="muted">None: every endpoint answered its last attempt.</p>`
    : html`<table><thead><tr><th>Endpoint</th><th>State</th><th>Failing since</th><th class="num">Failed (24 h)</th><th></th></tr></thead><tbody>
${o.failingEndpoints.map(
  (e) => html`<tr>
  <td><a href="/endpoints/${e.id}">${e.name}</a><div class="muted">${e.url}</div></td>
  <td>${e.enabled ? html`<span class="badge wait">failing</span>` : html`<span class="badge bad">disabled</span> <span class="muted">${e.disabled_reason ?? ''}</span>`}</td>
  <td>${ago(e.failing_since)}</td>
  <td class="num">${e.failed_24h}</td>
  <td><a href="/deliveries?status=failed&amp;endpoint_id=${e.id}">failed deliveries</a></td>
</tr>`,
)}</tbody></table>`
}
</div>`;
}

export function overviewPages(app: App, env: ConsoleEnv): void {
  app.get('/', { schema: { hide: true } }, async (_req, reply) => sendHtml(reply, page('Overview', '/', await panel(env))));
  app.get('/overview/panel', { schema: { hide: true } }, async (_req, reply) => sendHtml(reply, await panel(env)));
}
