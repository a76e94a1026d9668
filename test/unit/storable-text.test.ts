import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { asciiText, storableBytes, storableText } from '../../src/util/storable-text.js';

describe('storable text', () => {
  it('replaces NUL and lone surrogates by U+FFFD and keeps surrogate pairs', () => {
    assert.equal(storableText('a\u0000b\uD800c\uDC00d\uD83D\uDE00'), 'a\uFFFDb\uFFFDc\uFFFDd\uD83D\uDE00');
    assert.equal(storableText('plain text'), 'plain text');
  });

  it('decodes UTF-8 with invalid sequences replaced, as the WHATWG decoder splits them', () => {
    assert.equal(storableBytes(Buffer.from([0x61, 0x00, 0xff, 0xc0, 0xaf, 0xe2, 0x82, 0x41]), 100), 'a\uFFFD\uFFFD\uFFFD\uFFFD\uFFFDA');
  });

  it('bounds the UTF-8 size and never cuts a character in two', () => {
    assert.equal(storableText('€€€', 7), '€€');
    assert.equal(storableBytes(Buffer.from('héllo€'), 7), 'héllo');
    assert.equal(storableBytes(Buffer.from('héllo€'), 9), 'héllo€');
    const long = storableBytes(Buffer.alloc(10_000, 0xff), 4096);
    assert.ok(Buffer.byteLength(long) <= 4096 && Buffer.byteLength(long) > 4092);
  });

  it('ASCII form: \\u escapes, a cut never leaves half an escape', () => {
    assert.equal(asciiText('日本\u0000x'), '\\u65e5\\u672c\\ufffdx');
    assert.equal(asciiText('日本', 8), '\\u65e5');
    // JSON stays JSON, with the same value: the reduced form of an attempt's request is still readable.
    assert.deepEqual(JSON.parse(asciiText(JSON.stringify({ a: 'ü\u0000' }))), { a: 'ü\u0000' });
  });
});
