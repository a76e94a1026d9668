import type { App } from '../../api/server.js';
import { attemptView } from '../../console/pages/deliveries.js';
import { badge, shortId, time } from '../../console/format.js';
import { html, qs } from '../../console/html.js';
import { DELIVERY_STATUSES, getDelivery, listDeliveries, retryDelivery } from '../../services/deliveries.js';
import { listEndpoints } from '../../services/endpoints.js';
import { actionForm, portalPage } from '../layout.js';
import { sendPage, type PortalEnv } from '../plugin.js';

type Query = { status?: string; endpoint_id?: string; cursor?: string };

export function deliveryPages(app: App, env: PortalEnv): void {
  const { ctx } = env;

  app.get('/portal/deliveries', { schema: { hide: true } }, async (req, reply) => {
    const s = env.session(req);
    const q = req.query as Query;
    const status = DELIVERY_STATUSES.includes(q.status as never) ? q.status : undefined;
    const [list, endpoints] = await Promise.all([
      listDeliveries(
        ctx,
        { limit: 50, ...(status ? { status } : {}), ...(q.endpoint_id ? { endpoint_id: q.endpoint_id } : {}), ...(q.cursor ? { cursor: q.cursor } : {}) },
        s.principal,
      ),
      listEndpoints(ctx, { limit: 500 }, s.principal),
    ]);
    const names = new Map(endpoints.data.map((e) => [e.id, e.name]));
    const opt = (value: string, label: string, current: string | undefined) => html`<option value="${value}"${value === (current ?? '') ? html` selected` : ''}>${label}</option>`;
    const body = html`<form class="filters" method="get" action="/portal/deliveries">
  <label>Status <select name="status">${opt('', 'any', q.status)}${DELIVERY_STATUSES.map((x) => opt(x, x, q.status))}</select></label>
  <label>Endpoint <select name="endpoint_id">${opt('', 'any', q.endpoint_id)}${[...names].map(([id, name]) => opt(id, name, q.endpoint_id))}</select></label>
  <button type="submit">Filter</button>
</form>
<table id="deliveries" class="log"><thead><tr><th>Delivery</th><th>Event</th><th>Endpoint</th><th>Status</th><th class="num">Attempts</th><th>Last answer</th><th>Created</th><th></th></tr></thead><tbody>
${list.data.length === 0 ? html`<tr><td colspan="8" class="muted">No deliveries match.</td></tr>` : ''}
${list.data.map(
  (d) => html`<tr data-delivery="${d.id}" data-status="${d.status}">
  <td>${shortId(d.id, `/portal/deliveries/${d.id}`)}</td>
  <td>${d.event}</td>
  <td class="clip"><a href="/portal/endpoints/${d.endpoint_id}">${names.get(d.endpoint_id) ?? d.endpoint_id}</a></td>
  <td>${badge(d.status)}</td>
  <td class="num">${d.attempt_count}</td>
  <td class="clip">${d.last_status_code ?? ''} <span class="muted">${d.last_error ?? ''}</span></td>
  <td>${time(d.created_at)}</td>
  <td>${d.status === 'failed' || d.status === 'retrying' ? actionForm(s, `/portal/deliveries/${d.id}/retry`, 'Retry') : ''}</td>
</tr>`,
)}</tbody></table>
${list.next_cursor ? html`<p><a href="/portal/deliveries${qs({ ...q, cursor: list.next_cursor })}">Older →</a></p>` : ''}`;
    return sendPage(reply, portalPage(s, 'Deliveries', '/portal/deliveries', body));
  });

  app.get('/portal/deliveries/:id', { schema: { hide: true } }, async (req, reply) => {
    const s = env.session(req);
    const d = await getDelivery(ctx, (req.params as { id: string }).id, s.principal);
    const done = (req.query as { done?: string }).done;
    const notice = done === 'retried' ? 'Queued for another attempt now.' : done === 'test' ? 'Test event sent to this endpoint only; its attempts show below.' : null;
    const body = html`${notice ? html`<p class="notice">${notice}</p>` : ''}
<div class="card">
  <dl class="props">
    <dt>Status</dt><dd id="delivery-status">${badge(d.status)}</dd>
    <dt>Event</dt><dd>${d.event}</dd>
    <dt>Message</dt><dd><code>${d.message_id}</code></dd>
    <dt>Endpoint</dt><dd><a href="/portal/endpoints/${d.endpoint_id}">${d.endpoint_id}</a></dd>
    <dt>Created</dt><dd>${time(d.created_at)}</dd>
    <dt>Next attempt</dt><dd>${time(d.next_attempt_at)}</dd>
    <dt>Last error</dt><dd>${d.last_error ?? '—'}</dd>
  </dl>
  <div class="actions">${actionForm(s, `/portal/deliveries/${d.id}/retry`, 'Retry now', { cls: '' })}</div>
</div>
<div id="attempts">${d.attempts.length === 0 ? html`<p class="muted">No attempts yet: reload in a moment.</p>` : [...d.attempts].reverse().map(attemptView)}</div>`;
    return sendPage(reply, portalPage(s, `Delivery ${d.id}`, '/portal/deliveries', body));
  });

  app.post('/portal/deliveries/:id/retry', { schema: { hide: true } }, async (req, reply) => {
    const d = await retryDelivery(ctx, (req.params as { id: string }).id, env.session(req).principal);
    return reply.redirect(`/portal/deliveries/${encodeURIComponent(d.id)}?done=retried`, 303);
  });
}
