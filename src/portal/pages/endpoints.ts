import type { App } from '../../api/server.js';
import { eventKey } from '../../catalog/event-key.js';
import { createInput, parseBody, parseHeaders } from '../../console/pages/endpoints.js';
import { badge, collapsedList, shortId, time } from '../../console/format.js';
import { html, type Html } from '../../console/html.js';
import { invalid, type Problem } from '../../errors.js';
import { listDeliveries } from '../../services/deliveries.js';
import { endpointJson } from '../../services/endpoint-view.js';
import {
  createEndpoint,
  deleteEndpoint,
  getEndpointRow,
  listEndpoints,
  recoverEndpoint,
  rotateSecret,
  setEndpointEnabled,
  updateEndpoint,
  type EndpointPatch,
} from '../../services/endpoints.js';
import { ownTenant, type Principal } from '../../services/principal.js';
import { previewRequest, sampleEventFor, type SampleEvent } from '../../services/sample-event.js';
import { createSubscription, deleteSubscription, getSubscription, listSubscriptions } from '../../services/subscriptions.js';
import { sendTestEvent } from '../../services/test-event.js';
import { stringifyExact } from '../../util/lossless-json.js';
import type { PortalSession } from '../../services/portal-sessions.js';
import { actionForm, csrfField, portalPage, submitButton } from '../layout.js';
import { field, fields, sendPage, type Form, type PortalEnv } from '../plugin.js';

const FORMATS = ['strigo', 'cloudpods', 'standard'] as const;

/** A posted form as the console's text-only form (a repeated field keeps its first value). */
function flat(form: Form): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of Object.keys(form)) out[k] = field(form, k) ?? '';
  return out;
}

function createForm(s: PortalSession): Html {
  return html`<form class="stack card" method="post" action="/portal/endpoints" id="create-endpoint">
  <h2>New endpoint</h2>
  ${csrfField(s)}
  <label>Name <input name="name" required maxlength="200" placeholder="Labs backend"></label>
  <label>URL <input name="url" required maxlength="2048" placeholder="https://backend.example.com/herald"></label>
  <label>Format <select name="format">${FORMATS.map((f) => html`<option value="${f}">${f}</option>`)}</select></label>
  <div class="split">
    <label><span>Auth user (strigo only; sent as <code>Bearer user:key</code>)</span> <input name="auth_user" autocomplete="off"></label>
    <label>Auth key (strigo only) <input name="auth_key" type="password" autocomplete="new-password"></label>
  </div>
  <label>Signing secret (blank: generated for strigo and standard) <input name="secret" autocomplete="off"></label>
  <label>Extra headers (JSON) <textarea name="headers" placeholder='{"X-Team": "labs"}'></textarea></label>
  <label>Language (cloudpods only) <select name="lang"><option value="en">en</option><option value="cn">cn</option></select></label>
  <label class="check"><input type="checkbox" name="validate" value="1" checked> Send the validation call first (cloudpods only)</label>
  ${submitButton(s, 'Create endpoint')}
</form>`;
}

async function listPage(env: PortalEnv, s: PortalSession): Promise<Html> {
  const { data } = await listEndpoints(env.ctx, { limit: 500 }, s.principal);
  return html`<table id="endpoints">
<thead><tr><th>Name</th><th>Format</th><th>State</th></tr></thead>
<tbody>
${data.length === 0 ? html`<tr><td colspan="3" class="muted">No endpoints yet${s.readOnly ? '' : ': create one below'}.</td></tr>` : ''}
${data.map(
  (e) => html`<tr data-endpoint="${e.id}">
  <td class="clip"><a href="/portal/endpoints/${e.id}">${e.name}</a><div class="muted" title="${e.url}">${e.url}</div></td>
  <td>${e.format}</td>
  <td>${e.enabled ? (e.failing_since ? html`<span class="badge wait">failing</span>` : badge('enabled')) : badge('disabled')}</td>
</tr>`,
)}
</tbody></table>
${s.readOnly ? '' : createForm(s)}`;
}

/** Every event of the catalog as a pattern to pick: each type as a whole, and each of its actions. */
function eventOptions(env: PortalEnv, selected: string | null): Html {
  const is = (value: string) => (selected !== null && value.toUpperCase() === selected.toUpperCase() ? html` selected` : '');
  return html`${env.catalog.entries().map(
    (e) => html`<optgroup label="${e.type} (${e.catalog})">
  <option value="${e.type}/*"${is(`${e.type}/*`)}>${e.type}/* (every action)</option>
  ${e.actions.map((a) => html`<option value="${e.type}/${a}"${is(`${e.type}/${a}`)}>${e.type}/${a}</option>`)}
</optgroup>`,
  )}`;
}

/** What the receiver gets for the example event: the request as the sender renders it, headers and body. */
function example(env: PortalEnv, row: Parameters<typeof previewRequest>[1], ev: SampleEvent, chosen: string | null): Html {
  const r = previewRequest(env.ctx, row, ev);
  return html`<div class="card" id="example">
  <h2>What your receiver gets</h2>
  <form method="get" action="/portal/endpoints/${row.id}#example" class="filters">
    <label>Event <select name="example">${eventOptions(env, chosen ?? eventKey(ev))}</select></label>
    <button type="submit" class="secondary">Show</button>
  </form>
  <p class="muted">For a sample <code id="example-event">${eventKey(ev)}</code> event, in this endpoint's <strong>${row.format}</strong> format:</p>
  ${
    r.ok
      ? html`<pre id="example-request">POST ${r.url}\n${Object.entries(r.headers).map(([k, v]) => `${k}: ${v}\n`).join('')}\n${r.body}</pre>`
      : html`<p class="error">This event cannot be rendered for this endpoint: ${r.error}</p>`
  }
</div>`;
}

/** `TYPE/ACTION` (or `TYPE/*`, which shows its first action) as a sample event. */
function chosenEvent(env: PortalEnv, chosen: string | undefined, patterns: string[], format: string): SampleEvent {
  return sampleEventFor(chosen ? [chosen, ...patterns] : patterns, env.catalog.entries(), format);
}

async function detail(env: PortalEnv, s: PortalSession, id: string, chosen: string | undefined, notice: Html | null): Promise<Html> {
  const p = s.principal;
  const row = await getEndpointRow(env.ctx, id, p);
  const ep = endpointJson(row, env.ctx.config.publicUrl, env.ctx.secrets);
  const subs = await listSubscriptions(env.ctx, { endpoint_id: id, limit: 100 }, p);
  const recent = await listDeliveries(env.ctx, { endpoint_id: id, limit: 10 }, p);
  const patterns = subs.data.flatMap((x) => x.events);
  const dayAgo = new Date(env.ctx.now() - 24 * 3600_000).toISOString();
  return html`${notice ?? ''}
<div class="split">
<div class="card">
  <h2>Endpoint</h2>
  <dl class="props">
    <dt>Id</dt><dd><code>${ep.id}</code></dd>
    <dt>URL</dt><dd>${ep.url}</dd>
    <dt>Format</dt><dd>${ep.format}</dd>
    <dt>State</dt><dd id="endpoint-state">${ep.enabled ? badge('enabled') : html`${badge('disabled')} ${ep.disabled_reason ?? ''}`}</dd>
    <dt>Signing secret</dt><dd>${ep.has_secret ? 'set' : 'none'}</dd>
    <dt>Callback</dt><dd><code>${ep.callback.url}</code> as <code>${ep.callback.user}</code></dd>
  </dl>
  <div class="actions">
    ${actionForm(s, `/portal/endpoints/${ep.id}/test`, 'Send a test event', { cls: '' })}
    ${actionForm(s, `/portal/endpoints/${ep.id}/${ep.enabled ? 'disable' : 'enable'}`, ep.enabled ? 'Disable' : 'Enable', { cls: ep.enabled ? 'danger' : 'secondary' })}
    ${actionForm(s, `/portal/endpoints/${ep.id}/rotate-secret`, 'Rotate secret')}
    ${actionForm(s, `/portal/endpoints/${ep.id}/delete`, 'Delete', { cls: 'danger' })}
  </div>
  ${actionForm(s, `/portal/endpoints/${ep.id}/recover`, 'Recover', {
    inline: false,
    fields: html`<label>Re-queue failed deliveries since <input name="since" value="${dayAgo}"></label>`,
  })}
</div>
<form class="card stack" method="post" action="/portal/endpoints/${ep.id}" id="edit-endpoint">
  <h2>Edit</h2>
  ${csrfField(s)}
  <label>Name <input name="name" value="${ep.name}" required></label>
  <label>URL <input name="url" value="${ep.url}" required></label>
  <label>Extra headers (JSON) <textarea name="headers">${JSON.stringify(ep.headers, null, 2)}</textarea></label>
  ${
    ep.format === 'cloudpods'
      ? html`<label>Language <select name="lang">${['en', 'cn'].map((l) => html`<option${l === ep.lang ? html` selected` : ''}>${l}</option>`)}</select></label>
  <label class="check"><input type="checkbox" name="validate" value="1" checked> Validate a new URL first</label>`
      : ''
  }
  ${submitButton(s, 'Save')}
</form>
</div>
<h2>Subscriptions</h2>
<table id="subscriptions"><thead><tr><th>Id</th><th>Events</th><th>Filter</th><th>State</th><th></th></tr></thead><tbody>
${subs.data.length === 0 ? html`<tr><td colspan="5" class="muted">Not subscribed to anything yet.</td></tr>` : ''}
${subs.data.map(
  (x) => html`<tr data-subscription="${x.id}"><td>${shortId(x.id)}</td><td>${collapsedList(x.events)}</td><td>${x.filter ? html`<code>${stringifyExact(x.filter)}</code>` : '—'}</td><td>${badge(x.enabled ? 'enabled' : 'disabled')}</td>
  <td>${actionForm(s, `/portal/subscriptions/${x.id}/delete`, 'Unsubscribe', { cls: 'danger' })}</td></tr>`,
)}
</tbody></table>
${
  s.readOnly
    ? ''
    : html`<form class="card stack" method="post" action="/portal/endpoints/${ep.id}/subscriptions" id="subscribe">
  <h2>Subscribe</h2>
  ${csrfField(s)}
  <input type="hidden" name="endpoint_id" value="${ep.id}">
  <label>Event types (pick one or more) <select name="events" multiple size="8" required>${eventOptions(env, null)}</select></label>
  <label><span>Filter (optional): deliver only events that match, e.g. <code>{"data.plan": "pro"}</code></span> <textarea name="filter" spellcheck="false"></textarea></label>
  ${submitButton(s, 'Subscribe')}
</form>`
}
${example(env, row, chosenEvent(env, chosen, patterns, row.format), chosen ?? null)}
<h2>Recent deliveries <a class="muted" href="/portal/deliveries?endpoint_id=${ep.id}">(all)</a></h2>
<table class="log"><thead><tr><th>Delivery</th><th>Event</th><th>Status</th><th class="num">Attempts</th><th>Last answer</th><th>Created</th></tr></thead><tbody>
${recent.data.length === 0 ? html`<tr><td colspan="6" class="muted">No deliveries yet.</td></tr>` : ''}
${recent.data.map(
  (d) => html`<tr data-delivery="${d.id}"><td>${shortId(d.id, `/portal/deliveries/${d.id}`)}</td><td>${d.event}</td><td>${badge(d.status)}</td><td class="num">${d.attempt_count}</td><td class="clip">${d.last_status_code ?? ''} <span class="muted">${d.last_error ?? ''}</span></td><td>${time(d.created_at)}</td></tr>`,
)}
</tbody></table>`;
}

/** A JSON object typed into a form field, or a problem naming the field. */
function jsonObject(text: string | undefined, path: string, problems: Problem[]): { text: string; value: Record<string, unknown> } | null {
  const t = (text ?? '').trim();
  if (!t) return null;
  try {
    const value: unknown = JSON.parse(t);
    if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new Error('must be a JSON object');
    return { text: t, value: value as Record<string, unknown> };
  } catch (e) {
    problems.push({ path, message: `is not a JSON object: ${(e as Error).message}` });
    return null;
  }
}

export function endpointPages(app: App, env: PortalEnv): void {
  const { ctx } = env;
  const id = (req: { params: unknown }) => (req.params as { id: string }).id;
  const back = (epId: string, done: string) => `/portal/endpoints/${encodeURIComponent(epId)}?done=${done}`;
  const principalOf = (req: Parameters<PortalEnv['session']>[0]): Principal => env.session(req).principal;

  app.get('/portal', { schema: { hide: true } }, async (req, reply) => {
    const s = env.session(req);
    return sendPage(reply, portalPage(s, 'Endpoints', '/portal', await listPage(env, s)));
  });

  app.post('/portal/endpoints', { schema: { hide: true } }, async (req, reply) => {
    const s = env.session(req);
    const form = flat((req.body ?? {}) as Form);
    const input = createInput({ ...form, tenant: '' });
    // The tenant is the session's: a form naming another is refused, not quietly rewritten.
    const tenant = ownTenant(s.principal, form.tenant?.trim() || undefined, '/tenant')!;
    const ep = await createEndpoint(ctx, { ...input, tenant });
    return sendPage(
      reply,
      portalPage(
        s,
        `Created ${ep.name}`,
        '/portal',
        html`<div class="notice" data-created="${ep.id}">
  <p>Copy these now: they are not shown again.</p>
  <dl class="props">
    <dt>Callback URL</dt><dd><code>${ep.callback.url}</code></dd>
    <dt>Callback credentials</dt><dd><span class="secret">${ep.callback.user}:${ep.callback.key}</span></dd>
    ${ep.secret ? html`<dt>Signing secret</dt><dd><span class="secret" id="new-secret">${ep.secret}</span></dd>` : ''}
  </dl>
  <p><a href="/portal/endpoints/${ep.id}">Go to the endpoint →</a></p>
</div>`,
      ),
      201,
    );
  });

  app.get('/portal/endpoints/:id', { schema: { hide: true } }, async (req, reply) => {
    const s = env.session(req);
    const q = req.query as { done?: string; n?: string; example?: string };
    const notices: Record<string, string> = {
      recovered: `Re-queued ${Number(q.n) || 0} failed deliveries.`,
      enabled: 'Endpoint enabled.',
      disabled: 'Endpoint disabled.',
      saved: 'Saved.',
      subscribed: 'Subscribed.',
      unsubscribed: 'Unsubscribed.',
    };
    const notice = q.done && notices[q.done] ? html`<p class="notice">${notices[q.done]}</p>` : null;
    const row = await getEndpointRow(ctx, id(req), s.principal);
    return sendPage(reply, portalPage(s, row.name, '/portal', await detail(env, s, row.id, q.example?.slice(0, 300), notice)));
  });

  app.post('/portal/endpoints/:id', { schema: { hide: true } }, async (req, reply) => {
    const form = flat((req.body ?? {}) as Form);
    const problems: Problem[] = [];
    const headers = parseHeaders(form.headers, problems);
    if (!form.name?.trim()) problems.push({ path: '/name', message: 'is required' });
    if (!form.url?.trim()) problems.push({ path: '/url', message: 'is required' });
    if (problems.length) throw invalid(problems);
    const patch: EndpointPatch = {
      name: form.name!.trim(),
      url: form.url!.trim(),
      headers: headers ?? {},
      ...(form.body !== undefined ? { body: parseBody(form.body, problems) ?? {} } : {}),
      ...(form.lang !== undefined ? { lang: form.lang === 'cn' ? ('cn' as const) : ('en' as const) } : {}),
      validate: Boolean(form.validate),
    };
    if (problems.length) throw invalid(problems);
    const ep = await updateEndpoint(ctx, id(req), patch, principalOf(req));
    return reply.redirect(back(ep.id, 'saved'), 303);
  });

  for (const action of ['enable', 'disable'] as const) {
    app.post(`/portal/endpoints/:id/${action}`, { schema: { hide: true } }, async (req, reply) => {
      await setEndpointEnabled(ctx, id(req), action === 'enable', action === 'disable' ? 'disabled in the portal' : null, principalOf(req));
      return reply.redirect(back(id(req), `${action}d`), 303);
    });
  }

  app.post('/portal/endpoints/:id/delete', { schema: { hide: true } }, async (req, reply) => {
    await deleteEndpoint(ctx, id(req), principalOf(req));
    return reply.redirect('/portal', 303);
  });

  app.post('/portal/endpoints/:id/rotate-secret', { schema: { hide: true } }, async (req, reply) => {
    const s = env.session(req);
    const { secret, previous_secret_expires_at } = await rotateSecret(ctx, id(req), undefined, s.principal);
    return sendPage(
      reply,
      portalPage(
        s,
        'New signing secret',
        '/portal',
        html`<div class="notice"><p>New signing secret (shown once): <span class="secret" id="new-secret">${secret}</span></p>${
          previous_secret_expires_at ? html`<p class="muted">The previous secret keeps signing until ${previous_secret_expires_at}.</p>` : ''
        }<p><a href="/portal/endpoints/${id(req)}">Back to the endpoint</a></p></div>`,
      ),
    );
  });

  app.post('/portal/endpoints/:id/recover', { schema: { hide: true } }, async (req, reply) => {
    const since = Date.parse(field((req.body ?? {}) as Form, 'since') ?? '');
    if (Number.isNaN(since)) throw invalid([{ path: '/since', message: 'must be an ISO-8601 time such as 2026-01-31T12:00:00Z' }]);
    const n = await recoverEndpoint(ctx, id(req), since, principalOf(req));
    return reply.redirect(`${back(id(req), 'recovered')}&n=${n}`, 303);
  });

  app.post('/portal/endpoints/:id/test', { schema: { hide: true } }, async (req, reply) => {
    const sent = await sendTestEvent(ctx, env.catalog, id(req), principalOf(req));
    return reply.redirect(`/portal/deliveries/${encodeURIComponent(sent.delivery_id)}?done=test`, 303);
  });

  app.post('/portal/endpoints/:id/subscriptions', { schema: { hide: true } }, async (req, reply) => {
    const p = principalOf(req);
    const form = (req.body ?? {}) as Form;
    // The endpoint named in the form must be one this session sees, like the one in the path.
    const target = field(form, 'endpoint_id') || id(req);
    await getEndpointRow(ctx, id(req), p);
    await getEndpointRow(ctx, target, p);
    const problems: Problem[] = [];
    const events = fields(form, 'events').map((e) => e.trim()).filter(Boolean);
    if (events.length === 0) problems.push({ path: '/events', message: 'pick at least one event type' });
    const filter = jsonObject(field(form, 'filter'), '/filter', problems);
    if (problems.length) throw invalid(problems);
    await createSubscription(ctx, { endpoint_id: target, events, ...(filter ? { filter: filter.value, filterText: filter.text } : {}) }, p);
    return reply.redirect(back(target, 'subscribed'), 303);
  });

  app.post('/portal/subscriptions/:id/delete', { schema: { hide: true } }, async (req, reply) => {
    const p = principalOf(req);
    const { endpoint_id } = await getSubscription(ctx, id(req), p);
    await deleteSubscription(ctx, id(req), p);
    return reply.redirect(back(endpoint_id, 'unsubscribed'), 303);
  });
}
