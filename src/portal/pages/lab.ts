import type { App } from '../../api/server.js';
import { prettyJson, shortId, time } from '../../console/format.js';
import { html } from '../../console/html.js';
import { getEntity } from '../../services/entities.js';
import { listIncoming } from '../../services/incoming.js';
import { listVisibleEntities } from '../../services/tenant-entities.js';
import { portalPage } from '../layout.js';
import { sendPage, type PortalEnv } from '../plugin.js';

/** The lab state the tenant's backends reported: their entities and the incoming log of their endpoints. */
export function labPages(app: App, env: PortalEnv): void {
  const { ctx } = env;

  app.get('/portal/lab', { schema: { hide: true } }, async (req, reply) => {
    const s = env.session(req);
    const [entities, incoming] = await Promise.all([listVisibleEntities(ctx, s.principal, 100), listIncoming(ctx, { limit: 50 }, s.principal)]);
    const body = html`<h2>Entities</h2>
<table id="entities"><thead><tr><th>Entity</th><th class="num">Resources</th><th>Updated</th></tr></thead><tbody>
${entities.length === 0 ? html`<tr><td colspan="3" class="muted">Your backends have not reported any lab state yet.</td></tr>` : ''}
${entities.map((e) => html`<tr data-entity="${e.id}"><td><a href="/portal/lab/entities/${encodeURIComponent(e.id)}">${e.id}</a></td><td class="num">${e.resources}</td><td>${time(Number(e.updated_at) || e.updated_at)}</td></tr>`)}
</tbody></table>
<h2>Incoming log</h2>
<table id="incoming" class="log"><thead><tr><th>Id</th><th>Endpoint</th><th>Message</th><th>Action</th><th>Outcome</th><th>Received</th></tr></thead><tbody>
${incoming.data.length === 0 ? html`<tr><td colspan="6" class="muted">Nothing received from your backends yet.</td></tr>` : ''}
${incoming.data.map(
  (i) => html`<tr data-incoming="${i.id}"><td>${shortId(i.id)}</td><td><a href="/portal/endpoints/${i.endpoint_id ?? ''}">${i.endpoint_id ?? '—'}</a></td><td><code>${i.source_message_id ?? '—'}</code></td><td>${i.action ?? '—'}</td><td>${i.outcome}${i.status_code ? ` (${i.status_code})` : ''}</td><td>${time(i.created_at)}</td></tr>`,
)}
</tbody></table>`;
    return sendPage(reply, portalPage(s, 'Lab state', '/portal/lab', body));
  });

  app.get('/portal/lab/entities/:id', { schema: { hide: true } }, async (req, reply) => {
    const s = env.session(req);
    const e = await getEntity(ctx, (req.params as { id: string }).id, s.principal);
    const body = html`<p class="muted">Updated ${time(e.updated_at)}</p>
<h2>Resources</h2>
<table id="resources"><thead><tr><th>Id</th><th>Type</th><th>Name</th><th>Status</th><th>Config</th></tr></thead><tbody>
${e.resources.map((r) => html`<tr><td><code>${r.id}</code></td><td>${r.type}</td><td>${r.name}</td><td>${r.status}</td><td><pre>${prettyJson(JSON.stringify(r.config ?? null))}</pre></td></tr>`)}
</tbody></table>
<h2>Interfaces</h2>
<table><thead><tr><th>Type</th><th>Resource</th><th>Name</th><th>Config</th></tr></thead><tbody>
${e.interfaces.length === 0 ? html`<tr><td colspan="4" class="muted">None.</td></tr>` : ''}
${e.interfaces.map((i) => html`<tr><td>${i.type}</td><td><code>${i.resource_id}</code></td><td>${i.name}</td><td><pre>${prettyJson(JSON.stringify(i.config ?? null))}</pre></td></tr>`)}
</tbody></table>`;
    return sendPage(reply, portalPage(s, `Entity ${e.id}`, '/portal/lab', body));
  });
}
