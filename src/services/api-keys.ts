/**
 * Tenant API keys. A key is `hk_` and 32 random bytes (base64url), shown once when it is made; Herald keeps its
 * SHA-256 and a short prefix to tell keys apart in lists. Keys are high-entropy, so a fast hash is enough: nobody
 * can guess one from its digest. Each request looks its key up by hash, so a revoked or expired key stops working
 * at once on every process sharing the database.
 */
import { hash, randomBytes } from 'node:crypto';
import type { Selectable } from 'kysely';
import { HeraldError, invalid, notFound, type Problem } from '../errors.js';
import { newId } from '../ids.js';
import { selectKeyByHash } from '../store/queries/api-keys.js';
import type { ApiKeysTable } from '../store/schema.js';
import type { ServiceContext } from './context.js';
import { SCOPES, type Principal, type Scope } from './principal.js';

export const KEY_PREFIX = 'hk_';
/** Characters of a key shown in lists: `hk_` and the first eight of its random part. */
const VISIBLE = KEY_PREFIX.length + 8;

export interface ApiKeyInput {
  name: string;
  tenant: string;
  scopes: string[];
  expires_at?: string | null;
}

type Row = Selectable<ApiKeysTable>;

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

export function hashApiKey(key: string): string {
  return hash('sha256', key, 'hex');
}

export function looksLikeApiKey(token: string): boolean {
  return token.startsWith(KEY_PREFIX);
}

function keyJson(r: Row, now: number) {
  return {
    id: r.id,
    name: r.name,
    tenant: r.tenant,
    scopes: JSON.parse(r.scopes) as Scope[],
    prefix: r.prefix,
    status: r.revoked_at !== null ? 'revoked' : r.expires_at !== null && r.expires_at <= now ? 'expired' : 'active',
    expires_at: iso(r.expires_at),
    revoked_at: iso(r.revoked_at),
    created_at: iso(r.created_at),
  };
}

function inputProblems(input: ApiKeyInput, now: number): { problems: Problem[]; expiresAt: number | null } {
  const problems: Problem[] = [];
  const allowed = [...SCOPES];
  input.scopes.forEach((s, i) => {
    if (!(SCOPES as readonly string[]).includes(s)) problems.push({ path: `/scopes/${i}`, message: `unknown scope ${JSON.stringify(s)}; must be one of ${allowed.join(', ')}`, allowed });
  });
  if (input.scopes.length === 0) problems.push({ path: '/scopes', message: `give at least one scope of ${allowed.join(', ')}`, allowed });
  let expiresAt: number | null = null;
  if (input.expires_at !== undefined && input.expires_at !== null) {
    const ms = Date.parse(input.expires_at);
    if (Number.isNaN(ms) || !/^\d{4}-\d{2}-\d{2}T/.test(input.expires_at)) {
      problems.push({ path: '/expires_at', message: 'must be an ISO-8601 time such as 2030-01-31T12:00:00Z' });
    } else if (ms <= now) problems.push({ path: '/expires_at', message: 'must be in the future' });
    else expiresAt = ms;
  }
  return { problems, expiresAt };
}

/** Makes a key; the answer is the only place the key itself ever appears. */
export async function createApiKey(ctx: ServiceContext, input: ApiKeyInput) {
  const now = ctx.now();
  const { problems, expiresAt } = inputProblems(input, now);
  if (problems.length) throw invalid(problems);
  const key = KEY_PREFIX + randomBytes(32).toString('base64url');
  const row: Row = {
    id: newId('key', now),
    name: input.name,
    tenant: input.tenant,
    scopes: JSON.stringify([...new Set(input.scopes)]),
    prefix: key.slice(0, VISIBLE),
    key_hash: hashApiKey(key),
    expires_at: expiresAt,
    revoked_at: null,
    created_at: now,
  };
  await ctx.store.db.insertInto('api_keys').values(row).execute();
  return { ...keyJson(row, now), key };
}

export async function listApiKeys(ctx: ServiceContext, f: { tenant?: string; cursor?: string; limit: number }) {
  let q = ctx.store.db.selectFrom('api_keys').selectAll().orderBy('id').limit(f.limit + 1);
  if (f.tenant) q = q.where('tenant', '=', f.tenant);
  if (f.cursor) q = q.where('id', '>', f.cursor);
  const rows = await q.execute();
  const page = rows.slice(0, f.limit);
  const now = ctx.now();
  return { data: page.map((r) => keyJson(r, now)), next_cursor: rows.length > f.limit ? page[page.length - 1]!.id : null };
}

/** Revokes a key at once; revoking it again changes nothing. The row stays, so lists show when it was revoked. */
export async function revokeApiKey(ctx: ServiceContext, id: string): Promise<void> {
  const row = await ctx.store.db.selectFrom('api_keys').select(['id', 'revoked_at']).where('id', '=', id).executeTakeFirst();
  if (!row) throw notFound('API key', id);
  if (row.revoked_at === null) await ctx.store.db.updateTable('api_keys').set({ revoked_at: ctx.now() }).where('id', '=', id).execute();
}

/**
 * The principal a presented key stands for. Unknown, revoked and expired keys are all 401; the message says
 * which of the latter two, since the caller demonstrably held the key.
 */
export async function principalOfKey(ctx: ServiceContext, key: string): Promise<Principal> {
  const [row] = await selectKeyByHash(ctx.store.db, hashApiKey(key));
  if (!row) throw new HeraldError('unauthorized', 'invalid API key');
  if (row.revoked_at !== null) throw new HeraldError('unauthorized', 'this API key was revoked');
  if (row.expires_at !== null && Number(row.expires_at) <= ctx.now()) throw new HeraldError('unauthorized', 'this API key has expired');
  return { kind: 'key', id: row.id, tenant: row.tenant, scopes: JSON.parse(row.scopes) as Scope[] };
}
