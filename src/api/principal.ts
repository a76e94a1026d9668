import type { FastifyRequest } from 'fastify';
import { HeraldError } from '../errors.js';
import { requireScope, ADMIN, type Principal, type Scope } from '../services/principal.js';
import { safeEqual } from '../util/constant-time.js';

/** Turns a presented API key into its principal, or throws the 401 that says why not. */
export type KeyPrincipal = (key: string) => Promise<Principal>;

const KEY_PREFIX = 'hk_';

/**
 * Resolves a request's bearer credentials to a principal, once per request: a route's guard and its handler
 * share the answer. The admin token is compared in constant time; an `hk_` key is looked up by its hash on every
 * request (one indexed read), so a revocation holds at once on every process.
 */
export function makePrincipalResolver(adminToken: string, keyPrincipal: KeyPrincipal | undefined) {
  const resolved = new WeakMap<object, Promise<Principal>>();

  async function resolve(req: FastifyRequest): Promise<Principal> {
    const header = (req.headers.authorization ?? '').trim();
    if (header === '' || /^Bearer$/i.test(header)) throw new HeraldError('unauthorized', 'missing admin token: send Authorization: Bearer <HERALD_ADMIN_TOKEN>');
    const m = /^Bearer\s+(.+)$/i.exec(header);
    if (!m) {
      // Said apart from a wrong token: the usual slip is the bare token or another scheme, and the fix differs.
      const scheme = /^(\S+)\s+\S/.exec(header)?.[1];
      const sent = scheme ? `the ${scheme} scheme` : 'a value without a scheme';
      throw new HeraldError('unauthorized', `expected \`Authorization: Bearer <token>\`, got ${sent}`);
    }
    const token = m[1]!.trim();
    if (safeEqual(token, adminToken)) return ADMIN;
    if (token.startsWith(KEY_PREFIX) && keyPrincipal) return keyPrincipal(token);
    throw new HeraldError('unauthorized', 'invalid admin token');
  }

  return function principalOf(req: FastifyRequest): Promise<Principal> {
    let p = resolved.get(req);
    if (!p) {
      p = resolve(req);
      resolved.set(req, p);
    }
    return p;
  };
}

/** An onRequest guard: the request's principal must hold `scope` (the admin token holds every scope). */
export function guard(principalOf: (req: FastifyRequest) => Promise<Principal>, scope: Scope | 'admin') {
  return async (req: FastifyRequest): Promise<void> => {
    requireScope(await principalOf(req), scope);
  };
}
