import { createHmac, createSecretKey, randomBytes, type KeyObject } from 'node:crypto';

const STANDARD_PREFIX = 'whsec_';

/** The HMAC key of a Standard Webhooks secret is the base64-decoded part after `whsec_`. */
// Decoded keys by secret: every delivery to a signing endpoint signs with the same few secrets. Bounded, and
// cleared rather than evicted one by one, since a real deployment holds far fewer secrets than this.
const keys = new Map<string, KeyObject>();

function standardKey(secret: string): KeyObject {
  let key = keys.get(secret);
  if (!key) {
    const encoded = secret.startsWith(STANDARD_PREFIX) ? secret.slice(STANDARD_PREFIX.length) : secret;
    key = createSecretKey(Buffer.from(encoded, 'base64'));
    if (keys.size >= 10_000) keys.clear();
    keys.set(secret, key);
  }
  return key;
}

/** One `v1,<base64>` entry: HMAC-SHA256 over `${id}.${timestamp}.${body}`, the exact bytes sent. */
export function signStandard(secret: string, id: string, timestamp: number | string, body: string): string {
  const mac = createHmac('sha256', standardKey(secret)).update(`${id}.${timestamp}.${body}`, 'utf8').digest('base64');
  return `v1,${mac}`;
}

/** Every secret signs, so a receiver still holding the previous secret keeps verifying during rotation. */
export function standardSignatureHeader(
  secrets: readonly string[],
  id: string,
  timestamp: number | string,
  body: string,
): string {
  return secrets.map((secret) => signStandard(secret, id, timestamp, body)).join(' ');
}

/** A new `whsec_` secret: 32 random bytes, inside the 24-64 bytes the specification allows. */
export function generateStandardSecret(): string {
  return STANDARD_PREFIX + randomBytes(32).toString('base64');
}

/** Cloudpods' X-Auth-Token: the key is the secret's own UTF-8 bytes, not a decoded value. */
export function hmacSha256Hex(secret: string, body: string): string {
  return createHmac('sha256', Buffer.from(secret, 'utf8')).update(body, 'utf8').digest('hex');
}
