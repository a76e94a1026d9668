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
import { ago, badge, pct, time } from '../format.js';
import { html, type Html } from '../html.js';
import { page } from '../layout.js';
import { sendHtml, type ConsoleEnv, type Form } from '../plugin.js';
import { subscribeForm } from './subscriptions.js';

const FORMATS = ['strigo', 'cloudpods', 'standard'] as const;

function parseHeaders(text: string | undefined, problems: Problem[]): Record<string, string> | undefined {
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

function parseBody(text: string | undefined, problems: Problem[]): Record<string, unknown> | undefined {
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

/** The form as the API's create body; field problems use the API's JSON paths so both read the same. */
function createInput(form: Form): EndpointInput {
  const problems: Problem[] = [];
  const name = (form.name ?? '').trim();
  const url = (form.url ?? '').trim();
  if (!name) problems.push({ path: '/name', message: 'is required' });
  if (!url) problems.push({ path: '/url', message: 'is required' });
  const format = form.format as EndpointInput['format'];
  if (!FORMATS.includes(format)) problems.push({ path: '/format', message: `must be one of ${FORMATS.join(', ')}` });
  const user = (form.auth_user ?? '').trim();
  const key = form.auth_key ?? '';
  if (Boolean(user) !== Boolean(key)) problems.push({ path: '/auth', message: 'give both the user and the key, or neither' });
  const headers = parseHeaders(form.headers, problems);
  const body = parseBody(form.body, problems);
  if (problems.length) throw invalid(problems);
  return {
    name,
    url,
    format,
    ...(form.tenant?.trim() ? { tenant: form.tenant.trim() } : {}),
    ...(user ? { auth: { user, key } } : {}),
    ...(form.secret?.trim() ? { secret: form.secret.trim() } : {}),
    ...(headers ? { headers } : {}),
    ...(body ? { body } : {}),
    ...(form.lang === 'cn' ? { lang: 'cn' as const } : {}),
    ...(form.use_template ? { use_template: true } : {}),
    validate: Boolean(form.validate),
  };
}

function createForm(): Html {
  return html`<form class="stack card" hx-post="/endpoints" hx-target="#create-result" hx-swap="innerHTML">
  <h2>New endpoint</h2>
  <label>Name <input name="name" required maxlength="200" placeholder="Acme labs backend"></label>
  <label>URL <input name="url" required maxlength="2048" placeholder="https://backend.example.com/herald"></label>
  <label>Format <select name="format">${FORMATS.map((f) => html`<option value="${f}">${f}</option>`)}</select></label>
  <label>Tenant <input name="tenant" placeholder="default"></label>
  <div class="split">
    <label><span>Auth user (strigo sends <code>Bearer user:key</code>)</span> <input name="auth_user" autocomplete="off"></label>
    <label>Auth key <input name="auth_key" type="password" autocomplete="new-password"></label>
  </div>
  <label>Signing secret (blank: generated for strigo and standard) <input name="secret" autocomplete="off"></label>
  <label>Extra headers (JSON) <textarea name="headers" placeholder='{"X-Team": "labs"}'></textarea></label>
  <label>Extra body keys (cloudpods, JSON) <textarea name="body" placeholder='{}'></textarea></label>
  <label>Language <select name="lang"><option value="en">en</option><option value="cn">cn</option></select></label>
  <label class="check"><input type="checkbox" name="use_template" value="1"> Render topic templates (cloudpods)</label>
  <label class="check"><input type="checkbox" name="validate" value="1" checked> Send the validation call first (cloudpods)</label>
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
  <td><a href="/endpoints/${e.id}">${e.name}</a><div class="muted">${e.url}</div></td>
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
    <dt>Id</dt><dd><code>${ep.id}</code></dd>
    <dt>URL</dt><dd>${ep.url}</dd>
    <dt>Format</dt><dd>${ep.format}</dd>
    <dt>Tenant</dt><dd>${ep.tenant}</dd>
    <dt>State</dt><dd>${ep.enabled ? badge('enabled') : html`${badge('disabled')} ${ep.disabled_reason ?? ''}`}${ep.failing_since ? html` <span class="badge wait">failing since ${ep.failing_since}</span>` : ''}</dd>
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
  <label>Extra body keys (JSON) <textarea name="body">${JSON.stringify(ep.body, null, 2)}</textarea></label>
  <label>Language <select name="lang">${['en', 'cn'].map((l) => html`<option${l === ep.lang ? html` selected` : ''}>${l}</option>`)}</select></label>
  <label class="check"><input type="checkbox" name="use_template" value="1"${ep.use_template ? html` checked` : ''}> Render topic templates</label>
  <label class="check"><input type="checkbox" name="validate" value="1" checked> Validate a new URL first (cloudpods)</label>
  <button type="submit">Save</button>
  <div id="edit-result" aria-live="polite"></div>
</form>
</div>
<h2>Subscriptions</h2>
<table><thead><tr><th>Id</th><th>Events</th><th>Topics</th><th>Scope</th><th>State</th></tr></thead><tbody>
${subs.data.length === 0 ? html`<tr><td colspan="5" class="muted">Not subscribed to anything yet.</td></tr>` : ''}
${subs.data.map(
  (s) => html`<tr><td><code>${s.id}</code></td><td>${s.events.join(', ') || '—'}</td><td>${s.topics.map((t) => topicName.get(t) ?? t).join(', ') || '—'}</td><td>${s.scope.resource_scope}${s.scope.attribution_id ? ` ${s.scope.attribution_id}` : ''}</td><td>${badge(s.enabled ? 'enabled' : 'disabled')}</td></tr>`,
)}
</tbody></table>
${subscribeForm(topics, [{ id: ep.id, name: ep.name }], ep.id)}
<h2>Recent deliveries <a class="muted" href="/deliveries?endpoint_id=${ep.id}">(all)</a></h2>
<table><thead><tr><th>Delivery</th><th>Event</th><th>Status</th><th class="num">Attempts</th><th>Created</th></tr></thead><tbody>
${recent.data.map(
  (d) => html`<tr><td><a href="/deliveries/${d.id}">${d.id}</a></td><td>${d.event}</td><td>${badge(d.status)}</td><td class="num">${d.attempt_count}</td><td>${time(d.created_at)}</td></tr>`,
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
    if (problems.length) throw invalid(problems);
    const patch: EndpointPatch = {
      name: form.name!.trim(),
      url: form.url!.trim(),
      headers: headers ?? {},
      body: body ?? {},
      lang: form.lang === 'cn' ? 'cn' : 'en',
      use_template: Boolean(form.use_template),
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
