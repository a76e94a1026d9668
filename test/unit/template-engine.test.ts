import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { parseTemplate, renderTemplate } from '../../src/formats/template/index.js';
import { RenderError } from '../../src/formats/types.js';

function renderError(src: string, data: unknown = {}): RenderError {
  try {
    renderTemplate(src, data);
  } catch (error) {
    assert.ok(error instanceof RenderError);
    return error;
  }
  assert.fail('expected a RenderError');
}

describe('template engine', () => {
  it('reports parse errors with line and 1-based column', () => {
    assert.deepEqual(parseTemplate('line one\n  {{ if }}'), {
      ok: false,
      message: 'template: content:2: missing value for if',
      line: 2,
      column: 9,
    });
    assert.deepEqual(parseTemplate('{{ .a }}'), { ok: true });
  });

  it('stops runaway recursion with a template error', () => {
    const error = renderError('{{ define "loop" }}{{ template "loop" . }}{{ end }}{{ template "loop" . }}');
    assert.equal(error.errorClass, 'template');
    assert.match(error.message, /exceeded maximum template depth/);
  });

  it('stops exponential work with a template error', () => {
    const src = '{{ range .x }}{{ range $.x }}{{ range $.x }}{{ if false }}{{ . }}{{ end }}{{ end }}{{ end }}{{ end }}';
    const x = Array.from({ length: 200 }, (_, i) => i);
    const error = renderError(src, { x });
    assert.match(error.message, /exceeded 1000000 steps/);
    assert.match(renderError(src.replace('{{ if false }}{{ . }}{{ end }}', '{{ . }}'), { x }).message, /output exceeded/);
  });

  it('leaves the data untouched and treats JS numbers as Go does', () => {
    const data = { n: 3, f: 2.5, big: 1e21, list: [1, 2], nested: { k: 'v' } };
    const snapshot = JSON.stringify(data);
    assert.equal(renderTemplate('{{ .n }} {{ .f }} {{ .big }} {{ eq .n 3 }} {{ .nested }}', data), '3 2.5 1e+21 true map[k:v]');
    assert.equal(JSON.stringify(data), snapshot);
  });

  it('does not read inherited object properties as fields', () => {
    assert.equal(renderTemplate('[{{ .constructor }}][{{ .toString }}]', {}), '[<no value>][<no value>]');
  });

  it('returns the same result for repeated renders of one template', () => {
    const src = '{{ range $i, $v := .a }}{{ $i }}{{ $v }}{{ end }}';
    assert.equal(renderTemplate(src, { a: ['x'] }), '0x');
    assert.equal(renderTemplate(src, { a: ['y', 'z'] }), '0y1z');
  });
});
