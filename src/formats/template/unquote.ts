/** Go's string and rune literal syntax (strconv.Unquote), as template literals use it. */

const SIMPLE: Record<string, number> = { a: 7, b: 8, f: 12, n: 10, r: 13, t: 9, v: 11, '\\': 92 };

/**
 * Decodes the body of a quoted literal. `\x` and octal escapes are bytes, as in Go, so the result is
 * assembled as UTF-8 and decoded once.
 */
function decodeEscapes(body: string, quote: '"' | "'"): string {
  const bytes: number[] = [];
  const encoder = new TextEncoder();
  const pushText = (text: string) => bytes.push(...encoder.encode(text));
  for (let i = 0; i < body.length; ) {
    const ch = body[i]!;
    if (ch !== '\\') {
      const cp = body.codePointAt(i)!;
      const text = String.fromCodePoint(cp);
      if (text === quote) throw new Error('invalid syntax');
      pushText(text);
      i += text.length;
      continue;
    }
    const e = body[i + 1];
    if (e === undefined) throw new Error('invalid syntax');
    if (e in SIMPLE) {
      bytes.push(SIMPLE[e]!);
      i += 2;
    } else if (e === quote) {
      bytes.push(quote.charCodeAt(0));
      i += 2;
    } else if (e === 'x') {
      const hex = body.slice(i + 2, i + 4);
      if (!/^[0-9a-fA-F]{2}$/.test(hex)) throw new Error('invalid syntax');
      bytes.push(parseInt(hex, 16));
      i += 4;
    } else if (e === 'u' || e === 'U') {
      const n = e === 'u' ? 4 : 8;
      const hex = body.slice(i + 2, i + 2 + n);
      if (!new RegExp(`^[0-9a-fA-F]{${n}}$`).test(hex)) throw new Error('invalid syntax');
      const cp = parseInt(hex, 16);
      if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) throw new Error('invalid syntax');
      pushText(String.fromCodePoint(cp));
      i += 2 + n;
    } else if (/[0-7]/.test(e)) {
      const oct = body.slice(i + 1, i + 4);
      if (!/^[0-7]{3}$/.test(oct) || parseInt(oct, 8) > 255) throw new Error('invalid syntax');
      bytes.push(parseInt(oct, 8));
      i += 4;
    } else {
      throw new Error('invalid syntax');
    }
  }
  return new TextDecoder().decode(new Uint8Array(bytes));
}

export function unquoteString(literal: string): string {
  if (literal.startsWith('`')) return literal.slice(1, -1).replace(/\r/g, '');
  if (literal.length < 2 || !literal.startsWith('"') || !literal.endsWith('"')) throw new Error('invalid syntax');
  return decodeEscapes(literal.slice(1, -1), '"');
}

export function unquoteChar(literal: string): number {
  if (literal.length < 3 || !literal.startsWith("'") || !literal.endsWith("'")) {
    throw new Error(`malformed character constant: ${literal}`);
  }
  const body = literal.slice(1, -1);
  if (!body.startsWith('\\')) {
    const cp = body.codePointAt(0)!;
    if (String.fromCodePoint(cp).length !== body.length) throw new Error(`malformed character constant: ${literal}`);
    return cp;
  }
  if (/^\\x[0-9a-fA-F]{2}$/.test(body)) return parseInt(body.slice(2), 16);
  if (/^\\[0-7]{3}$/.test(body)) {
    const value = parseInt(body.slice(1), 8);
    if (value > 255) throw new Error(`malformed character constant: ${literal}`);
    return value;
  }
  const text = decodeEscapes(body, "'");
  const cp = text.codePointAt(0);
  if (cp === undefined || String.fromCodePoint(cp).length !== text.length) {
    throw new Error(`malformed character constant: ${literal}`);
  }
  return cp;
}
