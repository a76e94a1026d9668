import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { compactJson, detached, memberText, objectMembers } from '../src/util/raw-json.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

function heapAfterGc(): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

/** Bodies of about 1 MiB, each with a small `data` member, as a batch publish would carry. */
function bodies(n: number): string[] {
  return Array.from({ length: n }, (_, i) => JSON.stringify({ pad: 'p'.repeat(1 << 20) + i, data: { note: 'n'.repeat(1000) + i } }));
}

describe('values cut from a request body', () => {
  it('compactJson keeps none of the body it was cut from alive', () => {
    const before = heapAfterGc();
    const texts = bodies(40);
    const kept = texts.map((t) => compactJson(memberText(objectMembers(t), 'data')!));
    texts.length = 0;
    const growth = heapAfterGc() - before;
    // 40 bodies of 1 MiB were released; 40 values of 1 KiB remain.
    assert.ok(growth < 4 * 1024 * 1024, `heap after keeping 40 values of 1 KiB: ${(growth / 1048576).toFixed(1)} MiB more, not their bodies`);
    assert.equal(kept[7], `{"note":"${'n'.repeat(1000)}7"}`);
  });

  it('compactJson copies a value whose whitespace it removed, too', () => {
    const before = heapAfterGc();
    const texts = Array.from({ length: 40 }, (_, i) => `{"pad":"${'p'.repeat(1 << 20)}","data": { "a" : [1, 2,\n 3], "note": "${'n'.repeat(1000)}", "i": ${i} }}`);
    const kept = texts.map((t) => compactJson(memberText(objectMembers(t), 'data')!));
    texts.length = 0;
    const growth = heapAfterGc() - before;
    assert.ok(growth < 4 * 1024 * 1024, `${(growth / 1048576).toFixed(1)} MiB more`);
    assert.equal(kept[3], `{"a":[1,2,3],"note":"${'n'.repeat(1000)}","i":3}`);
  });

  it('detached copies code units exactly, lone surrogates and short strings included', () => {
    for (const s of ['', 'a', '\ud800', 'x\udfffy', '€'.repeat(40), 'é\u0000' + 'z'.repeat(30)]) assert.equal(detached(s), s);
  });
});
