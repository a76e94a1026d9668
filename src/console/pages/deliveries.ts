import type { App } from '../../api/server.js';
import { invalid } from '../../errors.js';
import { DELIVERY_STATUSES, getDelivery, listDeliveries, retryDelivery } from '../../services/deliveries.js';
import { endpointNames } from '../../services/operator-views.js';
import { badge, prettyJson, shortId, time } from '../format.js';
import { html, qs, type Html } from '../html.js';
import { page } from '../layout.js';
import { sendHtml, type ConsoleEnv } from '../plugin.js';

const SINCE: Array<[string, string, number]> = [
  ['15m', 'last 15 minutes', 15 * 60_000],
  ['1h', 'last hour', 3600_000],
  ['24h', 'last 24 hours', 24 * 3600_000],
  ['7d', 'last 7 days', 7 * 24 * 3600_000],
];

/** `since` is a window name from the menu or an ISO-8601 time. */
export function sinceMs(value: string | undefined, now: number): number | undefined {
  if (!value) return undefined;
  const window = SINCE.find(([k]) => k === value);
  if (window) return now - window[2];
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw invalid([{ path: '/since', message: 'must be 15m, 1h, 24h, 7d or an ISO-8601 time' }]);
  return ms;
}

type Query = { status?: string; endpoint_id?: string; message_id?: string; event?: string; since?: string; cursor?: string };

function filters(q: Query, names: Map<string, string>): Html {
  const opt = (value: string, label: string, current: string | undefined) => html`<option value="${value}"${value === (current ?? '') ? html` selected` : ''}>${label}</option>`;
  return html`<form class="filters" method="get" action="/deliveries">
  <label>Status <select name="status">${opt('', 'any', q.status)}${DELIVERY_STATUSES.map((s) => opt(s, s, q.status))}</select></label>
  <label>Endpoint <select name="endpoint_id">${opt('', 'any', q.endpoint_id)}${[...names].map(([id, name]) => opt(id, name, q.endpoint_id))}</select></label>
  <label>Event <input name="event" value="${q.event ?? ''}" placeholder="ONDEMAND_ENROLLMENT/*"></label>
  <label>Since <select name="since">${opt('', 'any time', q.since)}${SINCE.map(([k, label]) => opt(k, label, q.since))}${
    q.since && !SINCE.some(([k]) => k === q.since) ? opt(q.since, q.since, q.since) : ''
  }</select></label>
  ${q.message_id ? html`<input type="hidden" name="message_id" value="${q.message_id}"><span class="muted">message ${q.message_id}</span>` : ''}
  <button type="submit">Filter</button>
</form>`;
}

/** Headers one a line, as they went over the wire; the stored ones are already masked and cut short. */
function headerLines(headers: Record<string, string> | null | undefined, cls: string): Html {
  if (!headers) return html``;
  return html`<pre class="${cls}">${Object.entries(headers).map(([k, v]) => `${k}: ${v}\n`).join('')}</pre>`;
}

export function attemptView(a: any): Html {
  const req = (a.request ?? {}) as { method?: string; url?: string; headers?: Record<string, string>; body?: string | null };
  return html`<div class="card attempt">
  <h2>Attempt ${a.attempt} · ${time(a.at)} · ${a.duration_ms} ms · ${a.status_code ?? html`<span class="error">${a.error_class ?? 'error'}</span>`}</h2>
  ${a.error ? html`<p class="error">${a.error}</p>` : ''}
  <div class="split">
    <div><h3>Request</h3><p><code>${req.method ?? 'POST'} ${req.url ?? ''}</code></p>
      ${headerLines(req.headers, 'request-headers')}
      <pre>${prettyJson(req.body ?? '')}</pre></div>
    <div><h3>Response</h3><p>${a.status_code === null ? 'no response' : html`status <strong>${a.status_code}</strong>`}</p>
      ${headerLines(a.response_headers, 'response-headers')}
      <pre>${prettyJson(a.response_body ?? '')}</pre></div>
  </div>
</div>`;
}

export function deliveryPages(app: App, env: ConsoleEnv): void {
  const { ctx } = env;
  app.get('/deliveries', { schema: { hide: true } }, async (req, reply) => {
    const q = req.query as Query;
    const status = DELIVERY_STATUSES.includes(q.status as never) ? q.status : undefined;
    const since = sinceMs(q.since, ctx.now());
    const [list, names] = await Promise.all([
      listDeliveries(ctx, {
        limit: 50,
        ...(status ? { status } : {}),
        ...(q.endpoint_id ? { endpoint_id: q.endpoint_id } : {}),
        ...(q.message_id ? { message_id: q.message_id } : {}),
        ...(q.event?.trim() ? { event: q.event.trim() } : {}),
        // Created since, as the re-queue button below acts on deliveries created in the window.
        ...(since !== undefined ? { createdSinceMs: since } : {}),
        ...(q.cursor ? { cursor: q.cursor } : {}),
      }),
      endpointNames(ctx),
    ]);
    const body = html`${filters(q, names)}
${
  q.endpoint_id && status === 'failed' && list.data.length
    ? html`<form method="post" action="/endpoints/${q.endpoint_id}/recover" class="actions"><input type="hidden" name="since" value="${new Date(since ?? 0).toISOString()}"><button class="secondary">Re-queue all failed deliveries of this endpoint${since ? ' in this window' : ''}</button></form>`
    : ''
}
<table id="deliveries" class="log"><thead><tr><th>Delivery</th><th>Event</th><th>Endpoint</th><th>Status</th><th class="num">Attempts</th><th>Last answer</th><th>Created</th><th></th></tr></thead><tbody>
${list.data.length === 0 ? html`<tr><td colspan="8" class="muted">No deliveries match.</td></tr>` : ''}
${list.data.map(
  (d) => html`<tr data-delivery="${d.id}" data-status="${d.status}">
  <td>${shortId(d.id, `/deliveries/${d.id}`)}</td>
  <td>${d.event}</td>
  <td class="clip"><a href="/endpoints/${d.endpoint_id}" title="${names.get(d.endpoint_id) ?? d.endpoint_id}">${names.get(d.endpoint_id) ?? d.endpoint_id}</a></td>
  <td>${badge(d.status)}</td>
  <td class="num">${d.attempt_count}</td>
  <td class="clip" title="${d.last_error ?? ''}">${d.last_status_code ?? ''} <span class="muted">${d.last_error ?? ''}</span></td>
  <td>${time(d.created_at)}</td>
  <td>${d.status === 'failed' || d.status === 'retrying' ? html`<form method="post" action="/deliveries/${d.id}/retry" class="inline"><button class="secondary">Retry</button></form>` : ''}</td>
</tr>`,
)}</tbody></table>
${list.next_cursor ? html`<p><a href="/deliveries${qs({ ...q, cursor: list.next_cursor })}">Older →</a></p>` : ''}`;
    return sendHtml(reply, page('Deliveries', '/deliveries', body));
  });

  app.get('/deliveries/:id', { schema: { hide: true } }, async (req, reply) => {
    const d = await getDelivery(ctx, (req.params as { id: string }).id);
    const names = await endpointNames(ctx);
    const retried = (req.query as { done?: string }).done === 'retried';
    const body = html`${retried ? html`<p class="notice">Queued for another attempt now.</p>` : ''}
<div class="card">
  <dl class="props">
    <dt>Status</dt><dd id="delivery-status">${badge(d.status)}</dd>
    <dt>Event</dt><dd>${d.event}</dd>
    <dt>Message</dt><dd><code>${d.message_id}</code></dd>
    <dt>Endpoint</dt><dd><a href="/endpoints/${d.endpoint_id}">${names.get(d.endpoint_id) ?? d.endpoint_id}</a></dd>
    <dt>Created</dt><dd>${time(d.created_at)}</dd>
    <dt>Next attempt</dt><dd>${time(d.next_attempt_at)}</dd>
    <dt>Last error</dt><dd>${d.last_error ?? '—'}</dd>
  </dl>
  <div class="actions"><form method="post" action="/deliveries/${d.id}/retry" class="inline"><button>Retry now</button></form></div>
</div>
${d.attempts.length === 0 ? html`<p class="muted">No attempts yet.</p>` : [...d.attempts].reverse().map(attemptView)}`;
    return sendHtml(reply, page(`Delivery ${d.id}`, '/deliveries', body));
  });

  app.post('/deliveries/:id/retry', { schema: { hide: true } }, async (req, reply) => {
    const d = await retryDelivery(ctx, (req.params as { id: string }).id);
    return reply.redirect(`/deliveries/${encodeURIComponent(d.id)}?done=retried`, 303);
  });
}
