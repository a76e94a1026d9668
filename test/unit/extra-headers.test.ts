import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { canonicalHeaderName, headerValueProblem, reservedHeaderProblem } from '../../src/formats/headers.js';

describe('extra headers', () => {
  it('refuses the names Herald sets itself, in any case', () => {
    for (const name of ['Content-Type', 'content-type', 'AUTHORIZATION', 'X-Auth-Token', 'x-auth-token', 'webhook-id', 'Webhook-Signature', 'webhook-timestamp', 'Host', 'Content-Length']) {
      assert.notEqual(reservedHeaderProblem(name), null, name);
    }
  });

  it('accepts ordinary names', () => {
    for (const name of ['Test', 'X-Tenant', 'Accept', 'x-foo-bar']) assert.equal(reservedHeaderProblem(name), null, name);
  });

  it('refuses names that are not HTTP tokens and values with line breaks', () => {
    assert.notEqual(reservedHeaderProblem(''), null);
    assert.notEqual(reservedHeaderProblem('X Foo'), null);
    assert.notEqual(reservedHeaderProblem('X:Foo'), null);
    assert.notEqual(headerValueProblem('a\r\nInjected: 1'), null);
    assert.equal(headerValueProblem('plain value'), null);
  });

  it('canonicalises names the way Go does', () => {
    assert.equal(canonicalHeaderName('test'), 'Test');
    assert.equal(canonicalHeaderName('x-foo-bar'), 'X-Foo-Bar');
    assert.equal(canonicalHeaderName('X-YUNION-thing'), 'X-Yunion-Thing');
  });
});
