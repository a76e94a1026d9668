import type { App } from '../../api/server.js';
import { endpointNames, listIncoming } from '../../services/operator-views.js';
import { badge, prettyJson, time } from '../format.js';
import { html, qs } from '../html.js';
import { page } from '../layout.js';
import { sendHtml, type ConsoleEnv } from '../plugin.js';

const OUTCOMES = ['applied', 'unchanged', 'refused'];

export function incomingPages(app: App, env: ConsoleEnv): void {
  app.get('/incoming', { schema: { hide: true } }, async (req, reply) => {
    const q = req.query as { outcome?: string; endpoint_id?: string; cursor?: string };
    const outcome = OUTCOMES.includes(q.outcome ?? '') ? q.outcome : undefined;
    const [list, names] = await Promise.all([
      listIncoming(env.ctx, { limit: 50, ...(outcome ? { outcome } : {}), ...(q.endpoint_id ? { endpoint_id: q.endpoint_id } : {}), ...(q.cursor ? { cursor: q.cursor } : {}) }),
      endpointNames(env.ctx),
    ]);
    const opt = (v: string, label: string, cur: string | undefined) => html`<option value="${v}"${v === (cur ?? '') ? html` selected` : ''}>${label}</option>`;
    const body = html`<p class="muted">Callbacks your endpoints sent to <code>${env.ctx.config.publicUrl}/v1/incoming</code>, newest first.</p>
<form class="filters" method="get" action="/incoming">
  <label>Result <select name="outcome">${opt('', 'any', outcome)}${OUTCOMES.map((o) => opt(o, o, outcome))}</select></label>
  <label>Endpoint <select name="endpoint_id">${opt('', 'any', q.endpoint_id)}${[...names].map(([id, n]) => opt(id, n, q.endpoint_id))}</select></label>
  <button type="submit">Filter</button>
</form>
<table><thead><tr><th>Received</th><th>Endpoint</th><th>Correlates to</th><th>Action</th><th>Result</th><th>Message</th></tr></thead><tbody>
${list.data.length === 0 ? html`<tr><td colspan="6" class="muted">Nothing received yet.</td></tr>` : ''}
${list.data.map(
  (r) => html`<tr>
  <td>${time(Number(r.created_at))}</td>
  <td>${r.endpoint_id ? html`<a href="/endpoints/${r.endpoint_id}">${names.get(r.endpoint_id) ?? r.endpoint_id}</a>` : html`<span class="muted">unauthenticated</span>`}</td>
  <td>${r.source_message_id ? html`<a href="/deliveries?message_id=${r.source_message_id}"><code>${r.source_message_id}</code></a>` : '—'}</td>
  <td>${r.action ?? '—'}</td>
  <td>${badge(r.outcome)} <span class="muted">${r.status_code}</span>${r.error ? html`<div class="error">${r.error}</div>` : ''}</td>
  <td><details><summary>body</summary><pre>${prettyJson(r.body)}</pre></details></td>
</tr>`,
)}</tbody></table>
${list.next_cursor ? html`<p><a href="/incoming${qs({ ...q, cursor: list.next_cursor })}">Older →</a></p>` : ''}`;
    return sendHtml(reply, page('Incoming', '/incoming', body));
  });
}
