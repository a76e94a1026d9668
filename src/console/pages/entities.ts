import type { App } from '../../api/server.js';
import { readEntity, recentEntities, type EntityView } from '../../services/operator-views.js';
import { badge, time } from '../format.js';
import { html, safeHref, type Html } from '../html.js';
import { page } from '../layout.js';
import { sendHtml, type ConsoleEnv } from '../plugin.js';
import { stringifyExact } from '../../util/lossless-json.js';

const INTERFACE_LABEL: Record<string, string> = { TERMINAL: 'Terminal', WEB_INTERFACE: 'Web interface', REMOTE_DESKTOP: 'Remote desktop' };
/** How often an open entity page re-reads the state, besides being woken by a local change. */
const POLL_MS = 1000;
const HEARTBEAT_MS = 15_000;

export function entityPanel(e: EntityView): Html {
  if (e.resources.length === 0 && e.interfaces.length === 0) {
    return html`<p class="muted">No state reported for this entity yet. It appears when the backend calls back on <code>/v1/incoming</code>.</p>`;
  }
  const nameOf = new Map(e.resources.map((r) => [r.id, r.name ?? r.id]));
  return html`<h2>Resources</h2>
<table class="resources"><thead><tr><th>Resource</th><th>Type</th><th>Status</th><th>Config</th><th>Updated</th></tr></thead><tbody>
${e.resources.map(
  (r) => html`<tr data-resource="${r.id}" data-status="${r.status ?? ''}">
  <td><strong>${r.name ?? r.id}</strong><div class="muted"><code>${r.id}</code></div></td>
  <td>${r.type}</td>
  <td>${badge(r.status ?? 'unknown')}</td>
  <td>${Object.entries(r.config).map(([k, v]) => html`<div><span class="muted">${k}:</span> ${typeof v === 'string' ? v : stringifyExact(v)}</div>`)}</td>
  <td>${time(r.updated_at)}</td>
</tr>`,
)}</tbody></table>
<h2>Interfaces</h2>
${
  e.interfaces.length === 0
    ? html`<p class="muted">No interfaces yet.</p>`
    : html`<table class="interfaces"><thead><tr><th>Interface</th><th>On</th><th>Open</th></tr></thead><tbody>
${e.interfaces.map((i) => {
  const href = safeHref(i.config.url);
  return html`<tr data-interface="${i.type}">
  <td>${INTERFACE_LABEL[i.type] ?? i.type}${i.name ? html` <span class="muted">${i.name}</span>` : ''}</td>
  <td>${nameOf.get(i.resource_id) ?? i.resource_id}</td>
  <td>${href ? html`<a class="open" href="${href}" target="_blank" rel="noopener noreferrer">Open ${INTERFACE_LABEL[i.type] ?? i.type}</a>` : html`<span class="muted">no URL</span>`}</td>
</tr>`;
})}</tbody></table>`
}`;
}

/** Server-Sent Events frame: each line of the fragment is its own `data:` line. */
function frame(event: string, body: string): string {
  return `event: ${event}\n${body.split('\n').map((l) => `data: ${l}`).join('\n')}\n\n`;
}

export function entityPages(app: App, env: ConsoleEnv): void {
  const { ctx } = env;
  app.get('/entities', { schema: { hide: true } }, async (req, reply) => {
    const go = (req.query as { id?: string }).id?.trim();
    if (go) return reply.redirect(`/entities/${encodeURIComponent(go)}`, 303);
    const list = await recentEntities(ctx);
    const body = html`<form class="filters" method="get" action="/entities"><label>Entity id <input name="id" placeholder="enrollment id"></label><button>Open</button></form>
<table><thead><tr><th>Entity</th><th class="num">Resources</th><th>Last change</th></tr></thead><tbody>
${list.length === 0 ? html`<tr><td colspan="3" class="muted">No entity has reported state yet.</td></tr>` : ''}
${list.map((e) => html`<tr><td><a href="/entities/${e.id}">${e.id}</a></td><td class="num">${e.resources}</td><td>${time(e.updated_at)}</td></tr>`)}
</tbody></table>`;
    return sendHtml(reply, page('Entities', '/entities', body));
  });

  app.get('/entities/:id', { schema: { hide: true } }, async (req, reply) => {
    const id = (req.params as { id: string }).id;
    const state = await readEntity(ctx, id);
    const body = html`<p><span class="live" data-live>connecting…</span></p>
<div id="entity" data-entity-stream="/entities/${encodeURIComponent(id)}/events">${entityPanel(state)}</div>`;
    return sendHtml(reply, page(`Entity ${id}`, '/entities', body, { scripts: ['/assets/entity.js'] }));
  });

  // The page's live feed, authenticated by the console cookie, so the admin token never reaches page scripts.
  // It re-renders on a local `entity` event and polls too, because the change may have been applied by another
  // Herald process sharing the database.
  app.get('/entities/:id/events', { schema: { hide: true } }, async (req, reply) => {
    const id = (req.params as { id: string }).id;
    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', connection: 'keep-alive', 'x-accel-buffering': 'no' });
    let last = '';
    let closed = false;
    let busy = false;
    const push = async () => {
      if (closed || busy) return;
      busy = true;
      try {
        const body = entityPanel(await readEntity(ctx, id)).value;
        if (body !== last && !closed) {
          last = body;
          res.write(frame('state', body));
        }
      } catch (e) {
        req.log.warn({ err: e, entity: id }, 'entity stream: could not read state');
      } finally {
        busy = false;
      }
    };
    const onEntity = (e: unknown) => {
      const changed = typeof e === 'string' ? e : ((e as { entity_id?: string; entityId?: string; id?: string } | null)?.entity_id ?? (e as any)?.entityId ?? (e as any)?.id);
      if (changed === undefined || changed === id) void push();
    };
    const poll = setInterval(() => void push(), POLL_MS);
    const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), HEARTBEAT_MS);
    const stream = {
      end() {
        if (closed) return;
        closed = true;
        clearInterval(poll);
        clearInterval(heartbeat);
        ctx.events.off('entity', onEntity);
        env.streams.delete(stream);
        res.end();
      },
    };
    env.streams.add(stream);
    ctx.events.on('entity', onEntity);
    req.raw.on('close', () => stream.end());
    res.write('retry: 2000\n\n');
    await push();
  });
}
