import { RenderError } from '../types.js';

export type ParseResult = { ok: true } | { ok: false; message: string; line: number; column: number };

// Placeholder until the template engine lands: every template is refused, loudly.
export function parseTemplate(_source: string): ParseResult {
  return { ok: false, message: 'templates are not supported yet', line: 1, column: 1 };
}

export function renderTemplate(_source: string, _data: unknown): string {
  throw new RenderError('template', 'templates are not supported yet');
}
