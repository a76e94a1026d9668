import { createHash } from 'node:crypto';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { callbackKeyMatches, hashCallbackKey, safeEqual } from '../../src/util/constant-time.js';

describe('safeEqual', () => {
  it('is true only for identical strings, whatever their lengths', () => {
    assert.equal(safeEqual('token-abc', 'token-abc'), true);
    assert.equal(safeEqual('', ''), true);
    assert.equal(safeEqual('token-abc', 'token-abd'), false);
    assert.equal(safeEqual('token-abc', 'token-ab'), false);
    assert.equal(safeEqual('token', ''), false);
    assert.equal(safeEqual('é', 'e\u0301'), false);
  });
});

describe('hashCallbackKey', () => {
  it('is the SHA-256 hex digest of the key', () => {
    const key = 'ck_9f2b7c';
    assert.equal(hashCallbackKey(key), createHash('sha256').update(key).digest('hex'));
    assert.match(hashCallbackKey(key), /^[0-9a-f]{64}$/);
    assert.notEqual(hashCallbackKey(key), hashCallbackKey(`${key}x`));
  });
});

describe('callbackKeyMatches', () => {
  it('is true only for the key whose hash is stored', () => {
    const stored = hashCallbackKey('ck_9f2b7c');
    assert.equal(callbackKeyMatches('ck_9f2b7c', stored), true);
    assert.equal(callbackKeyMatches('ck_9f2b7d', stored), false);
    assert.equal(callbackKeyMatches('', stored), false);
    assert.equal(callbackKeyMatches('ck_9f2b7c', ''), false, 'a stored value that is not a digest never matches');
    assert.equal(callbackKeyMatches('ck_9f2b7c', 'zz'), false);
  });
});
