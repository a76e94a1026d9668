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

describe('Go text/template conformance', () => {
  it('has a meaningful number of cases', () => {
    assert.ok(cases.length >= 60, `only ${cases.length} cases`);
  });

  for (const c of cases) {
    it(c.name, () => {
      const parsed = parseTemplate(c.template);
      if (c.expected !== undefined) {
        assert.deepEqual(parsed, { ok: true });
        assert.equal(renderTemplate(c.template, c.data), c.expected);
        return;
      }
      assert.equal(parsed.ok, c.error_kind === 'exec', `parse result ${JSON.stringify(parsed)}`);
      if (!parsed.ok) assert.equal(parsed.message, c.error);
      assert.throws(
        () => renderTemplate(c.template, c.data),
        (error: unknown) => error instanceof RenderError && error.errorClass === 'template' && error.message === c.error,
      );
    });
  }
});
