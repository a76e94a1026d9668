import { randomBytes } from 'node:crypto';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { makeSecretBox } from '../../src/util/secret-box.js';

const HEX_KEY = randomBytes(32).toString('hex');
const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';

describe('makeSecretBox with a key', () => {
  it('round-trips with a hex key and a base64 key', () => {
    const raw = randomBytes(32);
    for (const keyText of [raw.toString('hex'), raw.toString('base64'), raw.toString('base64url')]) {
      const box = makeSecretBox(keyText);
      assert.equal(box.encrypts, true);
      const sealed = box.seal(SECRET);
      assert.match(sealed, /^enc:v1:[A-Za-z0-9+/]+=*$/);
      assert.ok(!sealed.includes(SECRET));
      assert.equal(box.open(sealed), SECRET);
      // The same key in the other notation opens it too.
      assert.equal(makeSecretBox(raw.toString('hex')).open(sealed), SECRET);
    }
  });

  it('packs a 12-byte IV and a 16-byte tag before the ciphertext', () => {
    const sealed = makeSecretBox(HEX_KEY).seal('abc');
    assert.equal(Buffer.from(sealed.slice('enc:v1:'.length), 'base64').length, 12 + 16 + 3);
  });

  it('uses a fresh IV each time', () => {
    const box = makeSecretBox(HEX_KEY);
    assert.notEqual(box.seal(SECRET), box.seal(SECRET));
  });

  it('round-trips empty and non-ASCII text', () => {
    const box = makeSecretBox(HEX_KEY);
    for (const plain of ['', 'user:clé-密钥-🔑']) assert.equal(box.open(box.seal(plain)), plain);
  });

  it('returns values stored before a key was set as they are', () => {
    assert.equal(makeSecretBox(HEX_KEY).open(SECRET), SECRET);
  });

  it('refuses a wrong key or a damaged value without revealing anything', () => {
    const sealed = makeSecretBox(HEX_KEY).seal(SECRET);
    const other = makeSecretBox(randomBytes(32).toString('hex'));
    assert.throws(() => other.open(sealed), (error: Error) => {
      assert.match(error.message, /cannot decrypt a stored secret: HERALD_ENCRYPTION_KEY/);
      assert.ok(!error.message.includes(SECRET) && !error.message.includes(sealed.slice(7)));
      return true;
    });
    const bytes = Buffer.from(sealed.slice(7), 'base64');
    bytes[bytes.length - 1]! ^= 1;
    assert.throws(() => makeSecretBox(HEX_KEY).open(`enc:v1:${bytes.toString('base64')}`), /cannot decrypt/);
    assert.throws(() => makeSecretBox(HEX_KEY).open('enc:v1:AAAA'), /cannot decrypt/);
  });
});

describe('makeSecretBox without a key', () => {
  it('stores plaintext for unset and empty keys', () => {
    for (const keyText of [undefined, '', '  ']) {
      const box = makeSecretBox(keyText);
      assert.equal(box.encrypts, false);
      assert.equal(box.seal(SECRET), SECRET);
      assert.equal(box.open(SECRET), SECRET);
    }
  });

  it('refuses to hand out a sealed value as if it were the secret', () => {
    const sealed = makeSecretBox(HEX_KEY).seal(SECRET);
    assert.throws(() => makeSecretBox(undefined).open(sealed), /HERALD_ENCRYPTION_KEY is not set/);
  });
});

describe('makeSecretBox key validation', () => {
  it('names the variable and never echoes the key', () => {
    const bad = [
      HEX_KEY.slice(2), // 31 bytes of hex
      `${HEX_KEY}00`,
      randomBytes(16).toString('base64'),
      randomBytes(33).toString('base64'),
      'correct horse battery staple',
      `${HEX_KEY.slice(1)}g`,
    ];
    for (const keyText of bad) {
      assert.throws(() => makeSecretBox(keyText), (error: Error) => {
        assert.match(error.message, /^HERALD_ENCRYPTION_KEY must be 64 hex characters or base64 of 32 bytes/);
        assert.ok(!error.message.includes(keyText), 'the key must not appear in the message');
        return true;
      });
    }
  });
});
