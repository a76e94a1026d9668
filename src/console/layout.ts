import { html, type Html } from './html.js';

const NAV: Array<[string, string]> = [
  ['/', 'Overview'],
  ['/endpoints', 'Endpoints'],
  ['/subscriptions', 'Subscriptions'],
  ['/topics', 'Topics'],
  ['/deliveries', 'Deliveries'],
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

/** A list of problems as the API reports them (`path: message`), shown next to the form that caused them. */
export function problemList(message: string, details: Array<{ path: string; message: string }> = []): Html {
  return html`<div class="problems" role="alert"><strong>${message}</strong>${
    details.length ? html`<ul>${details.map((d) => html`<li><code>${d.path || '/'}</code> ${d.message}</li>`)}</ul>` : ''
  }</div>`;
}
