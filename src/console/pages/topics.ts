import type { FastifyRequest } from 'fastify';
import type { App } from '../../api/server.js';
import { HeraldError } from '../../errors.js';
import { getTopicRow, listTopicRows } from '../../services/operator-views.js';
import type { CatalogEntry } from '../../catalog/catalog.js';
import { eventKey } from '../../catalog/event-key.js';
import { matchesPattern } from '../../catalog/patterns.js';
import { badge, collapsedList, prettyJson } from '../format.js';
import { html, type Html } from '../html.js';
import { page, problemList } from '../layout.js';
import { sendHtml, type ConsoleEnv, type Form } from '../plugin.js';

const FIELDS = ['title_en', 'content_en', 'title_cn', 'content_cn'] as const;

/** Data for the sample event, so templates that read `.resource_details` show something real. */
const SAMPLE_DATA = { name: 'vm-lab-01', id: 'c0ffee00-0000-4000-8000-000000000001', project: 'training', status: 'running' };

/**
 * A sample event the preview renders against: the first catalog event a pattern of the topic matches, taking the
 * patterns in order, so an operator sees the topic's own kind of text while typing.
 */
export function sampleEventFor(patterns: readonly string[], entries: readonly CatalogEntry[]) {
  for (const pattern of patterns) {
    for (const entry of entries) {
      for (const action of entry.actions) {
        for (const result of ['succeed', 'failed'] as const) {
          if (matchesPattern(pattern, eventKey({ type: entry.type, action, result }))) return { type: entry.type, action, result, data: SAMPLE_DATA };
        }
      }
    }
  }
  return { type: 'server', action: 'create', result: 'succeed' as const, data: SAMPLE_DATA };
}

/**
 * Topic writes and template previews belong to the topics API, which the console calls in-process. Until a build
 * has those routes, the editor says so instead of failing.
 */
async function callApi(env: ConsoleEnv, req: FastifyRequest, method: 'POST' | 'PATCH', url: string, routeUrl: string, payload: unknown) {
  if (!env.root.hasRoute({ method, url: routeUrl })) return null;
  const res = await env.root.inject({ method, url, payload: payload as Record<string, unknown>, headers: { authorization: `Bearer ${env.tokenOf(req)}` } });
  let json: any = null;
  try {
    json = res.json();
  } catch {
    json = null;
  }
  return { status: res.statusCode, json };
}

function apiProblems(json: any): Html {
  const err = json?.error;
  return problemList(err?.message ?? 'the topics API refused the request', Array.isArray(err?.details) ? err.details : []);
}

function templates(form: Form): Record<string, string | null> {
  return Object.fromEntries(FIELDS.map((f) => [f, form[f]?.length ? form[f]! : null]));
}

export function topicPages(app: App, env: ConsoleEnv): void {
  const { ctx } = env;
  app.get('/topics', { schema: { hide: true } }, async (_req, reply) => {
    const topics = await listTopicRows(ctx);
    const body = html`<table><thead><tr><th>Topic</th><th>Patterns</th><th>Templates</th><th>State</th></tr></thead><tbody>
${topics.map(
  (t) => html`<tr><td><a href="/topics/${t.id}">${t.name}</a><div class="muted"><code>${t.id}</code></div></td><td>${collapsedList(JSON.parse(t.patterns) as string[])}</td><td>${FIELDS.filter((f) => t[f]).join(', ') || html`<span class="muted">default</span>`}</td><td>${badge(t.enabled ? 'enabled' : 'disabled')}</td></tr>`,
)}</tbody></table>`;
    return sendHtml(reply, page('Topics', '/topics', body));
  });

  app.get('/topics/:id', { schema: { hide: true } }, async (req, reply) => {
    const t = await getTopicRow(ctx, (req.params as { id: string }).id);
    if (!t) throw new HeraldError('not_found', 'no such topic');
    const canSave = env.root.hasRoute({ method: 'PATCH', url: '/v1/topics/:id' });
    const canPreview = env.root.hasRoute({ method: 'POST', url: '/v1/topics/:id/preview' });
    const patterns = JSON.parse(t.patterns) as string[];
    const sample = sampleEventFor(patterns, env.catalog.entries());
    const body = html`<div class="muted">Patterns: ${collapsedList(patterns, 8)}</div>
<p class="muted">Templates use Go <code>text/template</code> syntax with
<code>.resource_type .action .result .resource_details .resource_type_display .action_display .result_display</code>.</p>
<div class="split">
<form class="card stack" id="template-form" hx-post="/topics/${t.id}" hx-target="#save-result">
  ${FIELDS.map((f) => html`<label>${f} <textarea name="${f}" rows="${f.startsWith('title') ? 2 : 6}">${t[f] ?? ''}</textarea></label>`)}
  ${canSave ? html`<button type="submit">Save templates</button>` : html`<p class="muted">Saving needs the topics API (PATCH /v1/topics/:id), which this build does not have yet.</p>`}
  <div id="save-result" aria-live="polite"></div>
</form>
<div class="card">
  <h2>Preview</h2>
  ${
    canPreview
      ? html`<div id="preview" hx-post="/topics/${t.id}/preview" hx-include="#template-form" hx-trigger="load, input from:#template-form delay:400ms">rendering…</div>`
      : html`<p class="muted" id="preview">Live preview needs POST /v1/topics/:id/preview, which this build does not have yet.</p>`
  }
  <p class="muted">Rendered against a sample event the topic matches (<code id="sample-key">${eventKey(sample)}</code>):</p><pre id="sample-event">${JSON.stringify(sample, null, 2)}</pre>
</div>
</div>`;
    return sendHtml(reply, page(`Topic: ${t.name}`, '/topics', body));
  });

  app.post('/topics/:id/preview', { schema: { hide: true } }, async (req, reply) => {
    const id = (req.params as { id: string }).id;
    const t = await getTopicRow(ctx, id);
    if (!t) throw new HeraldError('not_found', 'no such topic');
    const res = await callApi(env, req, 'POST', `/v1/topics/${encodeURIComponent(id)}/preview`, '/v1/topics/:id/preview', {
      templates: templates((req.body ?? {}) as Form),
      event: sampleEventFor(JSON.parse(t.patterns) as string[], env.catalog.entries()),
    });
    if (!res) return sendHtml(reply, html`<p class="muted">Preview is not available in this build.</p>`);
    if (res.status >= 400) return sendHtml(reply, apiProblems(res.json));
    return sendHtml(reply, html`<pre>${prettyJson(JSON.stringify(res.json))}</pre>`);
  });

  app.post('/topics/:id', { schema: { hide: true } }, async (req, reply) => {
    const id = (req.params as { id: string }).id;
    const res = await callApi(env, req, 'PATCH', `/v1/topics/${encodeURIComponent(id)}`, '/v1/topics/:id', templates((req.body ?? {}) as Form));
    if (!res) return sendHtml(reply, html`<p class="muted">Saving is not available in this build.</p>`);
    if (res.status >= 400) return sendHtml(reply, apiProblems(res.json));
    return sendHtml(reply, html`<p class="notice">Templates saved.</p>`);
  });
}
