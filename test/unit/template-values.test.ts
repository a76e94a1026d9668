import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { renderTemplate } from '../../src/formats/template/index.js';
import { GoFloat, GoInt, fromJs, numberFromText } from '../../src/formats/template/values.js';

/** The value layer: numbers reach templates exact, typed as Go's decoding or jsonutils would type them. */
const lossless = (value: string) => ({ isLosslessNumber: true, value });

describe('template values', () => {
  it('keeps integers of 64 bits exact and their text, typed int or int64', () => {
    const n = numberFromText('9007199254740993', 'int64');
    assert.ok(n instanceof GoInt);
    assert.equal(n.value, 9007199254740993n);
    assert.equal(n.type, 'int64');
    assert.equal(n.text, '9007199254740993');
    assert.equal((numberFromText('-9223372036854775808', 'int') as GoInt).value, -(2n ** 63n));
    assert.equal((numberFromText('-0', 'int') as GoInt).value, 0n);
  });

  it('makes float64 of fractions, exponents and integers beyond int64, keeping the text', () => {
    for (const [text, value] of [['1.0', 1], ['1e3', 1000], ['9223372036854775808', 2 ** 63], ['-2.5', -2.5]] as const) {
      const n = numberFromText(text, 'int64');
      assert.ok(n instanceof GoFloat, text);
      assert.equal(n.value, value);
      assert.equal(n.text, text);
    }
  });

  it('reads lossless numbers, bigints and plain numbers in nested data', () => {
    const data = fromJs({ a: lossless('1234567890123456789'), b: [lossless('1.50'), 7n, 2 ** 64, 3] }, 'int64') as Map<string, unknown>;
    assert.equal((data.get('a') as GoInt).value, 1234567890123456789n);
    const b = data.get('b') as unknown[];
    assert.ok(b[0] instanceof GoFloat && b[0].text === '1.50');
    assert.ok(b[1] instanceof GoInt && b[1].type === 'int64');
    assert.ok(b[2] instanceof GoFloat);
    assert.ok(b[3] instanceof GoInt && b[3].value === 3n);
  });

  it('renders lossless data exactly in both modes', () => {
    const data = { id: lossless('1234567890123456789'), f: lossless('1.0'), big: lossless('18446744073709551616') };
    const src = '{{.id}} {{printf "%T %d" .id .id}} {{.f}} {{printf "%T" .f}} {{.big}}';
    assert.equal(renderTemplate(src, data, { mode: 'cloudpods' }), '1234567890123456789 int64 1234567890123456789 1 float64 1.8446744073709552e+19');
    assert.equal(renderTemplate(src, data, { mode: 'go' }), '1234567890123456789 int 1234567890123456789 1 float64 1.8446744073709552e+19');
  });
});
