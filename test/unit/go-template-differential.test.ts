import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { parseTemplate, renderTemplate } from '../../src/formats/template/index.js';
import { RenderError } from '../../src/formats/types.js';
import { parseJsonExact } from '../helpers/exact-json.js';
import { GO_SKIP_REASON, HAVE_GO, renderWithGo, type GoOutput } from '../helpers/go-templates.js';
import { generateCases, type GeneratedCase } from '../helpers/template-generator.js';

/**
 * Seeded random templates and data, rendered by Go's own text/template (mode `go`) and html/template plus
 * html.UnescapeString (mode `cloudpods`), and by Herald. Output bytes, error messages and the stage of an
 * error (parse or execute) must agree. Mismatches are grouped by the kinds of the pieces a case was built of.
 */

const SEED = Number(process.env.HERALD_TEMPLATE_SEED ?? 20261201);
const COUNT = Number(process.env.HERALD_TEMPLATE_CASES ?? 3000);

type Outcome = { expected: string } | { error: string; kind: 'parse' | 'exec' };

function herald(c: GeneratedCase): Outcome {
  const options = { mode: c.mode };
  const parsed = parseTemplate(c.template, options);
  try {
    const out = renderTemplate(c.template, parseJsonExact(c.dataText), options);
    return { expected: out };
  } catch (error) {
    if (!(error instanceof RenderError)) return { error: `crash: ${String(error)}`, kind: 'exec' };
    return { error: error.message, kind: parsed.ok ? 'exec' : 'parse' };
  }
}

function same(go: GoOutput, ours: Outcome): boolean {
  if (go.expected !== undefined) return 'expected' in ours && ours.expected === go.expected;
  return 'error' in ours && ours.error === go.error && ours.kind === go.error_kind;
}

describe('Go template differential', { skip: HAVE_GO ? false : GO_SKIP_REASON }, () => {
  it(`${COUNT} seeded random cases (seed ${SEED}) render as Go renders them`, (t) => {
    const cases = generateCases(SEED, COUNT);
    const go = renderWithGo(cases);
    const classes = new Map<string, { count: number; example: string }>();
    const kinds = new Set<string>();
    let errors = 0;
    cases.forEach((c, i) => {
      c.kinds.forEach((k) => kinds.add(`${c.mode}:${k}`));
      const expected = go[i]!;
      if (expected.error !== undefined) errors++;
      const ours = herald(c);
      if (same(expected, ours)) return;
      const cls = `${c.mode}:${c.kinds.join('+')}`;
      const entry = classes.get(cls) ?? { count: 0, example: '' };
      entry.count++;
      if (!entry.example) entry.example = `${JSON.stringify(c.template)} data=${c.dataText}\n   go: ${JSON.stringify(expected)}\n   herald: ${JSON.stringify(ours)}`;
      classes.set(cls, entry);
    });
    // The comparison means something only if Go answered every case and most of them render.
    assert.equal(go.length, cases.length);
    assert.ok(errors < cases.length / 2, `${errors} of ${cases.length} cases are Go errors`);
    assert.ok(kinds.size >= 30, `only ${kinds.size} piece classes`);
    const mismatches = [...classes.values()].reduce((n, e) => n + e.count, 0);
    t.diagnostic(`cases ${cases.length} (${errors} Go errors), piece classes ${kinds.size}, mismatches ${mismatches} in ${classes.size} classes`);
    for (const [cls, e] of classes) t.diagnostic(`${cls}: ${e.count}\n   ${e.example}`);
    assert.equal(mismatches, 0, [...classes].map(([cls, e]) => `${cls}: ${e.count}\n   ${e.example}`).join('\n'));
  });
});
