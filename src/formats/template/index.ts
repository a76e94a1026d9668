import { decodeHTML } from 'entities';
import { RenderError } from '../types.js';
import { ExecError, execute } from './exec.js';
import { BUILTIN_NAMES } from './functions.js';
import { TemplateSyntaxError } from './lexer.js';
import { parse, type ParsedTemplates } from './parser.js';
import { fromJs, utf8Length } from './values.js';

/**
 * Go templates, for the Cloudpods templates operators bring as they are. Two semantics:
 * - `go`: plain text/template named `content`; integers in the data are Go `int`.
 * - `cloudpods`: what Cloudpods does with a topic template: html/template named `template`, a missing
 *   value prints nothing, the output is then html.UnescapeString-ed, and integers in the data are
 *   `int64` as its jsonutils types them. Only html/template's text context is modelled: a template
 *   whose literal text opens HTML tags gets no attribute, script or URL escaping here.
 * Errors read like Go's (`template: content:1:3: executing "content" at <.a.b>: ...`, columns in bytes)
 * so they can be compared with what Go itself reports.
 */

export const TEMPLATE_MODES = ['cloudpods', 'go'] as const;
export type TemplateMode = (typeof TEMPLATE_MODES)[number];

export interface TemplateOptions {
  mode?: TemplateMode;
}

const NAMES: Record<TemplateMode, string> = { go: 'content', cloudpods: 'template' };

export type ParseResult = { ok: true } | { ok: false; message: string; line: number; column: number };

/** 1-based line and 1-based byte column of a source offset, as Go counts them. */
function position(src: string, pos: number): { line: number; column: number } {
  const before = src.slice(0, pos);
  const line = before.split('\n').length;
  const column = utf8Length(before.slice(before.lastIndexOf('\n') + 1)) + 1;
  return { line, column };
}

// Endpoints reuse a handful of templates for every message; parsing each once keeps sends cheap.
const CACHE_LIMIT = 256;
const cache = new Map<string, ParsedTemplates>();

function parseCached(src: string, mode: TemplateMode): ParsedTemplates {
  const key = `${mode}\0${src}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const parsed = parse(src, BUILTIN_NAMES, NAMES[mode]);
  if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value as string);
  cache.set(key, parsed);
  return parsed;
}

/** Checks a template without running it, for the API to refuse a bad one with its position. */
export function parseTemplate(src: string, options: TemplateOptions = {}): ParseResult {
  const mode = options.mode ?? 'go';
  try {
    parseCached(src, mode);
    return { ok: true };
  } catch (error) {
    if (!(error instanceof TemplateSyntaxError)) throw error;
    const { line, column } = position(src, error.pos);
    return { ok: false, message: `template: ${NAMES[mode]}:${line}: ${error.message}`, line, column };
  }
}

/** Renders `src` with `data` (JSON-like, numbers possibly lossless). Throws RenderError('template', ...) on any template error. */
export function renderTemplate(src: string, data: unknown, options: TemplateOptions = {}): string {
  const mode = options.mode ?? 'go';
  const name = NAMES[mode];
  let parsed: ParsedTemplates;
  try {
    parsed = parseCached(src, mode);
  } catch (error) {
    if (!(error instanceof TemplateSyntaxError)) throw error;
    const { line } = position(src, error.pos);
    throw new RenderError('template', `template: ${name}:${line}: ${error.message}`);
  }
  try {
    if (mode === 'go') return execute(parsed, fromJs(data, 'int'));
    return decodeHTML(execute(parsed, fromJs(data, 'int64'), { html: true }));
  } catch (error) {
    if (error instanceof ExecError) {
      const { line, column } = position(src, error.pos);
      // Go 1.19 prints the whole node as context; later releases cut it.
      const context = error.context;
      throw new RenderError(
        'template',
        `template: ${error.template}:${line}:${column - 1}: executing ${JSON.stringify(error.template)} at <${context}>: ${error.message}`,
      );
    }
    if (error instanceof RangeError) throw new RenderError('template', `template: ${name}: ${error.message}`);
    throw error;
  }
}
