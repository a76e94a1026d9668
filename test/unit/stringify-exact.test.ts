import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseLossless, stringifyExact } from '../../src/util/lossless-json.js';

describe('stringifyExact', () => {
  it('writes back what parseLossless read, numbers as spelled', () => {
    const text = '{"disk_id":1234567890123456789,"ids":[9007199254740993,-9223372036854775808,-0,1E+2,1.50],"s":"é\\u2028","o":{"":null,"t":true}}';
    assert.equal(stringifyExact(parseLossless(text)), text.replace('\\u2028', '\u2028'));
  });

  it('writes plain values as JSON.stringify does', () => {
    const samples: unknown[] = [
      { a: undefined, b: [undefined, () => 1, 2], c: new Date(0), d: { toJSON: () => 'x' } },
      [1e21, 5e-7, -0, NaN, Infinity],
      'text "quoted"',
      null,
      { __proto__key: 1, ['__proto__']: { x: 1 }, '10': 'ten', '9': 'nine' },
    ];
    for (const value of samples) assert.equal(stringifyExact(value), JSON.stringify(value));
  });

  it('indents as JSON.stringify does with a third argument', () => {
    const value = { a: [1, { b: [], c: {} }, 'x'], d: { e: null, f: undefined }, g: [] };
    assert.equal(stringifyExact(value, 2), JSON.stringify(value, null, 2));
    assert.equal(stringifyExact(parseLossless('{"id":1234567890123456789,"l":[1.50]}'), 2), '{\n  "id": 1234567890123456789,\n  "l": [\n    1.50\n  ]\n}');
  });
});
