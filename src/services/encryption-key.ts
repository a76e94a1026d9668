import { sql } from 'kysely';
import { ConfigError } from '../config.js';
import type { Db, Store } from '../store/database.js';
import { isSealed, makeSecretBox, type SecretBox } from '../util/secret-box.js';

/**
 * HERALD_ENCRYPTION_KEY against the store. A canary (a known text sealed with the key, in `settings`) tells at
 * start whether this key opens what is sealed: a wrong or missing key stops Herald at once with a clear reason,
 * instead of every delivery failing later with `secret`.
 */
export const KEY_VARIABLE = 'HERALD_ENCRYPTION_KEY';
export const NEW_KEY_VARIABLE = 'HERALD_NEW_ENCRYPTION_KEY';
const CANARY_KEY = 'encryption_canary';
const CANARY_TEXT = 'herald encryption canary v1';

/** Endpoint columns that hold sealed values. */
const SEALED_COLUMNS = ['auth_key', 'secret', 'previous_secret', 'headers'] as const;

async function readCanary(db: Db): Promise<string | null> {
  const row = await db.selectFrom('settings').select('value').where('key', '=', CANARY_KEY).executeTakeFirst();
  return row?.value ?? null;
}

function opens(box: SecretBox, stored: string): boolean {
  try {
    return box.open(stored) !== undefined;
  } catch {
    return false;
  }
}

function wrongKey(): ConfigError {
  return new ConfigError(KEY_VARIABLE, 'cannot open the values sealed in the store: it is not the key they were sealed with (to change keys, run `herald rekey`)');
}

/** Sealed values of endpoints, a few: enough to tell a wrong key from a right one where no canary was written yet. */
async function sampleSealed(db: Db, limit: number): Promise<string[]> {
  const rows = await db
    .selectFrom('endpoints')
    .select(SEALED_COLUMNS)
    .where((eb) => eb.or(SEALED_COLUMNS.map((c) => eb(c, 'like', 'enc:v1:%'))))
    .limit(limit)
    .execute();
  return rows.flatMap((r) => SEALED_COLUMNS.map((c) => r[c]).filter((v): v is string => v !== null && isSealed(v)));
}

/**
 * Refuses (a ConfigError naming HERALD_ENCRYPTION_KEY) when the key cannot open what the store holds sealed, or
 * when sealed values exist and no key is set. With a key and no canary yet, checks what is sealed and writes one.
 */
export async function checkEncryptionKey(store: Store, box: SecretBox): Promise<void> {
  const canary = await readCanary(store.db);
  if (!box.encrypts) {
    if (canary !== null || (await sampleSealed(store.db, 1)).length > 0) {
      throw new ConfigError(KEY_VARIABLE, 'is not set, but the store holds values sealed with a key: set it to that key');
    }
    return;
  }
  if (canary !== null) {
    if (!opens(box, canary)) throw wrongKey();
    return;
  }
  for (const value of await sampleSealed(store.db, 20)) if (!opens(box, value)) throw wrongKey();
  await store.db
    .insertInto('settings')
    .values({ key: CANARY_KEY, value: box.seal(CANARY_TEXT) })
    .onConflict((oc) => oc.column('key').doNothing())
    .execute();
  // Another process starting at the same moment may have written its canary first, with another key.
  const written = await readCanary(store.db);
  if (written === null || !opens(box, written)) throw wrongKey();
}

export interface RekeyResult {
  endpoints: number;
  values: number;
}

/**
 * Re-seals every sealed value (endpoint credentials, secrets, extra headers, the canary) under `newKey`, in one
 * transaction: a value the old key cannot open aborts it with nothing changed. Values stored in plain (written
 * before a key was set) are sealed too.
 */
export async function rekeyStore(store: Store, oldKey: string | undefined, newKey: string | undefined): Promise<RekeyResult> {
  const oldBox = makeSecretBox(oldKey, KEY_VARIABLE);
  const newBox = makeSecretBox(newKey, NEW_KEY_VARIABLE);
  if (!newBox.encrypts) throw new ConfigError(NEW_KEY_VARIABLE, 'is not set: give the key to re-seal with (e.g. `openssl rand -hex 32`)');
  return store.db.transaction().execute(async (trx) => {
    if (store.caps.dialect === 'postgres') {
      // Endpoints created or edited meanwhile would be sealed with the old key after this commits.
      await sql`lock table endpoints in share row exclusive mode`.execute(trx);
    }
    const canary = await readCanary(trx);
    if (canary !== null && !opens(oldBox, canary)) throw wrongKey();
    const rows = await trx.selectFrom('endpoints').select(['id', ...SEALED_COLUMNS]).orderBy('id').execute();
    let values = 0;
    for (const row of rows) {
      const next: Partial<Record<(typeof SEALED_COLUMNS)[number], string>> = {};
      for (const column of SEALED_COLUMNS) {
        const stored = row[column];
        if (stored === null) continue;
        let plain: string;
        try {
          plain = oldBox.open(stored);
        } catch {
          throw new ConfigError(KEY_VARIABLE, `cannot open ${column} of endpoint ${row.id}: it is not the key that value was sealed with, or the value is damaged; nothing was changed`);
        }
        next[column] = newBox.seal(plain);
        values++;
      }
      if (Object.keys(next).length > 0) await trx.updateTable('endpoints').set(next).where('id', '=', row.id).execute();
    }
    await trx
      .insertInto('settings')
      .values({ key: CANARY_KEY, value: newBox.seal(CANARY_TEXT) })
      .onConflict((oc) => oc.column('key').doUpdateSet({ value: newBox.seal(CANARY_TEXT) }))
      .execute();
    return { endpoints: rows.length, values };
  });
}
