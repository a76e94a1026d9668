import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isSecretName, makeRedactor, maskHeaders, maskUrl, urlCredentials } from '../../src/delivery/mask.js';

describe('maskHeaders (what the attempt log keeps of a request)', () => {
  it('keeps the scheme of an Authorization header and hides the credential', () => {
    assert.deepEqual(maskHeaders({ Authorization: 'Bearer user:key' }), { Authorization: 'Bearer ****' });
    assert.deepEqual(maskHeaders({ authorization: 'Basic dXNlcjpwYXNz' }), { authorization: 'Basic ****' });
    assert.deepEqual(maskHeaders({ AUTHORIZATION: 'Bearer  two  spaces' }), { AUTHORIZATION: 'Bearer ****' });
  });

  it('hides an Authorization value of any other shape whole, never echoing it', () => {
    for (const value of ['just-a-token', 'Bearer', 'Bearer ', 'Be-arer secret', ' Bearer secret', 'Bearer\tsecret', '']) {
      assert.deepEqual(maskHeaders({ Authorization: value }), { Authorization: '****' }, JSON.stringify(value));
    }
  });

  it('hides the other credential headers whatever their case, and leaves the rest as sent', () => {
    const masked = maskHeaders({
      'X-Auth-Token': 'abc123',
      'webhook-signature': 'v1,xyz',
      'Proxy-Authorization': 'Basic p',
      Cookie: 'session=1',
      'Content-Type': 'application/json',
      'webhook-id': 'msg_1',
    });
    assert.deepEqual(masked, {
      'X-Auth-Token': '****',
      'webhook-signature': '****',
      'Proxy-Authorization': '****',
      Cookie: '****',
      'Content-Type': 'application/json',
      'webhook-id': 'msg_1',
    });
  });
});

describe('secret names, URLs and echoes', () => {
  it('masks a header whose name holds auth, token, key, secret, signature, cookie or password, in any case', () => {
    const masked = maskHeaders({ 'X-Api-Key': 'a', 'X-SESSION-COOKIE': 'b', 'x-client-secret': 'c', 'My-Password': 'd', 'X-Signature-256': 'e', 'X-Team': 'blue' });
    assert.deepEqual(masked, { 'X-Api-Key': '****', 'X-SESSION-COOKIE': '****', 'x-client-secret': '****', 'My-Password': '****', 'X-Signature-256': '****', 'X-Team': 'blue' });
    assert.equal(isSecretName('Keep-Alive'), false);
  });

  it('masks userinfo and secret-named query values, keeping the rest of the URL as written', () => {
    assert.equal(maskUrl('https://ops:pw@h.example/p?access_token=t1&team=a%20b&Key=k#frag'), 'https://****@h.example/p?access_token=****&team=a%20b&Key=****#frag');
    assert.equal(maskUrl('https://h.example/p?flag&token='), 'https://h.example/p?flag&token=');
    assert.equal(maskUrl('https://h.example/hook'), 'https://h.example/hook');
    assert.deepEqual(urlCredentials('https://ops:p%40ss@h/p?sig_secret=a%2Bb&x=1'), ['ops', 'ops', 'p%40ss', 'p@ss', 'a%2Bb', 'a+b']);
  });

  it('redacts each credential as given, JSON-escaped and URL-encoded, longest first; short values are left alone', () => {
    const redact = makeRedactor(['s3cr"et', 'Bearer u:s3cr"et', 'ab']);
    assert.equal(redact('got Bearer u:s3cr"et and s3cr\\"et and s3cr%22et; ab stays'), 'got **** and **** and ****; ab stays');
  });
});
