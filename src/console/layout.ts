import { html, type Html } from './html.js';

const NAV: Array<[string, string]> = [
  ['/', 'Overview'],
  ['/endpoints', 'Endpoints'],
  ['/subscriptions', 'Subscriptions'],
  ['/topics', 'Topics'],
  ['/deliveries', 'Deliveries'],
  ['/undelivered', 'Undelivered'],
  ['/incoming', 'Incoming'],
  ['/entities', 'Entities'],
];

export function page(title: string, current: string, body: Html, opts: { scripts?: string[] } = {}): Html {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · Herald</title>
<link rel="stylesheet" href="/assets/console.css">
<script src="/assets/htmx.min.js" defer></script>
<script src="/assets/console.js" defer></script>
${(opts.scripts ?? []).map((s) => html`<script src="${s}" defer></script>`)}
</head>
<body>
<header class="top">
  <a class="brand" href="/">Herald</a>
  <nav>${NAV.map(([href, label]) => html`<a href="${href}"${href === current ? html` class="current" aria-current="page"` : ''}>${label}</a>`)}</nav>
  <form method="post" action="/logout" class="logout"><button type="submit" class="link">Log out</button></form>
</header>
<main>
<h1>${title}</h1>
${body}
</main>
</body>
</html>`;
}

export function loginPage(error: string | null, next: string | null = null): Html {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Log in · Herald</title>
<link rel="stylesheet" href="/assets/console.css">
</head>
<body class="login">
<form method="post" action="/login${next ? `?next=${encodeURIComponent(next)}` : ''}" class="card login-card">
  <h1>Herald</h1>
  <p class="muted">Log in with the admin token (<code>HERALD_ADMIN_TOKEN</code>, or the one saved in the data directory on first start).</p>
  ${error ? html`<p class="error" role="alert">${error}</p>` : ''}
  <label>Admin token <input type="password" name="token" autocomplete="current-password" required autofocus></label>
  <button type="submit">Log in</button>
</form>
</body>
</html>`;
}

/** What the console calls each field the API names in a problem's JSON path. */
const FIELD_LABELS: Record<string, string> = {
  name: 'Name',
  url: 'URL',
  format: 'Format',
  tenant: 'Tenant',
  auth: 'Auth',
  secret: 'Signing secret',
  headers: 'Extra headers',
  body: 'Extra body keys',
  msg_key: 'Message key',
  lang: 'Language',
  use_template: 'Render topic templates',
  validate: 'Validation call',
  events: 'Event patterns',
  topics: 'Topics',
  endpoint_id: 'Endpoint',
  scope: 'Scope',
  since: 'Since',
};

export interface WordedProblem {
  /** The form field the problem is about: the first segment of its path (`/headers/X-Team` is `headers`). */
  field: string | null;
  /** The problem without the field's name, for a note beside the field. */
  message: string;
  /** The problem as a sentence that names the field, for the summary. */
  sentence: string;
}

export function wordProblem(p: { path: string; message: string }): WordedProblem {
  const segments = (p.path || '').split('/').filter(Boolean).map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
  // Template edits arrive as /templates/title_en: the field is the template.
  if (segments[0] === 'templates' && segments.length > 1) segments.shift();
  const field = segments[0] ?? null;
  if (!field) return { field: null, message: p.message, sentence: p.message };
  const label = FIELD_LABELS[field] ?? field;
  const within = segments.slice(1).join(' ');
  const message = within ? `${within}: ${p.message}` : p.message;
  return { field, message, sentence: `${label}${within ? ` (${within})` : ''}: ${p.message}` };
}

/**
 * The problems of a refused form, each in words. Each item names its field (`data-field`), so console.js can move
 * it beside that field; what no field of the form shows stays here, and without scripts all of them do.
 */
export function problemList(message: string, details: Array<{ path: string; message: string }> = []): Html {
  const worded = details.map(wordProblem);
  const summary = worded.length === 0 ? message : worded.length === 1 ? 'One thing to fix:' : `${worded.length} things to fix:`;
  return html`<div class="problems" role="alert"><strong>${summary}</strong>${
    worded.length
      ? html`<ul>${worded.map((w) => html`<li${w.field ? html` data-field="${w.field}" data-message="${w.message}"` : ''}>${w.sentence}</li>`)}</ul>`
      : ''
  }</div>`;
}
