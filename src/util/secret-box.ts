/**
 * Encryption at rest for endpoint secrets and outgoing credentials (AES-256-GCM, key from HERALD_ENCRYPTION_KEY).
 * Stored form: `enc:v1:<base64 of iv | tag | ciphertext>`. Values without the prefix are plaintext written before a
 * key was configured; they keep working and are sealed the next time they are written.
 * Error messages never include the key, a plaintext or a ciphertext.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

const KEY_VARIABLE = 'HERALD_ENCRYPTION_KEY';
const PREFIX = 'enc:v1:';
const IV_BYTES = 12;
const TAG_BYTES = 16;
// Binding the version into the tag means a value cannot be relabelled as another format version.
const AAD = Buffer.from(PREFIX, 'utf8');

/** A sealed value this process cannot open: the wrong key, no key, or a damaged value. */
export class SecretError extends Error {
  override name = 'SecretError';
}

/** True for a value in the sealed form (whatever key sealed it). */
export function isSealed(stored: string): boolean {
  return stored.startsWith(PREFIX);
}

export interface SecretBox {
  /** True when a key is configured and `seal` encrypts. */
  readonly encrypts: boolean;
  seal(plain: string): string;
  open(stored: string): string;
}

/** `variable` names where the key came from, in the error for a malformed one. */
export function makeSecretBox(keyText: string | undefined, variable = KEY_VARIABLE): SecretBox {
  const key = parseKey(keyText, variable);
  if (!key) {
    return {
      encrypts: false,
      seal: (plain) => plain,
      open(stored) {
        // Handing ciphertext back as if it were the secret would sign and authenticate with garbage.
        if (stored.startsWith(PREFIX)) throw new SecretError(`a stored secret is encrypted but ${KEY_VARIABLE} is not set`);
        return stored;
      },
    };
  }
  return {
    encrypts: true,
    seal(plain) {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      cipher.setAAD(AAD);
      const ciphertext = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return PREFIX + Buffer.concat([iv, cipher.getAuthTag(), ciphertext]).toString('base64');
    },
    open(stored) {
      if (!stored.startsWith(PREFIX)) return stored;
      const packed = Buffer.from(stored.slice(PREFIX.length), 'base64');
      if (packed.length < IV_BYTES + TAG_BYTES) throw undecryptable();
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, packed.subarray(0, IV_BYTES));
        decipher.setAAD(AAD);
        decipher.setAuthTag(packed.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
        const ciphertext = packed.subarray(IV_BYTES + TAG_BYTES);
        return Buffer.concat([decipher.update(ciphertext), decipher.final()]).toString('utf8');
      } catch {
        throw undecryptable();
      }
    },
  };
}

function undecryptable(): Error {
  return new SecretError(
    `cannot decrypt a stored secret: ${KEY_VARIABLE} is not the key it was sealed with, or the value is damaged`,
  );
}

/** 64 hex characters or base64 (standard or URL-safe) of exactly 32 bytes; unset or empty means no encryption. */
function parseKey(keyText: string | undefined, variable: string): Buffer | null {
  const text = keyText?.trim() ?? '';
  if (text === '') return null;
  if (/^[0-9a-f]{64}$/i.test(text)) return Buffer.from(text, 'hex');
  if (/^[A-Za-z0-9+/_-]{43}=?$/.test(text)) {
    const key = Buffer.from(text, 'base64');
    if (key.length === 32) return key;
  }
  throw new Error(`${variable} must be 64 hex characters or base64 of 32 bytes (e.g. \`openssl rand -hex 32\`)`);
}
