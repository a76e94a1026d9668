import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { maskHeaders } from '../../src/delivery/mask.js';

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
