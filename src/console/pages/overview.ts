import type { App } from '../../api/server.js';
import { overview, type Overview } from '../../services/operator-views.js';
import { workerLiveness, type WorkerLiveness } from '../../services/workers.js';
import { minuteBars, rateRing } from '../charts.js';
import { ago, duration } from '../format.js';
import { html, raw } from '../html.js';
import { page } from '../layout.js';
import { sendHtml, type ConsoleEnv } from '../plugin.js';

/** Counted per delivery: a delivery that succeeded on its second attempt is delivered, not half a failure. */
function deliverySummary(d: Overview['deliveries']) {
  // Red only for what is failing: a count of zero is plain.
  const failing = (n: number, text: string) => html`<span class="badge ${n > 0 ? 'bad' : 'muted'}">${n} ${text}</span>`;
  return html`<p id="delivery-summary" data-failing="${d.failed + d.retrying}">Last hour: <strong>${d.delivered} delivered</strong>, ${
    d.neededRetry
  } needed a retry, ${failing(d.failed, 'failed')}; ${failing(d.retrying, 'retrying now')}</p>`;
}

function deliveredRing(d: Overview['deliveries']): string {
  const settled = d.delivered + d.failed + d.retrying;
  return rateRing(settled === 0 ? null : d.delivered / settled, 140, d.failed + d.retrying > 0 ? 'bad' : 'ok');
}

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
  <div class="card stat"><div class="value">${o.deliveries.delivered}</div><div class="label">delivered in the last hour (${o.deliveries.neededRetry} needed a retry)</div></div>
  <div class="card stat"><div class="value">${o.backlogDue}</div><div class="label">due now (${o.backlogTotal} pending in all)</div></div>
  <div class="card stat"><div class="value">${duration(o.oldestDueAgeSeconds)}</div><div class="label">oldest due delivery has waited</div></div>
</div>
${deliverySummary(o.deliveries)}
<div class="split">
  <div class="card"><h2>Attempts per minute</h2>${raw(minuteBars(o.minutes))}<p class="muted">green: answered 2xx; red: failed (will retry or gave up)</p></div>
  <div class="card"><h2>Delivered (last hour)</h2>${raw(deliveredRing(o.deliveries))}</div>
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
  <td><a href="/deliveries?status=failed&amp;endpoint_id=${e.id}">failed</a> · <a href="/deliveries?status=retrying&amp;endpoint_id=${e.id}">retrying</a></td>
</tr>`,
)}</tbody></table>`
}
</div>`;
}

export function overviewPages(app: App, env: ConsoleEnv): void {
  app.get('/', { schema: { hide: true } }, async (_req, reply) => sendHtml(reply, page('Overview', '/', await panel(env))));
  app.get('/overview/panel', { schema: { hide: true } }, async (_req, reply) => sendHtml(reply, await panel(env)));
}
