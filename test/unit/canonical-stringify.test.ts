import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { canonicalJson, canonicalStringify } from '../../src/incoming/canonical-state.js';
import { parseLossless } from '../../src/util/lossless-json.js';

// Digests of callbacks already stored were taken as JSON.stringify(canonicalJson(x)): the one-pass form must give
// the same bytes, or a body sent again after an upgrade would no longer be recognised.
describe('canonicalStringify', () => {
  const samples: unknown[] = [
    { source_message_id: 'msg_1', type: 'RESOURCE', action: 'UPDATED', data: { resources: [{ id: 'vm', type: 'VM', config: { z: 1, a: [1, 'x', null, true], m: { b: 2, a: 1 } } }] } },
    { b: undefined, a: 1, c: [undefined, 2], d: { '': 0, é: 'ü', '\u2028': 'line', 'quote"': '\\' } },
    { n: -0, big: 1e21, small: 5e-7, neg: -3.25, arr: [], obj: {}, nested: [[[]], [{}]] },
    { __proto__key: 1, ['__proto__']: { x: 1 }, Z: 1, a: 2, B: 3, '10': 'ten', '9': 'nine' },
    [3, 'two', { one: 1 }],
    'plain string',
    42,
    null,
    { date: new Date(0) },
    { '4294967294': 'last index', '4294967295': 'not an index', '007': 'not an index', '0': 0, '1': 1, '-1': 'no' },
  ];
  for (const [i, value] of samples.entries()) {
    it(`gives the bytes of JSON.stringify(canonicalJson(value)) (sample ${i})`, () => {
      assert.equal(canonicalStringify(value), JSON.stringify(canonicalJson(value)));
    });
  }

  it('sorts keys by code unit, not by locale', () => {
    assert.equal(canonicalStringify({ b: 1, a: 2, B: 3, á: 4 }), '{"B":3,"a":2,"b":1,"á":4}');
  });

  // Configs are now read losslessly; a body stored before then must keep its digest.
  it('gives a losslessly read body the digest of the same body read by JSON.parse, when its numbers fit a double', () => {
    const text = '{"config":{"size":1.50,"n":-0,"e":1E+2,"big":1e21,"tiny":5e-7,"safe":9007199254740991,"pi":3.14159,"huge":1e400}}';
    assert.equal(canonicalStringify(parseLossless(text)), canonicalStringify(JSON.parse(text)));
  });

  it('spells integers beyond a double exactly, so different 64-bit ids give different digests', () => {
    const a = canonicalStringify(parseLossless('{"id":1234567890123456789}'));
    const b = canonicalStringify(parseLossless('{"id":1234567890123456788}'));
    assert.equal(a, '{"id":1234567890123456789}');
    assert.notEqual(a, b);
    assert.equal(canonicalStringify(parseLossless('{"id":9007199254740992}')), '{"id":9007199254740992}', 'an integer a double holds exactly is spelled as before');
  });
});
