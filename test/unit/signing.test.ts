import { createHmac } from 'node:crypto';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Webhook } from 'standardwebhooks';

import {
  generateStandardSecret,
  hmacSha256Hex,
  signStandard,
  standardSignatureHeader,
} from '../../src/formats/signing.js';

describe('signing', () => {
  it('matches the Standard Webhooks known-answer vectors', () => {
    assert.equal(
      signStandard('whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', 'msg_p5jXN8AQM9LWM0D4loKWxJek', 1614265330, '{"test": 2432232314}'),
      'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
    );
    assert.equal(
      signStandard(
        'whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD',
        'msg_27UH4WbU6Z5A5EzD8u03UvzRbpk',
        '1649367553',
        '{"email":"test@example.com","username":"test_user"}',
      ),
      'v1,tZ1I4/hDygAJgO5TYxiSd6Sd0kDW6hPenDe+bTa3Kkw=',
    );
  });

  it('joins one entry per secret with spaces', () => {
    const header = standardSignatureHeader(['whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'], 'msg_p5jXN8AQM9LWM0D4loKWxJek', 1614265330, '{"test": 2432232314}');
    assert.equal(header, 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE= v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=');
    assert.equal(standardSignatureHeader([], 'id', 1, 'b'), '');
  });

  it('generates whsec_ secrets of 32 random bytes that the standardwebhooks package accepts', () => {
    const a = generateStandardSecret();
    const b = generateStandardSecret();
    assert.match(a, /^whsec_[A-Za-z0-9+/]{43}=$/);
    assert.notEqual(a, b);
    assert.equal(Buffer.from(a.slice(6), 'base64').length, 32);
    const now = Math.floor(Date.now() / 1000);
    const body = '{"ok":true}';
    const headers = { 'webhook-id': 'msg_x', 'webhook-timestamp': String(now), 'webhook-signature': signStandard(a, 'msg_x', now, body) };
    assert.deepEqual(new Webhook(a).verify(body, headers), { ok: true });
  });

  it('computes the cloudpods token with the secret string as the key', () => {
    const body = '{"Msg":"This is a validate message."}';
    const expected = createHmac('sha256', 'pa55-wörd').update(body).digest('hex');
    assert.equal(hmacSha256Hex('pa55-wörd', body), expected);
    assert.match(expected, /^[0-9a-f]{64}$/);
  });
});
