import type { Selectable } from 'kysely';
import type { App } from '../../api/server.js';
import { endpointNames, listTopicRows } from '../../services/operator-views.js';
import { createSubscription, deleteSubscription, listSubscriptions, updateSubscription, type Scope } from '../../services/subscriptions.js';
import type { TopicsTable } from '../../store/schema.js';
import { invalid, type Problem } from '../../errors.js';
import { testFilter } from '../../services/filter-test.js';
import type { EventInput } from '../../services/publish.js';
import { stringifyExact } from '../../util/lossless-json.js';
import { compactJson, memberText, objectMembers } from '../../util/raw-json.js';
import { badge, collapsedList, shortId } from '../format.js';
import { html, type Html } from '../html.js';
import { page, problemList } from '../layout.js';
import { sendHtml, type ConsoleEnv, type Form } from '../plugin.js';

/** Event patterns typed one per line or separated by commas. */
function patterns(text: string | undefined): string[] {
  return (text ?? '').split(/[\s,]+/).map((p) => p.trim()).filter(Boolean);
}

/** What the Test button tries a filter on until the operator writes their own event. */
const SAMPLE_EVENT = '{"type": "ONDEMAND_ENROLLMENT", "action": "STARTED", "entity_ids": ["enr_1"], "data": {"plan": "pro", "seats": 12}}';

/** A JSON field of the form: its text (numbers as typed) and parsed value, or a problem naming the field. */
function jsonField(text: string | undefined, field: string, problems: Problem[]): { text: string; value: unknown } | null {
  const t = (text ?? '').trim();
  if (t === '') return null;
  try {
    const value: unknown = JSON.parse(t);
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      problems.push({ path: `/${field}`, message: 'must be a JSON object' });
      return null;
    }
    return { text: t, value };
  } catch (e) {
    problems.push({ path: `/${field}`, message: `is not valid JSON: ${(e as Error).message}` });
    return null;
  }
}

/** The filter textarea and its Test button, which tries the filter on a sample event without saving anything. */
function filterFields(current: string): Html {
  return html`<label><span>Filter (optional): deliver only events that match, e.g. <code>{"data.plan": "pro", "data.seats": {"$gte": 10}}</code></span> <textarea name="filter" spellcheck="false">${current}</textarea></label>
  <details class="filter-test">
    <summary>Test the filter on a sample event</summary>
    <label><span>Sample event (as published to <code>POST /v1/events</code>)</span> <textarea name="sample_event" spellcheck="false">${SAMPLE_EVENT}</textarea></label>
    <button type="button" class="secondary" hx-post="/subscriptions/filter-test" hx-include="closest form" hx-target="next .filter-result">Test</button>
    <div class="filter-result" aria-live="polite"></div>
  </details>`;
}

/** A subscription's filter in its row, with a form that changes it (an empty filter removes it). */
function filterCell(id: string, filter: unknown): Html {
  const text = filter ? stringifyExact(filter) : '';
  return html`${text ? html`<code>${text}</code>` : '—'}
  <details class="filter-edit"><summary>Edit filter</summary>
    <form class="stack" hx-post="/subscriptions/${id}/filter" hx-target="find .filter-saved">
      ${filterFields(text)}
      <button type="submit">Save filter</button>
      <div class="filter-saved" aria-live="polite"></div>
    </form>
  </details>`;
}

export function subscribeForm(topics: Selectable<TopicsTable>[], endpoints: Array<{ id: string; name: string }>, selected?: string): Html {
  return html`<form class="card stack" hx-post="/subscriptions" hx-target="#subscribe-result">
  <h2>Subscribe</h2>
  <label>Endpoint <select name="endpoint_id">${endpoints.map((e) => html`<option value="${e.id}"${e.id === selected ? html` selected` : ''}>${e.name}</option>`)}</select></label>
  <label><span>Event patterns, one per line (<code>ONDEMAND_ENROLLMENT/*</code>, <code>*/SYNC_CREATE</code>)</span> <textarea name="events"></textarea></label>
  ${topics.length ? html`<label>Topics <select name="topics" multiple size="${Math.min(6, topics.length)}">${topics.map((t) => html`<option value="${t.id}">${t.name}</option>`)}</select></label>` : ''}
  <div class="split">
    <label>Scope <select name="resource_scope"><option>system</option><option>domain</option><option>project</option></select></label>
    <label>Domain or project id <input name="attribution_id"></label>
  </div>
  ${filterFields('')}
  <button type="submit">Subscribe</button>
  <div id="subscribe-result" aria-live="polite"></div>
</form>`;
}

export function subscriptionPages(app: App, env: ConsoleEnv): void {
  const { ctx } = env;
  app.get('/subscriptions', { schema: { hide: true } }, async (_req, reply) => {
    const [subs, names, topics] = await Promise.all([listSubscriptions(ctx, { limit: 500 }), endpointNames(ctx), listTopicRows(ctx)]);
    const topicName = new Map(topics.map((t) => [t.id, t.name]));
    const body = html`<table><thead><tr><th>Endpoint</th><th>Events</th><th>Topics</th><th>Scope</th><th>Filter</th><th>State</th><th></th></tr></thead><tbody>
${subs.data.length === 0 ? html`<tr><td colspan="7" class="muted">No subscriptions yet.</td></tr>` : ''}
${subs.data.map(
  (s) => html`<tr>
  <td><a href="/endpoints/${s.endpoint_id}">${names.get(s.endpoint_id) ?? s.endpoint_id}</a><div class="muted">${shortId(s.id)}</div></td>
  <td>${collapsedList(s.events)}</td>
  <td>${collapsedList(s.topics.map((t) => topicName.get(t) ?? t))}</td>
  <td>${s.scope.resource_scope}${s.scope.attribution_id ? ` ${s.scope.attribution_id}` : ''}</td>
  <td>${filterCell(s.id, s.filter)}</td>
  <td>${badge(s.enabled ? 'enabled' : 'disabled')}</td>
  <td class="actions">
    <form method="post" action="/subscriptions/${s.id}/${s.enabled ? 'disable' : 'enable'}" class="inline"><button class="secondary">${s.enabled ? 'Disable' : 'Enable'}</button></form>
    <form method="post" action="/subscriptions/${s.id}/delete" class="inline"><button class="danger">Delete</button></form>
  </td>
</tr>`,
)}</tbody></table>
${names.size ? subscribeForm(topics, [...names].map(([id, name]) => ({ id, name }))) : html`<p class="muted">Create an endpoint first.</p>`}`;
    return sendHtml(reply, page('Subscriptions', '/subscriptions', body));
  });

  app.post('/subscriptions', { schema: { hide: true } }, async (req, reply) => {
    const form = (req.body ?? {}) as Form & { topics?: string | string[] };
    const topics = Array.isArray(form.topics) ? form.topics : form.topics ? [form.topics] : [];
    const scope = (['system', 'domain', 'project'].includes(form.resource_scope ?? '') ? form.resource_scope : 'system') as Scope;
    const problems: Problem[] = [];
    const filter = jsonField(form.filter, 'filter', problems);
    if (problems.length) throw invalid(problems);
    const sub = await createSubscription(ctx, {
      ...(filter ? { filter: filter.value as Record<string, unknown>, filterText: filter.text } : {}),
      endpoint_id: form.endpoint_id ?? '',
      events: patterns(form.events),
      topics,
      scope: { resource_scope: scope, attribution_id: form.attribution_id?.trim() || null },
    });
    return sendHtml(reply, html`<p class="notice" data-subscription="${sub.id}">Subscribed: ${[...sub.events, ...sub.topics].join(', ')}. <a href="/endpoints/${sub.endpoint_id}">Reload</a> to see it listed.</p>`);
  });

  // Tries the form's filter on its sample event without saving anything: the answer replaces the result box.
  app.post('/subscriptions/filter-test', { schema: { hide: true } }, async (req, reply) => {
    const form = (req.body ?? {}) as Form;
    const problems: Problem[] = [];
    const filter = jsonField(form.filter, 'filter', problems);
    const sample = jsonField(form.sample_event, 'sample_event', problems);
    if (!filter && problems.length === 0) problems.push({ path: '/filter', message: 'write a filter to test' });
    if (!filter || !sample) return sendHtml(reply, problemList('Cannot test yet', problems));
    const data = memberText(objectMembers(sample.text), 'data');
    const event = { ...(sample.value as EventInput), ...(data !== undefined ? { dataText: compactJson(data) } : {}) };
    const r = await testFilter(env.catalog, { filter: filter.value as Record<string, unknown>, filterText: filter.text, event });
    // The API's /event/... is this form's sample_event field, so each problem lands beside its textarea.
    const worded = r.problems.map((p) => (p.path.startsWith('/event') ? { ...p, path: `/sample_event${p.path.slice('/event'.length)}` } : p));
    if (r.matches === null) return sendHtml(reply, problemList('The filter or the sample event has problems', worded));
    return sendHtml(
      reply,
      r.matches
        ? html`<p class="notice" data-filter-result="match">Matches: this event would be delivered.</p>`
        : html`<p class="notice" data-filter-result="no-match">No match: this subscription would pass the event over.</p>`,
    );
  });

  app.post('/subscriptions/:id/filter', { schema: { hide: true } }, async (req, reply) => {
    const form = (req.body ?? {}) as Form;
    const problems: Problem[] = [];
    const filter = jsonField(form.filter, 'filter', problems);
    if (problems.length) throw invalid(problems);
    const sub = await updateSubscription(ctx, (req.params as { id: string }).id, filter ? { filter: filter.value as Record<string, unknown>, filterText: filter.text } : { filter: null });
    return sendHtml(
      reply,
      sub.filter
        ? html`<p class="notice" data-filter-saved="${stringifyExact(sub.filter)}">Filter saved. <a href="/subscriptions">Reload</a> to see it listed.</p>`
        : html`<p class="notice" data-filter-saved="">Filter removed: every matching event is delivered.</p>`,
    );
  });

  for (const action of ['enable', 'disable'] as const) {
    app.post(`/subscriptions/:id/${action}`, { schema: { hide: true } }, async (req, reply) => {
      await updateSubscription(ctx, (req.params as { id: string }).id, { enabled: action === 'enable' });
      return reply.redirect('/subscriptions', 303);
    });
  }
  app.post('/subscriptions/:id/delete', { schema: { hide: true } }, async (req, reply) => {
    await deleteSubscription(ctx, (req.params as { id: string }).id);
    return reply.redirect('/subscriptions', 303);
  });
}
