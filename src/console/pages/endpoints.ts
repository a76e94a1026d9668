import type { App } from '../../api/server.js';
import { invalid, type Problem } from '../../errors.js';
import { listDeliveries } from '../../services/deliveries.js';
import { endpointJson } from '../../services/endpoint-view.js';
import {
  createEndpoint,
  getEndpointRow,
  listEndpoints,
  recoverEndpoint,
  rotateCallbackKey,
  rotateSecret,
  setEndpointEnabled,
  updateEndpoint,
  type EndpointInput,
  type EndpointPatch,
} from '../../services/endpoints.js';
import { endpointHealth, listTopicRows } from '../../services/operator-views.js';
import { listSubscriptions } from '../../services/subscriptions.js';
import { ago, badge, collapsedList, pct, shortId, time } from '../format.js';
import { html, type Html } from '../html.js';
import { page } from '../layout.js';
import { sendHtml, type ConsoleEnv, type Form } from '../plugin.js';
import { subscribeForm } from './subscriptions.js';
import { ORDERINGS, type Ordering } from '../../delivery/ordering.js';

const FORMATS = ['strigo', 'cloudpods', 'standard'] as const;

export function parseHeaders(text: string | undefined, problems: Problem[]): Record<string, string> | undefined {
  if (!text || !text.trim()) return undefined;
  try {
    const v = JSON.parse(text) as unknown;
    if (!v || typeof v !== 'object' || Array.isArray(v) || Object.values(v).some((x) => typeof x !== 'string')) throw new Error('shape');
    return v as Record<string, string>;
  } catch {
    problems.push({ path: '/headers', message: 'must be a JSON object of strings, e.g. {"X-Team": "labs"}' });
    return undefined;
  }
}

export function parseBody(text: string | undefined, problems: Problem[]): Record<string, unknown> | undefined {
  if (!text || !text.trim()) return undefined;
  try {
    const v = JSON.parse(text) as unknown;
    if (!v || typeof v !== 'object' || Array.isArray(v)) throw new Error('shape');
    return v as Record<string, unknown>;
  } catch {
    problems.push({ path: '/body', message: 'must be a JSON object' });
    return undefined;
  }
}

/** Which formats read each format-specific field; a field not listed here is sent by every format. */
const ONLY_FOR: Record<string, ReadonlyArray<(typeof FORMATS)[number]>> = {
  auth: ['strigo'],
  body: ['cloudpods'],
  lang: ['cloudpods'],
  use_template: ['cloudpods'],
  validate: ['cloudpods'],
};
const usedBy = (field: keyof typeof ONLY_FOR, format: string) => (ONLY_FOR[field] as readonly string[]).includes(format);

/**
 * The form as the API's create body; field problems use the API's JSON paths so both read the same. A field
 * the chosen format does not use is dropped, as a browser without scripts still sends the hidden ones.
 */
export function createInput(form: Form): EndpointInput {
  const problems: Problem[] = [];
  const name = (form.name ?? '').trim();
  const url = (form.url ?? '').trim();
  if (!name) problems.push({ path: '/name', message: 'is required' });
  if (!url) problems.push({ path: '/url', message: 'is required' });
  const format = form.format as EndpointInput['format'];
  if (!FORMATS.includes(format)) problems.push({ path: '/format', message: `must be one of ${FORMATS.join(', ')}` });
  const user = usedBy('auth', format) ? (form.auth_user ?? '').trim() : '';
  const key = usedBy('auth', format) ? form.auth_key ?? '' : '';
  if (Boolean(user) !== Boolean(key)) problems.push({ path: '/auth', message: 'give both the user and the key, or neither' });
  const headers = parseHeaders(form.headers, problems);
  const body = usedBy('body', format) ? parseBody(form.body, problems) : undefined;
  if (problems.length) throw invalid(problems);
  const cloudpods = format === 'cloudpods';
  return {
    name,
    url,
    format,
    ...(form.tenant?.trim() ? { tenant: form.tenant.trim() } : {}),
    ...(user ? { auth: { user, key } } : {}),
    ...(form.secret?.trim() ? { secret: form.secret.trim() } : {}),
    ...(headers ? { headers } : {}),
    ...(body ? { body } : {}),
    ...(cloudpods && form.lang === 'cn' ? { lang: 'cn' as const } : {}),
    ...(cloudpods && form.use_template ? { use_template: true } : {}),
    validate: cloudpods && Boolean(form.validate),
  };
}

/** A field shown only while a format that reads it is chosen (console.js); without scripts its label says so. */
function only(field: keyof typeof ONLY_FOR, body: Html): Html {
  const formats = ONLY_FOR[field]!;
  return html`<div class="format-only" data-formats="${formats.join(' ')}" data-problem-for="${field}">${body}<span class="only-note">${formats.join(', ')} only</span></div>`;
}

function createForm(): Html {
  return html`<form class="stack card" hx-post="/endpoints" hx-target="#create-result" hx-swap="innerHTML">
  <h2>New endpoint</h2>
  <label>Name <input name="name" required maxlength="200" placeholder="Acme labs backend"></label>
  <label>URL <input name="url" required maxlength="2048" placeholder="https://backend.example.com/herald"></label>
  <label>Format <select name="format" data-format-select>${FORMATS.map((f) => html`<option value="${f}">${f}</option>`)}</select></label>
  <label>Tenant <input name="tenant" placeholder="default"></label>
  ${only('auth', html`<div class="split">
    <label><span>Auth user (sent as <code>Bearer user:key</code>)</span> <input name="auth_user" autocomplete="off"></label>
    <label>Auth key <input name="auth_key" type="password" autocomplete="new-password"></label>
  </div>`)}
  <label>Signing secret (blank: generated for strigo and standard; cloudpods signs only when one is set) <input name="secret" autocomplete="off"></label>
  <label>Extra headers (JSON) <textarea name="headers" placeholder='{"X-Team": "labs"}'></textarea></label>
  ${only('body', html`<label>Extra body keys (JSON) <textarea name="body" placeholder='{}'></textarea></label>`)}
  ${only('lang', html`<label>Language <select name="lang"><option value="en">en</option><option value="cn">cn</option></select></label>`)}
  ${only('use_template', html`<label class="check"><input type="checkbox" name="use_template" value="1"> Render topic templates</label>`)}
  ${only('validate', html`<label class="check"><input type="checkbox" name="validate" value="1" checked> Send the validation call first</label>`)}
  <button type="submit">Create endpoint</button>
  <div id="create-result" aria-live="polite"></div>
</form>`;
}

function created(ep: Awaited<ReturnType<typeof createEndpoint>>): Html {
  return html`<div class="notice" data-created="${ep.id}">
  <p><strong>Created <a href="/endpoints/${ep.id}">${ep.name}</a></strong> (${ep.id}). Copy these now: they are not shown again.</p>
  <dl class="props">
    <dt>Callback URL</dt><dd><code>${ep.callback.url}</code></dd>
    <dt>Callback credentials</dt><dd><span class="secret">${ep.callback.user}:${ep.callback.key}</span></dd>
    ${ep.secret ? html`<dt>Signing secret</dt><dd><span class="secret">${ep.secret}</span></dd>` : ''}
  </dl>
</div>`;
}

async function listPage(env: ConsoleEnv): Promise<Html> {
  const { data } = await listEndpoints(env.ctx, { limit: 500 });
  const health = await endpointHealth(env.ctx);
  return html`<table>
<thead><tr><th>Name</th><th>Format</th><th>State</th><th class="num">Success (24 h)</th><th class="num">p50 latency</th><th class="num">Attempts</th></tr></thead>
<tbody>
${data.length === 0 ? html`<tr><td colspan="6" class="muted">No endpoints yet: create one below.</td></tr>` : ''}
${data.map((e) => {
  const h = health.get(e.id);
  return html`<tr>
  <td class="clip"><a href="/endpoints/${e.id}">${e.name}</a><div class="muted" title="${e.url}">${e.url}</div></td>
  <td>${e.format}</td>
  <td>${e.enabled ? (e.failing_since ? html`<span class="badge wait">failing</span>` : badge('enabled')) : badge('disabled')}</td>
  <td class="num">${pct(h?.successRate ?? null)}</td>
  <td class="num">${h?.p50Ms == null ? '—' : `${Math.round(h.p50Ms)} ms`}</td>
  <td class="num">${h?.attempts ?? 0}</td>
</tr>`;
})}
</tbody></table>
${createForm()}`;
}

async function detail(env: ConsoleEnv, id: string, notice: Html | null = null): Promise<Html> {
  const ep = endpointJson(await getEndpointRow(env.ctx, id), env.ctx.config.publicUrl, env.ctx.secrets);
  const health = (await endpointHealth(env.ctx, [id])).get(id);
  const subs = await listSubscriptions(env.ctx, { endpoint_id: id, limit: 100 });
  const recent = await listDeliveries(env.ctx, { endpoint_id: id, limit: 10 });
  const topics = await listTopicRows(env.ctx);
  const topicName = new Map(topics.map((t) => [t.id, t.name]));
  const dayAgo = new Date(env.ctx.now() - 24 * 3600_000).toISOString();
  return html`${notice ?? ''}
<div class="split">
<div class="card">
  <h2>Endpoint</h2>
  <dl class="props">
    <dt>Id</dt><dd><code>${ep.id}</code> <button type="button" class="copy" data-copy="${ep.id}" aria-label="Copy ${ep.id}" title="Copy the id">copy</button></dd>
    <dt>URL</dt><dd>${ep.url}</dd>
    <dt>Format</dt><dd>${ep.format}</dd>
    <dt>Tenant</dt><dd>${ep.tenant}</dd>
    <dt>Ordering</dt><dd>${ep.ordering}</dd>
    <dt>State</dt><dd>${ep.enabled ? badge('enabled') : html`${badge('disabled')} ${ep.disabled_reason ?? ''}`}${ep.failing_since ? html` <span class="badge wait">failing</span> since ${time(ep.failing_since)}` : ''}</dd>
    <dt>Auth</dt><dd>${ep.auth ? ep.auth.user : '—'}</dd>
    <dt>Signing secret</dt><dd>${ep.has_secret ? 'set' : 'none'}</dd>
    <dt>Callback</dt><dd><code>${ep.callback.url}</code> as <code>${ep.callback.user}</code></dd>
    <dt>Success (24 h)</dt><dd>${pct(health?.successRate ?? null)} over ${health?.attempts ?? 0} attempts</dd>
    <dt>p50 latency</dt><dd>${health?.p50Ms == null ? '—' : `${Math.round(health.p50Ms)} ms`}</dd>
  </dl>
  <div class="actions">
    <form method="post" action="/endpoints/${ep.id}/${ep.enabled ? 'disable' : 'enable'}" class="inline">
      <button type="submit" class="${ep.enabled ? 'danger' : 'secondary'}">${ep.enabled ? 'Disable' : 'Enable'}</button>
    </form>
    <button class="secondary" hx-post="/endpoints/${ep.id}/rotate-secret" hx-target="#secret-result" hx-confirm="Rotate the signing secret? The old one keeps signing for 24 hours.">Rotate secret</button>
    <button class="secondary" hx-post="/endpoints/${ep.id}/rotate-callback-key" hx-target="#secret-result" hx-confirm="Issue a new callback key? The old one stops working at once.">New callback key</button>
  </div>
  <div id="secret-result" aria-live="polite"></div>
  <form class="filters" method="post" action="/endpoints/${ep.id}/recover">
    <label>Re-queue failed deliveries since <input name="since" value="${dayAgo}"></label>
    <button type="submit" class="secondary">Recover</button>
  </form>
</div>
<form class="card stack" hx-post="/endpoints/${ep.id}" hx-target="#edit-result">
  <h2>Edit</h2>
  <label>Name <input name="name" value="${ep.name}" required></label>
  <label>URL <input name="url" value="${ep.url}" required></label>
  <label>Extra headers (JSON) <textarea name="headers">${JSON.stringify(ep.headers, null, 2)}</textarea></label>
  <label>Ordering (entity: one at a time per ordering key, in publish order; endpoint: all one at a time) <select name="ordering">${ORDERINGS.map((o) => html`<option${o === ep.ordering ? html` selected` : ''}>${o}</option>`)}</select></label>
  ${
    ep.format === 'cloudpods'
      ? html`<label>Extra body keys (JSON) <textarea name="body">${JSON.stringify(ep.body, null, 2)}</textarea></label>
  <label>Language <select name="lang">${['en', 'cn'].map((l) => html`<option${l === ep.lang ? html` selected` : ''}>${l}</option>`)}</select></label>
  <label class="check"><input type="checkbox" name="use_template" value="1"${ep.use_template ? html` checked` : ''}> Render topic templates</label>
  <label class="check"><input type="checkbox" name="validate" value="1" checked> Validate a new URL first</label>`
      : ''
  }
  <button type="submit">Save</button>
  <div id="edit-result" aria-live="polite"></div>
</form>
</div>
<h2>Subscriptions</h2>
<table><thead><tr><th>Id</th><th>Events</th><th>Topics</th><th>Scope</th><th>State</th></tr></thead><tbody>
${subs.data.length === 0 ? html`<tr><td colspan="5" class="muted">Not subscribed to anything yet.</td></tr>` : ''}
${subs.data.map(
  (s) => html`<tr><td>${shortId(s.id)}</td><td>${collapsedList(s.events)}</td><td>${collapsedList(s.topics.map((t) => topicName.get(t) ?? t))}</td><td>${s.scope.resource_scope}${s.scope.attribution_id ? ` ${s.scope.attribution_id}` : ''}</td><td>${badge(s.enabled ? 'enabled' : 'disabled')}</td></tr>`,
)}
</tbody></table>
${subscribeForm(topics, [{ id: ep.id, name: ep.name }], ep.id)}
<h2>Recent deliveries <a class="muted" href="/deliveries?endpoint_id=${ep.id}">(all)</a></h2>
<table class="log"><thead><tr><th>Delivery</th><th>Event</th><th>Status</th><th class="num">Attempts</th><th>Last answer</th><th>Created</th></tr></thead><tbody>
${recent.data.length === 0 ? html`<tr><td colspan="6" class="muted">No deliveries yet.</td></tr>` : ''}
${recent.data.map(
  (d) => html`<tr><td>${shortId(d.id, `/deliveries/${d.id}`)}</td><td>${d.event}</td><td>${badge(d.status)}</td><td class="num">${d.attempt_count}</td><td class="clip" title="${d.last_error ?? ''}">${d.last_status_code ?? ''} <span class="muted">${d.last_error ?? ''}</span></td><td>${time(d.created_at)}</td></tr>`,
)}
</tbody></table>`;
}

export function endpointPages(app: App, env: ConsoleEnv): void {
  const { ctx } = env;
  app.get('/endpoints', { schema: { hide: true } }, async (_req, reply) => sendHtml(reply, page('Endpoints', '/endpoints', await listPage(env))));

  app.post('/endpoints', { schema: { hide: true } }, async (req, reply) => {
    const ep = await createEndpoint(ctx, createInput((req.body ?? {}) as Form));
    return sendHtml(reply, created(ep));
  });

  app.get('/endpoints/:id', { schema: { hide: true } }, async (req, reply) => {
    const { id } = req.params as { id: string };
    const { done, n } = req.query as { done?: string; n?: string };
    const notice =
      done === 'recovered' ? html`<p class="notice">Re-queued ${Number(n) || 0} failed deliveries.</p>`
      : done === 'enabled' || done === 'disabled' ? html`<p class="notice">Endpoint ${done}.</p>`
      : null;
    const row = await getEndpointRow(ctx, id);
    return sendHtml(reply, page(row.name, '/endpoints', await detail(env, id, notice)));
  });

  app.post('/endpoints/:id', { schema: { hide: true } }, async (req, reply) => {
    const { id } = req.params as { id: string };
    const form = (req.body ?? {}) as Form;
    const problems: Problem[] = [];
    const headers = parseHeaders(form.headers, problems);
    const body = parseBody(form.body, problems);
    if (!form.name?.trim()) problems.push({ path: '/name', message: 'is required' });
    if (!form.url?.trim()) problems.push({ path: '/url', message: 'is required' });
    const ordering = form.ordering === undefined ? undefined : (String(form.ordering) as Ordering);
    if (ordering !== undefined && !ORDERINGS.includes(ordering)) problems.push({ path: '/ordering', message: `must be one of ${ORDERINGS.join(', ')}` });
    if (problems.length) throw invalid(problems);
    const patch: EndpointPatch = {
      ...(ordering !== undefined ? { ordering } : {}),
      name: form.name!.trim(),
      url: form.url!.trim(),
      headers: headers ?? {},
      body: body ?? {},
      // The edit form shows these to cloudpods endpoints only; others keep what they have.
      ...(form.lang !== undefined ? { lang: form.lang === 'cn' ? ('cn' as const) : ('en' as const) } : {}),
      ...(form.lang !== undefined ? { use_template: Boolean(form.use_template) } : {}),
      validate: Boolean(form.validate),
    };
    const ep = await updateEndpoint(ctx, id, patch);
    return sendHtml(reply, html`<p class="notice">Saved ${ep.name} at ${ago(Date.parse(ep.updated_at), ctx.now())}.</p>`);
  });

  for (const action of ['enable', 'disable'] as const) {
    app.post(`/endpoints/:id/${action}`, { schema: { hide: true } }, async (req, reply) => {
      const { id } = req.params as { id: string };
      await setEndpointEnabled(ctx, id, action === 'enable', action === 'disable' ? 'disabled by an operator' : null);
      return reply.redirect(`/endpoints/${encodeURIComponent(id)}?done=${action}d`, 303);
    });
  }

  app.post('/endpoints/:id/rotate-secret', { schema: { hide: true } }, async (req, reply) => {
    const { secret, previous_secret_expires_at } = await rotateSecret(ctx, (req.params as { id: string }).id);
    return sendHtml(
      reply,
      html`<div class="notice"><p>New signing secret (shown once): <span class="secret">${secret}</span></p>${
        previous_secret_expires_at ? html`<p class="muted">The previous secret keeps signing until ${previous_secret_expires_at}.</p>` : ''
      }</div>`,
    );
  });

  app.post('/endpoints/:id/rotate-callback-key', { schema: { hide: true } }, async (req, reply) => {
    const cb = await rotateCallbackKey(ctx, (req.params as { id: string }).id);
    return sendHtml(reply, html`<div class="notice"><p>New callback credentials (shown once): <span class="secret">${cb.user}:${cb.key}</span></p></div>`);
  });

  app.post('/endpoints/:id/recover', { schema: { hide: true } }, async (req, reply) => {
    const { id } = req.params as { id: string };
    const since = Date.parse(((req.body ?? {}) as Form).since ?? '');
    if (Number.isNaN(since)) throw invalid([{ path: '/since', message: 'must be an ISO-8601 time such as 2026-01-31T12:00:00Z' }]);
    const n = await recoverEndpoint(ctx, id, since);
    return reply.redirect(`/endpoints/${encodeURIComponent(id)}?done=recovered&n=${n}`, 303);
  });
}
