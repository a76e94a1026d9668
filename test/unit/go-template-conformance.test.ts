import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';

import { parseTemplate, renderTemplate } from '../../src/formats/template/index.js';
import { RenderError } from '../../src/formats/types.js';

/**
 * Every case was rendered by Go's own text/template (Go 1.19); the fixture holds its output or its
 * error. Herald must produce the same bytes, and the same error at the same stage (parse or execute).
 */
interface GoCase {
  name: string;
  template: string;
  data: unknown;
  expected?: string;
  error?: string;
  error_kind?: 'parse' | 'exec';
}

const cases: GoCase[] = JSON.parse(
  readFileSync(new URL('../fixtures/go-template-cases.json', import.meta.url), 'utf8'),
);

function assertRenderFails(c: GoCase): void {
  assert.throws(
    () => renderTemplate(c.template, c.data),
    (error: unknown) => error instanceof RenderError && error.errorClass === 'template' && error.message === c.error,
  );
}

describe('Go text/template conformance', () => {
  it('has a meaningful number of cases', () => {
    assert.ok(cases.length >= 60, `only ${cases.length} cases`);
  });

  // Each kind of case is asserted on its own terms: the fixture says which kind a case is.
  for (const c of cases.filter((c) => c.expected !== undefined)) {
    it(c.name, () => {
      assert.deepEqual(parseTemplate(c.template), { ok: true });
      assert.equal(renderTemplate(c.template, c.data), c.expected);
    });
  }

  for (const c of cases.filter((c) => c.error_kind === 'parse')) {
    it(c.name, () => {
      const parsed = parseTemplate(c.template);
      assert.ok(!parsed.ok, `parse result ${JSON.stringify(parsed)}`);
      assert.equal(parsed.message, c.error);
      assertRenderFails(c);
    });
  }

  for (const c of cases.filter((c) => c.error_kind === 'exec')) {
    it(c.name, () => {
      assert.deepEqual(parseTemplate(c.template), { ok: true });
      assertRenderFails(c);
    });
  }

  it('every case is one of those kinds', () => {
    assert.deepEqual(cases.filter((c) => c.expected === undefined && c.error_kind !== 'parse' && c.error_kind !== 'exec').map((c) => c.name), []);
  });
});
