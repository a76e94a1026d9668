import { parse } from 'lossless-json';
import { JsonNumber, stringifyExact } from '../util/lossless-json.js';

/**
 * JSON as the CLI reads it from Herald and from its own flags. A number JavaScript holds exactly (its text is what
 * String(Number(text)) writes) becomes a number, so counts and status codes work as numbers; any other (an
 * integer past 2^53, `1.50`, `1E+2`) stays a JsonNumber with its text, so `--json` prints it as the server wrote it.
 */
export function parseExact(text: string): unknown {
  return parse(text, null, {
    parseNumber: (t: string) => {
      const n = Number(t);
      return String(n) === t ? n : new JsonNumber(t);
    },
    onDuplicateKey: ({ newValue }: { newValue: unknown }) => newValue,
  });
}

/**
 * Parses JSON given by the operator: JSON.parse checks it first so syntax errors read as Node's usual messages,
 * then the exact reading is kept.
 */
export function parseExactChecked(text: string): unknown {
  JSON.parse(text);
  return parseExact(text);
}

export { JsonNumber, stringifyExact };
