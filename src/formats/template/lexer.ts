/**
 * Tokens of Go's text/template action language. Spaces inside actions are tokens too, because the
 * grammar uses them: `.a .b` is two arguments, `.a.b` one field chain.
 */

export type TokenKind =
  | 'text'
  | 'left'
  | 'right'
  | 'space'
  | 'field'
  | 'variable'
  | 'identifier'
  | 'keyword'
  | 'dot'
  | 'bool'
  | 'nil'
  | 'string'
  | 'rawString'
  | 'char'
  | 'number'
  | 'pipe'
  | 'leftParen'
  | 'rightParen'
  | 'declare'
  | 'assign'
  | 'comma'
  | 'punct'
  | 'error'
  | 'eof';

export interface Token {
  kind: TokenKind;
  /** Source text; for `text` the text after trim markers were applied. */
  value: string;
  /** Offset in the source, for error positions. */
  pos: number;
}

export class TemplateSyntaxError extends Error {
  constructor(
    message: string,
    readonly pos: number,
  ) {
    super(message);
    this.name = 'TemplateSyntaxError';
  }
}

const KEYWORDS = new Set(['block', 'break', 'continue', 'define', 'else', 'end', 'if', 'range', 'template', 'with']);

function isSpace(ch: string | undefined): boolean {
  return ch === ' ' || ch === '\t' || ch === '\r' || ch === '\n';
}

function isAlnum(ch: string | undefined): boolean {
  return ch !== undefined && /^[\p{L}\p{Nd}_]$/u.test(ch);
}

// Go requires one space after `{{-` and before `-}}`: `{{-3}}` is the number -3.
function leftTrimAt(src: string, i: number): boolean {
  return src[i + 2] === '-' && isSpace(src[i + 3]);
}

function rightDelimAt(src: string, i: number): { trim: boolean; length: number } | null {
  if (isSpace(src[i]) && src[i + 1] === '-' && src.startsWith('}}', i + 2)) return { trim: true, length: 4 };
  if (src.startsWith('}}', i)) return { trim: false, length: 2 };
  return null;
}

function trimLeadingSpace(text: string): string {
  return text.replace(/^[ \t\r\n]+/, '');
}

function trimTrailingSpace(text: string): string {
  return text.replace(/[ \t\r\n]+$/, '');
}

const NUMBER =
  /^[+-]?(?:0[xX](?:[0-9a-fA-F_]*\.?[0-9a-fA-F_]*)(?:[pP][+-]?[0-9_]+)?|0[oO][0-7_]+|0[bB][01_]+|(?:[0-9][0-9_]*)?\.?[0-9_]*(?:[eE][+-]?[0-9_]+)?)i?/;

/**
 * Go lexes lazily, so the parser can fail on an earlier token before it reaches a lexical error; a
 * lexical error therefore becomes an `error` token that ends the stream instead of throwing at once.
 */
export function lex(src: string): Token[] {
  const tokens: Token[] = [];
  try {
    lexInto(src, tokens);
  } catch (error) {
    if (!(error instanceof TemplateSyntaxError)) throw error;
    tokens.push({ kind: 'error', value: error.message, pos: error.pos });
    return tokens;
  }
  tokens.push({ kind: 'eof', value: '', pos: src.length });
  return tokens;
}

function lexInto(src: string, tokens: Token[]): void {
  let i = 0;
  let trimNext = false;

  while (i <= src.length) {
    const open = src.indexOf('{{', i);
    const end = open === -1 ? src.length : open;
    let text = src.slice(i, end);
    if (trimNext) text = trimLeadingSpace(text);
    trimNext = false;
    const trimLeft = open !== -1 && leftTrimAt(src, open);
    if (trimLeft) text = trimTrailingSpace(text);
    if (text.length > 0) tokens.push({ kind: 'text', value: text, pos: i });
    if (open === -1) break;

    i = open + 2 + (trimLeft ? 2 : 0);

    // A comment leaves no token, only its trim markers' effect.
    if (src.startsWith('/*', i)) {
      const close = src.indexOf('*/', i + 2);
      if (close === -1) throw new TemplateSyntaxError('unclosed comment', i);
      const after = close + 2;
      const delim = rightDelimAt(src, after);
      if (!delim) throw new TemplateSyntaxError('comment ends before closing delimiter', after);
      trimNext = delim.trim;
      i = after + delim.length;
      continue;
    }

    tokens.push({ kind: 'left', value: '{{', pos: open });

    const after = lexAction(src, i, tokens);
    trimNext = after.trim;
    i = after.next;
  }
}

/** Lexes one action from `start` up to and including its closing delimiter. */
function lexAction(src: string, start: number, tokens: Token[]): { next: number; trim: boolean } {
  let i = start;
  let parenDepth = 0;
  const push = (kind: TokenKind, value: string, pos: number) => tokens.push({ kind, value, pos });

  for (;;) {
    const delim = rightDelimAt(src, i);
    if (delim) {
      if (parenDepth > 0) throw new TemplateSyntaxError('unclosed left paren', i);
      push('right', '}}', i);
      return { next: i + delim.length, trim: delim.trim };
    }
    if (i >= src.length) throw new TemplateSyntaxError('unclosed action', i);
    const ch = src[i]!;

    if (isSpace(ch)) {
      let j = i;
      while (j < src.length && isSpace(src[j]) && !rightDelimAt(src, j)?.trim) j++;
      if (j === i) j++;
      push('space', src.slice(i, j), i);
      i = j;
      continue;
    }
    switch (ch) {
      case '=':
        push('assign', '=', i);
        i++;
        continue;
      case ':':
        if (src[i + 1] !== '=') throw new TemplateSyntaxError('expected :=', i);
        push('declare', ':=', i);
        i += 2;
        continue;
      case '|':
        push('pipe', '|', i);
        i++;
        continue;
      case ',':
        push('comma', ',', i);
        i++;
        continue;
      case '(':
        parenDepth++;
        push('leftParen', '(', i);
        i++;
        continue;
      case ')':
        push('rightParen', ')', i);
        parenDepth--;
        if (parenDepth < 0) throw new TemplateSyntaxError(`unexpected right paren ${describeChar(ch)}`, i);
        i++;
        continue;
      case '"':
        i = lexQuoted(src, i, '"', 'string', 'unterminated quoted string', tokens);
        continue;
      case "'":
        i = lexQuoted(src, i, "'", 'char', 'unterminated character constant', tokens);
        continue;
      case '`': {
        const close = src.indexOf('`', i + 1);
        if (close === -1) throw new TemplateSyntaxError('unterminated raw quoted string', i);
        push('rawString', src.slice(i, close + 1), i);
        i = close + 1;
        continue;
      }
      case '$':
      case '.': {
        if (ch === '.' && /[0-9]/.test(src[i + 1] ?? '')) break;
        let j = i + 1;
        while (isAlnum(src[j])) j++;
        const word = src.slice(i, j);
        if (ch === '.' && word === '.') push('dot', '.', i);
        else push(ch === '$' ? 'variable' : 'field', word, i);
        checkTerminator(src, j);
        i = j;
        continue;
      }
    }
    if (ch === '.' || ch === '+' || ch === '-' || /[0-9]/.test(ch)) {
      const m = NUMBER.exec(src.slice(i));
      const text = m?.[0] ?? '';
      if (text.length === 0 || text === '+' || text === '-' || isAlnum(src[i + text.length])) {
        throw new TemplateSyntaxError(`bad number syntax: ${JSON.stringify(src.slice(i, i + Math.max(text.length, 1) + 1))}`, i);
      }
      // Go lexes `1+2i` as one complex constant: a second number straight after a sign, ending in `i`.
      const sign = src[i + text.length];
      if (sign === '+' || sign === '-') {
        const m2 = NUMBER.exec(src.slice(i + text.length + 1));
        const second = m2?.[0] ?? '';
        const whole = src.slice(i, i + text.length + 1 + second.length);
        if (!whole.endsWith('i') || second.length === 0) throw new TemplateSyntaxError(`bad number syntax: ${JSON.stringify(whole)}`, i);
        push('number', whole, i);
        i += whole.length;
        continue;
      }
      push('number', text, i);
      i += text.length;
      continue;
    }
    if (isAlnum(ch)) {
      let j = i;
      while (isAlnum(src[j])) j++;
      const word = src.slice(i, j);
      if (KEYWORDS.has(word)) push('keyword', word, i);
      else if (word === 'true' || word === 'false') push('bool', word, i);
      else if (word === 'nil') push('nil', word, i);
      else push('identifier', word, i);
      checkTerminator(src, j);
      i = j;
      continue;
    }
    // Other printable ASCII is a token of its own, which the parser then finds unexpected.
    if (ch >= '!' && ch <= '~') {
      push('punct', ch, i);
      i++;
      continue;
    }
    throw new TemplateSyntaxError(`unrecognized character in action: ${describeChar(ch)}`, i);
  }
}

function lexQuoted(src: string, start: number, quote: string, kind: TokenKind, unterminated: string, tokens: Token[]): number {
  let j = start + 1;
  for (;;) {
    const c = src[j];
    if (c === undefined || c === '\n') throw new TemplateSyntaxError(unterminated, start);
    if (c === '\\') {
      j += 2;
      continue;
    }
    j++;
    if (c === quote) break;
  }
  tokens.push({ kind, value: src.slice(start, j), pos: start });
  return j;
}

function checkTerminator(src: string, j: number): void {
  const c = src[j];
  if (c === undefined || isSpace(c) || '.,|:)(='.includes(c) || rightDelimAt(src, j)) return;
  throw new TemplateSyntaxError(`bad character ${describeChar(c)}`, j);
}

function describeChar(ch: string): string {
  const code = ch.codePointAt(0)!;
  return `U+${code.toString(16).toUpperCase().padStart(4, '0')} '${ch}'`;
}
