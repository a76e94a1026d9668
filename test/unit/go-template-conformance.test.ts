import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';

import { parseTemplate, renderTemplate, type TemplateMode } from '../../src/formats/template/index.js';
import { RenderError } from '../../src/formats/types.js';
import { parseJsonExact } from '../helpers/exact-json.js';

/**
 * Every case was rendered by Go 1.19 (test/fixtures/go-template/render.go): mode `go` with text/template,
 * mode `cloudpods` with html/template named `template` then html.UnescapeString, integers typed int64;
 * the fixture holds its output or its error. Herald must produce the same bytes, and the same error at
 * the same stage (parse or execute). Cases with `data_json` keep their numbers exact (ids beyond 2^53).
 * The cases named `Cloudpods default ...` run Cloudpods' own default topic templates.
 */
interface GoCase {
  name: string;
  template: string;
  data?: unknown;
  data_json?: string;
  mode?: TemplateMode;
  expected?: string;
  error?: string;
  error_kind?: 'parse' | 'exec';
}

const cases: GoCase[] = JSON.parse(
  readFileSync(new URL('../fixtures/go-template-cases.json', import.meta.url), 'utf8'),
);

const dataOf = (c: GoCase): unknown => (c.data_json !== undefined ? parseJsonExact(c.data_json) : c.data);
const optionsOf = (c: GoCase) => ({ mode: c.mode ?? 'go' });

function assertRenderFails(c: GoCase): void {
  assert.throws(
    () => renderTemplate(c.template, dataOf(c), optionsOf(c)),
    (error: unknown) => error instanceof RenderError && error.errorClass === 'template' && error.message === c.error,
  );
}

describe('Go text/template conformance', () => {
  it('has a meaningful number of cases, Cloudpods defaults among them', () => {
    assert.ok(cases.length >= 200, `only ${cases.length} cases`);
    assert.ok(cases.filter((c) => c.name.startsWith('Cloudpods default ')).length >= 20);
  });

  // Each kind of case is asserted on its own terms: the fixture says which kind a case is.
  for (const c of cases.filter((c) => c.expected !== undefined)) {
    it(c.name, () => {
      assert.deepEqual(parseTemplate(c.template, optionsOf(c)), { ok: true });
      assert.equal(renderTemplate(c.template, dataOf(c), optionsOf(c)), c.expected);
    });
  }

  for (const c of cases.filter((c) => c.error_kind === 'parse')) {
    it(c.name, () => {
      const parsed = parseTemplate(c.template, optionsOf(c));
      assert.ok(!parsed.ok, `parse result ${JSON.stringify(parsed)}`);
      assert.equal(parsed.message, c.error);
      assertRenderFails(c);
    });
  }

  for (const c of cases.filter((c) => c.error_kind === 'exec')) {
    it(c.name, () => {
      assert.deepEqual(parseTemplate(c.template, optionsOf(c)), { ok: true });
      assertRenderFails(c);
    });
  }

  it('every case is one of those kinds', () => {
    assert.deepEqual(cases.filter((c) => c.expected === undefined && c.error_kind !== 'parse' && c.error_kind !== 'exec').map((c) => c.name), []);
  });
});
