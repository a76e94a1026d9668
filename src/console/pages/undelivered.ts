import type { App } from '../../api/server.js';
import { invalid } from '../../errors.js';
import { getEndpointRow } from '../../services/endpoints.js';
import { endpointNames } from '../../services/operator-views.js';
import { listMessages, MAX_RECOVER_MESSAGES, recoverMessages } from '../../services/undelivered.js';
import { badge, shortId, time } from '../format.js';
import { html, qs } from '../html.js';
import { page } from '../layout.js';
import { sendHtml, type ConsoleEnv } from '../plugin.js';
import { sinceMs } from './deliveries.js';

const SINCE: Array<[string, string]> = [
  ['15m', 'last 15 minutes'],
  ['1h', 'last hour'],
  ['24h', 'last 24 hours'],
  ['7d', 'last 7 days'],
];

type Query = { endpoint_id?: string; event?: string; since?: string; cursor?: string; done?: string; n?: string };

/**
 * "What never arrived": messages with a delivery that failed, was skipped or is still retrying, each with why;
 * with an endpoint chosen, the page's messages can be re-queued to it in one go.
 */
export function undeliveredPages(app: App, env: ConsoleEnv): void {
  const { ctx } = env;
  app.get('/undelivered', { schema: { hide: true } }, async (req, reply) => {
    const q = req.query as Query;
    const since = sinceMs(q.since, ctx.now());
    const [list, names] = await Promise.all([
      listMessages(ctx, {
        undelivered: true,
        limit: 50,
        ...(q.endpoint_id ? { endpoint_id: q.endpoint_id } : {}),
        ...(q.event ? { event: q.event } : {}),
        ...(since !== undefined ? { sinceMs: since } : {}),
        ...(q.cursor ? { cursor: q.cursor } : {}),
      }),
      endpointNames(ctx),
    ]);
    const opt = (v: string, label: string, cur: string | undefined) => html`<option value="${v}"${v === (cur ?? '') ? html` selected` : ''}>${label}</option>`;
    const rows = list.data.flatMap((m) => m.deliveries.map((d) => ({ m, d })));
    const body = html`<p class="muted">Messages with at least one delivery that has not arrived: failed for good, skipped, or still retrying after a failed attempt. Newest first.</p>
${q.done === 'recovered' ? html`<p class="notice">Re-queued ${Number(q.n) || 0} deliveries.</p>` : ''}
<form class="filters" method="get" action="/undelivered">
  <label>Endpoint <select name="endpoint_id">${opt('', 'any', q.endpoint_id)}${[...names].map(([id, n]) => opt(id, n, q.endpoint_id))}</select></label>
  <label>Event <input name="event" value="${q.event ?? ''}" placeholder="ONDEMAND_ENROLLMENT/*"></label>
  <label>Since <select name="since">${opt('', 'any time', q.since)}${SINCE.map(([k, label]) => opt(k, label, q.since))}</select></label>
  <button type="submit">Filter</button>
</form>
<table><thead><tr><th>Message</th><th>Event</th><th>Published</th><th>Endpoint</th><th>Status</th><th>Tries</th><th>Why</th></tr></thead><tbody>
${rows.length === 0 ? html`<tr><td colspan="7" class="muted">Everything arrived.</td></tr>` : ''}
${rows.map(
  ({ m, d }) => html`<tr>
  <td>${shortId(m.id, `/deliveries?message_id=${encodeURIComponent(m.id)}`)}</td>
  <td><code>${m.event}</code></td>
  <td>${time(m.created_at)}</td>
  <td><a href="/endpoints/${d.endpoint_id}">${d.endpoint_name ?? d.endpoint_id}</a></td>
  <td>${badge(d.status)}</td>
  <td>${d.attempt_count}</td>
  <td class="error">${d.why}</td>
</tr>`,
)}</tbody></table>
${
  q.endpoint_id && list.data.length > 0
    ? html`<form method="post" action="/undelivered/recover" class="actions">
  <input type="hidden" name="endpoint_id" value="${q.endpoint_id}">
  <input type="hidden" name="message_ids" value="${list.data.map((m) => m.id).join(',')}">
  <button class="secondary">Re-queue these ${list.data.length} messages to ${names.get(q.endpoint_id) ?? q.endpoint_id}</button>
</form>`
    : list.data.length > 0
      ? html`<p class="muted">Choose an endpoint to re-queue what it did not receive.</p>`
      : ''
}
${list.next_cursor ? html`<p><a href="/undelivered${qs({ endpoint_id: q.endpoint_id, event: q.event, since: q.since, cursor: list.next_cursor })}">Older →</a></p>` : ''}`;
    return sendHtml(reply, page('Undelivered', '/undelivered', body));
  });

  app.post('/undelivered/recover', { schema: { hide: true } }, async (req, reply) => {
    const form = (req.body ?? {}) as { endpoint_id?: string; message_ids?: string };
    const endpointId = typeof form.endpoint_id === 'string' ? form.endpoint_id : '';
    const ids = typeof form.message_ids === 'string' ? form.message_ids.split(',').filter(Boolean) : [];
    if (!endpointId) throw invalid([{ path: '/endpoint_id', message: 'choose the endpoint to re-queue to' }]);
    if (ids.length === 0 || ids.length > MAX_RECOVER_MESSAGES) throw invalid([{ path: '/message_ids', message: `must name between 1 and ${MAX_RECOVER_MESSAGES} messages` }]);
    await getEndpointRow(ctx, endpointId);
    const n = await recoverMessages(ctx, endpointId, ids);
    return reply.redirect(`/undelivered${qs({ endpoint_id: endpointId, done: 'recovered', n: String(n) })}`, 303);
  });
}
