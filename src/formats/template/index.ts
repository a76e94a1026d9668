import { RenderError } from '../types.js';
import { ExecError, execute } from './exec.js';
import { BUILTIN_NAMES } from './functions.js';
import { TemplateSyntaxError } from './lexer.js';
import { parse, type ParsedTemplates } from './parser.js';
import { fromJs } from './values.js';

/**
 * Go text/template, for Cloudpods templates that operators bring as they are. Errors read like Go's
 * (`template: content:1:3: executing "content" at <.a.b>: ...`) so they can be compared with what
 * Cloudpods itself reports.
 */

const NAME = 'content';

export type ParseResult = { ok: true } | { ok: false; message: string; line: number; column: number };

/** 1-based line and column of a source offset. */
function position(src: string, pos: number): { line: number; column: number } {
  const before = src.slice(0, pos);
  const line = before.split('\n').length;
  const column = pos - (before.lastIndexOf('\n') + 1) + 1;
  return { line, column };
}

// Endpoints reuse a handful of templates for every message; parsing each once keeps sends cheap.
const CACHE_LIMIT = 256;
const cache = new Map<string, ParsedTemplates>();

function parseCached(src: string): ParsedTemplates {
  const hit = cache.get(src);
  if (hit) return hit;
  const parsed = parse(src, BUILTIN_NAMES, NAME);
  if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value as string);
  cache.set(src, parsed);
  return parsed;
}

/** Checks a template without running it, for the API to refuse a bad one with its position. */
export function parseTemplate(src: string): ParseResult {
  try {
    parseCached(src);
    return { ok: true };
  } catch (error) {
    if (!(error instanceof TemplateSyntaxError)) throw error;
    const { line, column } = position(src, error.pos);
    return { ok: false, message: `template: ${NAME}:${line}: ${error.message}`, line, column };
  }
}

/** Renders `src` with `data` (JSON-like). Throws RenderError('template', ...) on any template error. */
export function renderTemplate(src: string, data: unknown): string {
  let parsed: ParsedTemplates;
  try {
    parsed = parseCached(src);
  } catch (error) {
    if (!(error instanceof TemplateSyntaxError)) throw error;
    const { line } = position(src, error.pos);
    throw new RenderError('template', `template: ${NAME}:${line}: ${error.message}`);
  }
  try {
    return execute(parsed, fromJs(data));
  } catch (error) {
    if (error instanceof ExecError) {
      const { line, column } = position(src, error.pos);
      const context = error.context.length > 20 ? `${error.context.slice(0, 20)}...` : error.context;
      throw new RenderError(
        'template',
        `template: ${error.template}:${line}:${column - 1}: executing ${JSON.stringify(error.template)} at <${context}>: ${error.message}`,
      );
    }
    if (error instanceof RangeError) throw new RenderError('template', `template: ${NAME}: ${error.message}`);
    throw error;
  }
}
