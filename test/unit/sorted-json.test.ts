import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { compareUtf8, sortedJson } from '../../src/formats/sorted-json.js';

describe('sorted JSON', () => {
  it('sorts keys at every depth by UTF-8 bytes and writes compact JSON', () => {
    assert.equal(
      sortedJson({ b: [{ z: 1, y: null }], a: { d: true, c: 'x' }, '😀': 1, '\uff01': 2, B: 0 }),
      '{"B":0,"a":{"c":"x","d":true},"b":[{"y":null,"z":1}],"！":2,"😀":1}',
    );
    assert.ok(compareUtf8('\uff01', '😀') < 0);
    assert.ok('\uff01' > '😀', 'JS order differs, which is why compareUtf8 exists');
  });

  it('escapes as jsonutils does: no HTML escaping, U+2028 and U+2029 raw', () => {
    assert.equal(sortedJson('<a href="x">&amp;</a>'), '"<a href=\\"x\\">&amp;</a>"');
    assert.equal(sortedJson('\b\f\n\r\t\u0001\u001f\\'), '"\\b\\f\\n\\r\\t\\u0001\\u001f\\\\"');
    assert.equal(sortedJson('a\u2028b\u2029c'), '"a\u2028b\u2029c"');
    assert.equal(sortedJson('北京 é 😀'), '"北京 é 😀"');
    assert.equal(sortedJson('lone \ud800 surrogate \udc00'), '"lone \ufffd surrogate \ufffd"');
  });

  it('writes numbers as jsonutils does (plain decimals, no exponent), booleans and null as JSON does, and drops undefined members', () => {
    assert.equal(sortedJson({ n: 1.5, i: -3, big: 1e21, small: 1e-7, t: true, u: undefined, z: null }), '{"big":1000000000000000000000,"i":-3,"n":1.5,"small":0.0000001,"t":true,"z":null}');
    assert.equal(sortedJson([undefined, NaN]), '[null,null]');
  });
});
