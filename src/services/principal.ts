import { HeraldError, invalid } from '../errors.js';

/** What a tenant's credentials may do. Anything a scope does not name stays with the admin token. */
export const SCOPES = ['events:publish', 'endpoints:read', 'endpoints:write', 'deliveries:read', 'deliveries:retry', 'entities:read'] as const;
export type Scope = (typeof SCOPES)[number];

/**
 * Who is asking, resolved once per request and handed to the services. The admin token sees every tenant; a
 * tenant's API key (and, the same way, a portal session) sees only its tenant and does only what its scopes say.
 */
export type Principal =
  | { kind: 'admin' }
  | { kind: 'key'; id: string; tenant: string; scopes: readonly Scope[] }
  | { kind: 'portal'; id: string; tenant: string; scopes: readonly Scope[] };

export const ADMIN: Principal = { kind: 'admin' };

/** The one tenant a principal is confined to, or null for the admin, who is confined to none. */
export function tenantOf(p: Principal): string | null {
  return p.kind === 'admin' ? null : p.tenant;
}

/** Whether a row of `tenant` exists for this principal: another tenant's row is answered as a missing one. */
export function sees(p: Principal, tenant: string): boolean {
  const own = tenantOf(p);
  return own === null || own === tenant;
}

/** Refuses what the principal's scopes do not allow, naming the scope; the admin may do everything. */
export function requireScope(p: Principal, scope: Scope | 'admin'): void {
  if (p.kind === 'admin') return;
  const who = p.kind === 'key' ? 'this key' : 'this portal session';
  if (scope === 'admin') throw new HeraldError('forbidden', `${who} cannot use this route: it needs the admin token`);
  if (!p.scopes.includes(scope)) throw new HeraldError('forbidden', `${who} lacks the scope ${scope}`);
}

/**
 * The tenant something a confined principal creates (an endpoint, an event) belongs to: its own. Naming another
 * tenant is refused rather than silently rewritten, so a misconfigured client finds out.
 */
export function ownTenant(p: Principal, named: string | undefined, path: string): string | undefined {
  const own = tenantOf(p);
  if (own === null) return named;
  if (named !== undefined && named !== own) {
    throw invalid([{ path, message: `must be ${own}, the tenant of ${p.kind === 'key' ? 'this key' : 'this portal session'}`, allowed: [own] }]);
  }
  return own;
}
