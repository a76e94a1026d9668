import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ApiDeps } from '../api/deps.js';
import type { App } from '../api/server.js';
import { html, type Html } from '../console/html.js';
import { problemList } from '../console/layout.js';
import { HeraldError } from '../errors.js';
import { enterPortal, portalSessionOf, PortalRefused, requireWritable, type PortalSession } from '../services/portal-sessions.js';
import { safeEqual } from '../util/constant-time.js';
import { plainPage, portalPage, refusalPage } from './layout.js';
import { deliveryPages } from './pages/deliveries.js';
import { endpointPages } from './pages/endpoints.js';
import { labPages } from './pages/lab.js';

export const PORTAL_COOKIE = 'herald_portal';
const CSS = join(dirname(fileURLToPath(import.meta.url)), '..', 'console', 'assets', 'console.css');

export type Form = Record<string, string | string[]>;

export interface PortalEnv extends ApiDeps {
  /** The session of a request that passed the portal's guard. */
  session(req: FastifyRequest): PortalSession;
}

export function sendPage(reply: FastifyReply, body: Html, status = 200): FastifyReply {
  return reply.code(status).type('text/html; charset=utf-8').send(body.value);
}

function cookieOf(req: FastifyRequest): string | null {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === PORTAL_COOKIE) return part.slice(eq + 1).trim() || null;
  }
  return null;
}

/** Loopback hosts, which browsers treat as secure contexts even over plain http. */
function isLoopback(hostname: string): boolean {
  const h = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h.endsWith('.localhost') || h === '::1' || /^127\.\d+\.\d+\.\d+$/.test(h);
}

/**
 * The session cookie's attributes. Shown in a platform's settings page, the portal sits in a cross-site iframe,
 * where a browser sends only `SameSite=None; Secure` cookies, and, where it blocks third-party cookies, only
 * `Partitioned` ones (kept apart per embedding site, so the platform's page still gets its own session). Secure
 * needs HTTPS or a loopback host, which browsers count as secure even over http. On plain http to any other host
 * the cookie is `SameSite=Lax`: the portal works as a page of its own but not inside another site's iframe.
 * Either way it is HttpOnly and scoped to /portal, and every form carries a CSRF token, so SameSite is not what
 * stops a forged POST.
 */
function cookieAttributes(req: FastifyRequest, publicUrl: string | null): string {
  // Behind a proxy that ends TLS the request itself is http; an https HERALD_PUBLIC_URL says what browsers see.
  const secure = req.protocol === 'https' || Boolean(publicUrl?.startsWith('https://')) || isLoopback(req.hostname);
  return `Path=/portal; HttpOnly; ${secure ? 'SameSite=None; Secure; Partitioned' : 'SameSite=Lax'}`;
}

/**
 * The tenant portal, served at /portal: a tenant's own endpoints, subscriptions, deliveries and lab state, in
 * its brand. Every request reads its session from the store and acts through the services with the session's
 * principal, so another tenant's ids are 404s here as in the API.
 */
export function portalRoutes(app: App, deps: ApiDeps): void {
  const css = readFileSync(CSS);
  const sessions = new WeakMap<FastifyRequest, PortalSession>();
  const csp = `default-src 'none'; style-src 'self' 'unsafe-inline'; img-src 'self' https:; form-action 'self'; base-uri 'none'; frame-ancestors ${deps.ctx.config.portalFrameAncestors}`;

  app.register(async (scope) => {
    const s = scope as unknown as App;
    s.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 256 * 1024 }, (_req, body, done) => {
      const out: Form = {};
      for (const [k, v] of new URLSearchParams(body as string)) {
        const prev = out[k];
        out[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
      }
      done(null, out);
    });

    s.addHook('onRequest', async (req, reply) => {
      reply.header('content-security-policy', csp);
      reply.header('x-content-type-options', 'nosniff');
      // The entry link carries its token in the path: no page of the portal hands its URL to another site.
      reply.header('referrer-policy', 'no-referrer');
      reply.header('cache-control', 'no-store');
      const path = req.url.split('?')[0]!;
      if (path.startsWith('/portal/assets/') || path.startsWith('/portal/enter/')) return;
      if (req.method === 'POST') {
        const origin = req.headers.origin;
        if (origin && origin !== 'null' && safeHost(origin) !== req.headers.host) {
          return sendPage(reply, plainPage('Refused', html`<p>A form from another site cannot change anything here.</p>`), 403);
        }
      }
      try {
        sessions.set(req, await portalSessionOf(deps.ctx, cookieOf(req)));
      } catch (e) {
        if (!(e instanceof PortalRefused)) throw e;
        // A cookie no session has (forged, or from a database since reset) is a signed-out visitor.
        const page = refusalPage(e.reason === 'unknown' ? 'signed-out' : e.reason);
        return sendPage(reply, page.body, page.status);
      }
    });

    // After the body is parsed: every POST carries its session's form token and needs a session that may change things.
    s.addHook('preHandler', async (req) => {
      if (req.method !== 'POST') return;
      const session = sessions.get(req);
      if (!session) return;
      const token = ((req.body ?? {}) as Form)._csrf;
      if (typeof token !== 'string' || !safeEqual(token, session.csrf)) {
        throw new HeraldError('forbidden', 'this form has expired or did not come from the portal: reload the page and try again');
      }
      requireWritable(session);
    });

    s.setErrorHandler((err: Error, req, reply) => {
      const session = sessions.get(req);
      const status = err instanceof HeraldError ? err.status : 500;
      if (!(err instanceof HeraldError)) req.log.error({ err }, 'portal error');
      const body = err instanceof HeraldError ? problemList(err.message, err.details) : problemList(`internal error (request ${req.id})`);
      const title = status === 404 ? 'Not found' : status === 403 ? 'Not allowed' : 'Something needs fixing';
      return sendPage(reply, session ? portalPage(session, title, '', body) : plainPage(title, body), status);
    });

    s.get('/portal/assets/console.css', { schema: { hide: true } }, async (_req, reply) =>
      reply.type('text/css; charset=utf-8').header('cache-control', 'public, max-age=300').send(css),
    );

    s.get('/portal/enter/:token', { schema: { hide: true } }, async (req, reply) => {
      try {
        const { sessionToken, expiresAt } = await enterPortal(deps.ctx, (req.params as { token: string }).token);
        const maxAge = Math.max(1, Math.floor((expiresAt - deps.ctx.now()) / 1000));
        reply.header('set-cookie', `${PORTAL_COOKIE}=${sessionToken}; ${cookieAttributes(req, deps.ctx.config.publicUrlExplicit ? deps.ctx.config.publicUrl : null)}; Max-Age=${maxAge}`);
        return reply.redirect('/portal', 303);
      } catch (e) {
        if (!(e instanceof PortalRefused)) throw e;
        const page = refusalPage(e.reason);
        return sendPage(reply, page.body, page.status);
      }
    });

    const env: PortalEnv = {
      ...deps,
      session: (req) => {
        const found = sessions.get(req);
        if (!found) throw new HeraldError('unauthorized', 'no portal session');
        return found;
      },
    };
    endpointPages(s, env);
    deliveryPages(s, env);
    labPages(s, env);
    // Any other portal address is a page of the portal saying so, after the same session check as the rest.
    s.all('/portal/*', { schema: { hide: true } }, async (req) => {
      throw new HeraldError('not_found', `the portal has no page ${req.url.split('?')[0]}`);
    });
  });
}

function safeHost(origin: string): string | null {
  try {
    return new URL(origin).host;
  } catch {
    return null;
  }
}

/** One field of a posted form as text (a repeated field gives its first value). */
export function field(form: Form, name: string): string | undefined {
  const v = form[name];
  return Array.isArray(v) ? v[0] : v;
}

/** A field that may repeat (a multiple select), as a list. */
export function fields(form: Form, name: string): string[] {
  const v = form[name];
  return v === undefined ? [] : Array.isArray(v) ? v : [v];
}
