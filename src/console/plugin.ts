import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ApiDeps } from '../api/deps.js';
import type { App } from '../api/server.js';
import { HeraldError } from '../errors.js';
import { html, type Html } from './html.js';
import { loginPage, page, problemList } from './layout.js';
import { deliveryPages } from './pages/deliveries.js';
import { endpointPages } from './pages/endpoints.js';
import { entityPages } from './pages/entities.js';
import { incomingPages } from './pages/incoming.js';
import { overviewPages } from './pages/overview.js';
import { subscriptionPages } from './pages/subscriptions.js';
import { topicPages } from './pages/topics.js';
import { undeliveredPages } from './pages/undelivered.js';

export const COOKIE = 'herald_token';
const COOKIE_MAX_AGE_S = 12 * 3600;
const ASSET_DIR = join(dirname(fileURLToPath(import.meta.url)), 'assets');
/** Served from memory: the console has a handful of files and no build step; htmx.min.js is vendored as shipped. */
const ASSETS: Record<string, string> = {
  'htmx.min.js': 'text/javascript; charset=utf-8',
  'console.css': 'text/css; charset=utf-8',
  'entity.js': 'text/javascript; charset=utf-8',
  'console.js': 'text/javascript; charset=utf-8',
};

export type Form = Record<string, string>;

export interface ConsoleEnv extends ApiDeps {
  /** The root instance: the console asks it which API routes exist and calls them in-process. */
  root: App;
  /** The admin token of the current request, from its cookie. */
  tokenOf(req: FastifyRequest): string;
  /** Streams to end when Herald closes (hijacked responses are not closed by fastify). */
  streams: Set<{ end(): void }>;
}

export function sendHtml(reply: FastifyReply, body: Html, status = 200): FastifyReply {
  return reply.code(status).type('text/html; charset=utf-8').header('cache-control', 'no-store').send(body.value);
}

export function cookieToken(req: FastifyRequest): string | null {
  const header = req.headers.cookie ?? '';
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === COOKIE) {
      try {
        return decodeURIComponent(part.slice(eq + 1).trim());
      } catch {
        return null;
      }
    }
  }
  return null;
}

/**
 * The web console, served at `/`. Pages are rendered here from the services; htmx swaps fragments for forms
 * that show results inline. Logging in stores the admin token in an HttpOnly, SameSite=Strict cookie, which
 * every console route checks the same way the API checks its bearer token.
 */
export function consoleRoutes(app: App, deps: ApiDeps): void {
  const assets = new Map(Object.entries(ASSETS).map(([name, type]) => [name, { type, body: readFileSync(join(ASSET_DIR, name)) }]));
  const streams = new Set<{ end(): void }>();
  app.addHook('preClose', async () => {
    for (const s of streams) s.end();
  });

  async function isAdmin(token: string | null): Promise<boolean> {
    if (!token) return false;
    try {
      await app.requireAdmin({ headers: { authorization: `Bearer ${token}` } } as FastifyRequest);
      return true;
    } catch {
      return false;
    }
  }

  app.register(async (scope) => {
    const s = scope as unknown as App;
    // Forms post urlencoded bodies; this parser exists only inside the console, the API stays JSON-only.
    s.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 256 * 1024 }, (_req, body, done) => {
      // A repeated key (a multiple select) becomes an array; every other field stays a string.
      const out: Record<string, string | string[]> = {};
      for (const [k, v] of new URLSearchParams(body as string)) {
        const prev = out[k];
        out[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
      }
      done(null, out);
    });

    s.addHook('onRequest', async (req, reply) => {
      const path = req.url.split('?')[0]!;
      if (req.method === 'POST') {
        // SameSite=Strict already keeps other sites' forms from carrying the cookie; a foreign Origin is refused too.
        const origin = req.headers.origin;
        if (origin && origin !== 'null' && new URL(origin).host !== req.headers.host) {
          return sendHtml(reply, html`<p>cross-origin form refused</p>`, 403);
        }
      }
      if (path === '/login' || path.startsWith('/assets/')) return;
      if (await isAdmin(cookieToken(req))) return;
      if (req.headers['hx-request']) return reply.code(401).header('hx-redirect', '/login').send('');
      return reply.redirect(`/login?next=${encodeURIComponent(req.url)}`, 303);
    });

    s.setErrorHandler((err: Error, req, reply) => {
      const fragment = Boolean(req.headers['hx-request']);
      if (err instanceof HeraldError) {
        const body = problemList(err.message, err.details);
        // htmx swaps only 2xx answers by default: a refused form shows its problems in place.
        return sendHtml(reply, fragment ? body : page('Error', '', body), fragment ? 200 : err.status);
      }
      req.log.error({ err }, 'console error');
      const body = problemList(`internal error (request ${req.id})`);
      return sendHtml(reply, fragment ? body : page('Error', '', body), 500);
    });

    s.get('/assets/:name', { schema: { hide: true } }, async (req, reply) => {
      const asset = assets.get((req.params as { name: string }).name);
      if (!asset) return reply.code(404).type('text/plain').send('not found');
      return reply.type(asset.type).header('cache-control', 'public, max-age=300').send(asset.body);
    });

    const nextOf = (req: FastifyRequest): string | null => {
      const next = (req.query as { next?: string }).next;
      // Only a path on this site: the login form must not become an open redirect.
      return next && next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/\\') ? next : null;
    };
    s.get('/login', { schema: { hide: true } }, async (req, reply) => sendHtml(reply, loginPage(null, nextOf(req))));
    s.post('/login', { schema: { hide: true } }, async (req, reply) => {
      const form = (req.body ?? {}) as Form;
      const token = (form.token ?? '').trim();
      if (!(await isAdmin(token))) return sendHtml(reply, loginPage('That is not the admin token.', nextOf(req)), 401);
      const secure = req.protocol === 'https' ? '; Secure' : '';
      reply.header('set-cookie', `${COOKIE}=${encodeURIComponent(token)}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${COOKIE_MAX_AGE_S}${secure}`);
      return reply.redirect(nextOf(req) ?? '/', 303);
    });
    s.post('/logout', { schema: { hide: true } }, async (_req, reply) => {
      reply.header('set-cookie', `${COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0`);
      return reply.redirect('/login', 303);
    });

    const env: ConsoleEnv = { ...deps, root: app, tokenOf: (req) => cookieToken(req) ?? '', streams };
    overviewPages(s, env);
    endpointPages(s, env);
    subscriptionPages(s, env);
    topicPages(s, env);
    deliveryPages(s, env);
    incomingPages(s, env);
    entityPages(s, env);
    undeliveredPages(s, env);
  });
}
