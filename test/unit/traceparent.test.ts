import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { childTraceparent, formatTraceparent, newSpanId, parseTraceparent } from '../../src/telemetry/traceparent.js';

const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const SPAN = '00f067aa0ba902b7';

describe('traceparent', () => {
  it('reads a version 00 header, and a later version by its 00 prefix', () => {
    assert.deepEqual(parseTraceparent(`00-${TRACE}-${SPAN}-01`), { traceId: TRACE, spanId: SPAN, flags: 1 });
    assert.deepEqual(parseTraceparent(` 00-${TRACE}-${SPAN}-00 `), { traceId: TRACE, spanId: SPAN, flags: 0 });
    assert.deepEqual(parseTraceparent(`cc-${TRACE}-${SPAN}-01-what-the-future-adds`), { traceId: TRACE, spanId: SPAN, flags: 1 });
  });

  it('ignores what the specification calls invalid', () => {
    for (const bad of [
      undefined,
      null,
      '',
      [`00-${TRACE}-${SPAN}-01`, `00-${TRACE}-${SPAN}-01`],
      `00-${TRACE.toUpperCase()}-${SPAN}-01`,
      `ff-${TRACE}-${SPAN}-01`,
      `00-${'0'.repeat(32)}-${SPAN}-01`,
      `00-${TRACE}-${'0'.repeat(16)}-01`,
      `00-${TRACE}-${SPAN}-01-extra`,
      `00-${TRACE.slice(1)}-${SPAN}-01`,
      `00-${TRACE}-${SPAN}-1`,
      `00_${TRACE}_${SPAN}_01`,
      `00-${TRACE}-${SPAN}-01\r\nx-injected: 1`,
    ]) {
      assert.equal(parseTraceparent(bad as string), null, JSON.stringify(bad));
    }
  });

  it('a child keeps the trace and flags with a new span id; a malformed parent gives none', () => {
    const id = newSpanId();
    assert.match(id, /^[0-9a-f]{16}$/);
    assert.equal(childTraceparent(`00-${TRACE}-${SPAN}-01`, id), `00-${TRACE}-${id}-01`);
    assert.notEqual(childTraceparent(`00-${TRACE}-${SPAN}-01`), childTraceparent(`00-${TRACE}-${SPAN}-01`));
    assert.equal(childTraceparent('garbage'), null);
    assert.equal(formatTraceparent({ traceId: TRACE, spanId: SPAN, flags: 3 }), `00-${TRACE}-${SPAN}-03`);
  });
});
