import { prepared } from '../prepared.js';

/** The key with this hash, if one is stored: asked on every request a key makes, through the unique index. */
export const selectKeyByHash = prepared((db, keyHash: string) =>
  db.selectFrom('api_keys').select(['id', 'tenant', 'scopes', 'expires_at', 'revoked_at']).where('key_hash', '=', keyHash),
);
