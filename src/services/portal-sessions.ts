/**
 * Portal sessions: a tenant's way into the portal, made by the admin and handed to the tenant's people as a link.
 * The link carries a one-time entry token; opening it trades that token for a session token kept in a cookie.
 * Both are 32 random bytes, stored only as their SHA-256, and every portal request reads the session's row, so a
 * revocation or an expiry holds at once on every process.
 */
import { hash, randomBytes } from 'node:crypto';
import type { Selectable } from 'kysely';
import { HeraldError, invalid, notFound, type Problem } from '../errors.js';
import { newId } from '../ids.js';
import type { PortalSessionsTable } from '../store/schema.js';
import { parseDurationMs } from '../util/duration.js';
import type { ServiceContext } from './context.js';
import { SCOPES, type Principal, type Scope } from './principal.js';

export const DEFAULT_TTL = '1h';
export const MAX_TTL_MS = 7 * 24 * 3600_000;
const ENTRY_PREFIX = 'pe_';
const SESSION_PREFIX = 'ps_';

export interface Brand {
  name: string;
  color: string;
  logo_url: string | null;
}

export interface PortalSessionInput {
  tenant: string;
  ttl?: string;
  read_only?: boolean;
  brand?: { name?: string; color?: string; logo_url?: string | null };
}

/** A session as the portal needs it, once its cookie was matched to a live row. */
export interface PortalSession {
  id: string;
  tenant: string;
  readOnly: boolean;
  brand: Brand;
  expiresAt: number;
  principal: Principal;
  /** The form token of this session: derived from the cookie, so no process has to remember it. */
  csrf: string;
}

type Row = Selectable<PortalSessionsTable>;

/** Why a link or a cookie does not let its holder in; each has its own page. */
export type Refusal = 'unknown' | 'used' | 'expired' | 'revoked';

export class PortalRefused extends Error {
  constructor(readonly reason: Refusal) {
    super(`portal session refused: ${reason}`);
  }
}

const sha = (text: string) => hash('sha256', text, 'hex');

/** What a read-only session may do; a full one may also change its endpoints and retry its deliveries. */
const READ_SCOPES: Scope[] = ['endpoints:read', 'deliveries:read', 'entities:read'];
const FULL_SCOPES: Scope[] = SCOPES.filter((s) => s !== 'events:publish');

function brandOf(input: PortalSessionInput['brand'], tenant: string, problems: Problem[]): Brand {
  const name = input?.name?.trim() || tenant;
  const color = input?.color ?? '#2f5bd3';
  if (!/^#[0-9a-fA-F]{6}$/.test(color)) problems.push({ path: '/brand/color', message: 'must be a colour as #rrggbb, e.g. #1f6feb' });
  let logo: string | null = null;
  if (input?.logo_url !== undefined && input.logo_url !== null && input.logo_url !== '') {
    try {
      const u = new URL(input.logo_url);
      if (u.protocol !== 'https:') throw new Error('scheme');
      logo = u.toString();
    } catch {
      problems.push({ path: '/brand/logo_url', message: 'must be an https:// URL' });
    }
  }
  return { name, color: color.toLowerCase(), logo_url: logo };
}

function ttlOf(ttl: string | undefined, problems: Problem[]): number {
  const text = ttl ?? DEFAULT_TTL;
  const ms = parseDurationMs(text);
  if (ms === null || ms <= 0) {
    problems.push({ path: '/ttl', message: `must be a duration such as 30m, 1h or 7d, got ${JSON.stringify(text)}` });
    return 0;
  }
  if (ms > MAX_TTL_MS) problems.push({ path: '/ttl', message: `must be at most 7d, got ${text}` });
  return ms;
}

const iso = (ms: number | string | null) => (ms === null ? null : new Date(Number(ms)).toISOString());

function sessionJson(r: Row, now: number) {
  const status =
    r.revoked_at !== null ? 'revoked' : Number(r.expires_at) <= now ? 'expired' : r.entered_at !== null ? 'entered' : 'unused';
  return {
    id: r.id,
    tenant: r.tenant,
    read_only: r.read_only === 1,
    brand: JSON.parse(r.brand) as Brand,
    status,
    expires_at: iso(r.expires_at),
    entered_at: iso(r.entered_at),
    revoked_at: iso(r.revoked_at),
    created_at: iso(r.created_at),
  };
}

/** Makes a session and its one-time entry token; `linkFor` turns the token into the URL the tenant opens. */
export async function createPortalSession(ctx: ServiceContext, input: PortalSessionInput, linkFor: (token: string) => string) {
  const problems: Problem[] = [];
  if (!input.tenant?.trim()) problems.push({ path: '/tenant', message: 'is required' });
  const ttlMs = ttlOf(input.ttl, problems);
  const brand = brandOf(input.brand, input.tenant?.trim() ?? '', problems);
  if (problems.length) throw invalid(problems);
  const now = ctx.now();
  const token = ENTRY_PREFIX + randomBytes(32).toString('base64url');
  const row: Row = {
    id: newId('psn', now),
    tenant: input.tenant.trim(),
    entry_hash: sha(token),
    session_hash: null,
    read_only: input.read_only ? 1 : 0,
    brand: JSON.stringify(brand),
    expires_at: now + ttlMs,
    entered_at: null,
    revoked_at: null,
    created_at: now,
  };
  await ctx.store.db.insertInto('portal_sessions').values(row).execute();
  return { ...sessionJson(row, now), url: linkFor(token) };
}

export async function revokePortalSession(ctx: ServiceContext, id: string): Promise<void> {
  const row = await ctx.store.db.selectFrom('portal_sessions').select(['id', 'revoked_at']).where('id', '=', id).executeTakeFirst();
  if (!row) throw notFound('portal session', id);
  if (row.revoked_at === null) await ctx.store.db.updateTable('portal_sessions').set({ revoked_at: ctx.now() }).where('id', '=', id).execute();
}

/** Revokes every live session of a tenant; answers how many it revoked. */
export async function revokeTenantPortalSessions(ctx: ServiceContext, tenant: string): Promise<number> {
  const r = await ctx.store.db
    .updateTable('portal_sessions')
    .set({ revoked_at: ctx.now() })
    .where('tenant', '=', tenant)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows);
}

function refusalOf(r: Row, now: number): Refusal {
  if (r.revoked_at !== null) return 'revoked';
  if (Number(r.expires_at) <= now) return 'expired';
  return 'used';
}

/**
 * Trades an entry token for a session token. The conditional update is the only check that counts: of two
 * processes opening the same link at once, one updates the row and the other finds it entered.
 */
export async function enterPortal(ctx: ServiceContext, entryToken: string): Promise<{ sessionToken: string; expiresAt: number }> {
  const now = ctx.now();
  const entryHash = sha(entryToken);
  const sessionToken = SESSION_PREFIX + randomBytes(32).toString('base64url');
  const r = await ctx.store.db
    .updateTable('portal_sessions')
    .set({ entered_at: now, session_hash: sha(sessionToken) })
    .where('entry_hash', '=', entryHash)
    .where('entered_at', 'is', null)
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', now)
    .executeTakeFirst();
  const row = await ctx.store.db.selectFrom('portal_sessions').selectAll().where('entry_hash', '=', entryHash).executeTakeFirst();
  if (!row) throw new PortalRefused('unknown');
  if (Number(r.numUpdatedRows) !== 1) throw new PortalRefused(refusalOf(row, now));
  return { sessionToken, expiresAt: Number(row.expires_at) };
}

/** The session a cookie stands for, read from the store on every request. */
export async function portalSessionOf(ctx: ServiceContext, sessionToken: string | null): Promise<PortalSession> {
  if (!sessionToken || !sessionToken.startsWith(SESSION_PREFIX)) throw new PortalRefused('unknown');
  const row = await ctx.store.db.selectFrom('portal_sessions').selectAll().where('session_hash', '=', sha(sessionToken)).executeTakeFirst();
  if (!row) throw new PortalRefused('unknown');
  const now = ctx.now();
  if (row.revoked_at !== null || Number(row.expires_at) <= now) throw new PortalRefused(refusalOf(row, now));
  const readOnly = row.read_only === 1;
  return {
    id: row.id,
    tenant: row.tenant,
    readOnly,
    brand: JSON.parse(row.brand) as Brand,
    expiresAt: Number(row.expires_at),
    principal: { kind: 'portal', id: row.id, tenant: row.tenant, scopes: readOnly ? READ_SCOPES : FULL_SCOPES },
    csrf: sha(`csrf:${sessionToken}`),
  };
}

/** Refuses a change a read-only session asked for. */
export function requireWritable(s: PortalSession): void {
  if (s.readOnly) throw new HeraldError('forbidden', 'this portal session is read-only: it can look but not change anything');
}
