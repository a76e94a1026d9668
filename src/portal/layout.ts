import { html, safeHref, type Html } from '../console/html.js';
import type { Brand, PortalSession, Refusal } from '../services/portal-sessions.js';

const NAV: Array<[string, string]> = [
  ['/portal', 'Endpoints'],
  ['/portal/deliveries', 'Deliveries'],
  ['/portal/lab', 'Lab state'],
];

/** The tenant's colour as the accent; validated as #rrggbb when the session was made, so it is safe in CSS. */
function brandStyle(b: Brand): string {
  return /^#[0-9a-f]{6}$/i.test(b.color) ? `:root{--accent:${b.color}} header.top{background:${b.color}}` : '';
}

function head(title: string, brand: Brand | null): Html {
  return html`<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · ${brand?.name ?? 'Portal'}</title>
<link rel="stylesheet" href="/portal/assets/console.css">
<style>${brand ? brandStyle(brand) : ''} header.top a, header.top .brand { color: #fff; } .ro { font-size: .8rem; border: 1px solid #fff; border-radius: 999px; padding: 0 .5rem; } .brand img { height: 1.6rem; vertical-align: middle; margin-right: .5rem; }</style>`;
}

export function portalPage(s: PortalSession, title: string, current: string, body: Html): Html {
  const logo = safeHref(s.brand.logo_url);
  return html`<!doctype html>
<html lang="en">
<head>${head(title, s.brand)}</head>
<body data-tenant="${s.tenant}"${s.readOnly ? html` data-read-only="true"` : ''}>
<header class="top">
  <span class="brand">${logo ? html`<img src="${logo}" alt="">` : ''}${s.brand.name}</span>
  <nav>${NAV.map(([href, label]) => html`<a href="${href}"${href === current ? html` class="current" aria-current="page"` : ''}>${label}</a>`)}</nav>
  ${s.readOnly ? html`<span class="ro" title="This session can look but not change anything">read-only</span>` : ''}
</header>
<main>
<h1>${title}</h1>
${body}
</main>
</body>
</html>`;
}

const REFUSALS: Record<Refusal | 'signed-out', { status: number; title: string; text: string }> = {
  unknown: { status: 401, title: 'This portal link is not valid', text: 'The link is incomplete or was never issued. Ask for a new portal link.' },
  'signed-out': { status: 401, title: 'You are not signed in to the portal', text: 'Open the portal link you were given to sign in.' },
  used: { status: 410, title: 'This portal link was already used', text: 'A portal link lets one person in, once. Ask for a new portal link.' },
  expired: { status: 410, title: 'This portal session has expired', text: 'Portal sessions last a limited time. Ask for a new portal link.' },
  revoked: { status: 410, title: 'This portal session was revoked', text: 'Access through this link was withdrawn. Ask for a new portal link if you still need it.' },
};

/** The page for a link or a session that does not let its holder in, with the status that says why. */
export function refusalPage(reason: Refusal | 'signed-out'): { status: number; body: Html } {
  const r = REFUSALS[reason];
  return {
    status: r.status,
    body: html`<!doctype html>
<html lang="en">
<head>${head(r.title, null)}</head>
<body class="login">
<div class="card login-card" data-refusal="${reason}">
  <h1>${r.title}</h1>
  <p>${r.text}</p>
</div>
</body>
</html>`,
  };
}

/** A bare error page for when no session is known (the portal's error handler uses the branded one otherwise). */
export function plainPage(title: string, body: Html): Html {
  return html`<!doctype html><html lang="en"><head>${head(title, null)}</head><body><main><h1>${title}</h1>${body}</main></body></html>`;
}

/** The hidden field every portal form carries; the server checks it against the session on every POST. */
export function csrfField(s: PortalSession): Html {
  return html`<input type="hidden" name="_csrf" value="${s.csrf}">`;
}

/**
 * A form that changes something. In a read-only session its button is disabled and says why; the server refuses
 * the POST anyway, so the disabled button is a courtesy, not the guard.
 */
export function actionForm(s: PortalSession, action: string, label: string, opts: { cls?: string; fields?: Html; inline?: boolean } = {}): Html {
  return html`<form method="post" action="${action}" class="${opts.inline === false ? 'filters' : 'inline'}">${csrfField(s)}${opts.fields ?? ''}<button type="submit" class="${opts.cls ?? 'secondary'}"${
    s.readOnly ? html` disabled title="read-only session"` : ''
  }>${label}</button></form>`;
}

export function submitButton(s: PortalSession, label: string): Html {
  return html`<button type="submit"${s.readOnly ? html` disabled title="read-only session"` : ''}>${label}</button>`;
}
