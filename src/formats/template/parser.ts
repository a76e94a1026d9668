import { TemplateSyntaxError, lex, type Token, type TokenKind } from './lexer.js';
import type { ArgNode, CommandNode, ListNode, Node, PipeNode } from './nodes.js';
import { unquoteChar, unquoteString } from './unquote.js';

/** A parsed template: the main body plus every `define`d or `block` template, by name. */
export interface ParsedTemplates {
  main: string;
  trees: Map<string, ListNode>;
}

type Marker = { type: 'end'; pos: number } | { type: 'else'; pos: number };
type Parsed = Node | Marker;

const OPERAND_START: ReadonlySet<TokenKind> = new Set([
  'bool',
  'char',
  'number',
  'dot',
  'field',
  'identifier',
  'nil',
  'rawString',
  'string',
  'variable',
  'leftParen',
]);

export function parse(src: string, functions: ReadonlySet<string>, main = 'content'): ParsedTemplates {
  return new Parser(src, lex(src), functions, main).parseRoot();
}

/** Go's IsEmptyTree: only whitespace text. Such a definition may be replaced by a later one. */
function isEmptyList(list: ListNode): boolean {
  return list.nodes.every((n) => n.type === 'text' && n.text.trim().length === 0);
}

function describe(token: Token): string {
  switch (token.kind) {
    case 'eof':
      return 'EOF';
    case 'keyword':
      return `<${token.value}>`;
    case 'left':
      return 'left delim';
    case 'right':
      return 'right delim';
    case 'space':
      return 'space';
  }
  return token.value.length > 10 ? `${JSON.stringify(token.value.slice(0, 10))}...` : JSON.stringify(token.value);
}

class Parser {
  private i = 0;
  private vars: string[] = ['$'];
  private rangeDepth = 0;
  private readonly trees = new Map<string, ListNode>();

  constructor(
    private readonly src: string,
    private readonly tokens: Token[],
    private readonly functions: ReadonlySet<string>,
    private readonly main: string,
  ) {}

  parseRoot(): ParsedTemplates {
    const nodes: Node[] = [];
    while (this.peek().kind !== 'eof') {
      if (this.peek().kind === 'left') {
        const save = this.i;
        this.next();
        const t = this.nextNonSpace();
        if (t.kind === 'keyword' && t.value === 'define') {
          this.parseDefinition();
          continue;
        }
        this.i = save;
      }
      const n = this.textOrAction();
      if (n.type === 'end' || n.type === 'else') this.fail(`unexpected {{${n.type}}}`, n.pos);
      nodes.push(n as Node);
    }
    // Go reports a clash of the main template at the token it stopped on: the end of the input.
    this.add(this.main, { nodes }, this.src.length);
    return { main: this.main, trees: this.trees };
  }

  private fail(message: string, pos: number): never {
    throw new TemplateSyntaxError(message, pos);
  }

  private unexpected(token: Token, context: string): never {
    this.fail(`unexpected ${describe(token)} in ${context}`, token.pos);
  }

  private peek(): Token {
    const t = this.tokens[this.i]!;
    if (t.kind === 'error') this.fail(t.value, t.pos);
    return t;
  }

  private next(): Token {
    const t = this.peek();
    if (this.i < this.tokens.length - 1) this.i++;
    return t;
  }

  private backup(): void {
    this.i--;
  }

  private nextNonSpace(): Token {
    let t = this.next();
    while (t.kind === 'space') t = this.next();
    return t;
  }

  /** Like Go's peekNonSpace, this consumes the spaces before the token it returns. */
  private peekNonSpace(): Token {
    while (this.peek().kind === 'space') this.next();
    return this.peek();
  }

  private expect(kind: TokenKind, context: string): Token {
    const t = this.nextNonSpace();
    if (t.kind !== kind) this.unexpected(t, context);
    return t;
  }

  private add(name: string, list: ListNode, pos: number): void {
    const existing = this.trees.get(name);
    if (existing === undefined || isEmptyList(existing)) {
      this.trees.set(name, list);
      return;
    }
    if (!isEmptyList(list)) this.fail(`template: multiple definition of template ${JSON.stringify(name)}`, pos);
  }

  private templateName(token: Token, context: string): string {
    if (token.kind === 'string' || token.kind === 'rawString') return this.unquote(token);
    this.unexpected(token, context);
  }

  private unquote(token: Token): string {
    try {
      return unquoteString(token.value);
    } catch (e) {
      this.fail((e as Error).message, token.pos);
    }
  }

  private parseDefinition(): void {
    const context = 'define clause';
    const nameToken = this.nextNonSpace();
    if (nameToken.kind !== 'string' && nameToken.kind !== 'rawString') this.unexpected(nameToken, context);
    const name = this.unquote(nameToken);
    this.expect('right', context);
    const outer = this.vars;
    this.vars = ['$'];
    const [list, end] = this.itemList();
    if (end.type !== 'end') this.fail(`unexpected {{${end.type}}} in ${context}`, end.pos);
    this.vars = outer;
    // Go reports a clash at the last token it read, the {{end}} that closed the definition.
    this.add(name, list, end.pos);
  }

  private itemList(): [ListNode, Marker] {
    const nodes: Node[] = [];
    while (this.peekNonSpace().kind !== 'eof') {
      const n = this.textOrAction();
      if (n.type === 'end' || n.type === 'else') return [{ nodes }, n];
      nodes.push(n);
    }
    this.fail('unexpected EOF', this.src.length);
  }

  private textOrAction(): Parsed {
    const t = this.nextNonSpace();
    switch (t.kind) {
      case 'text':
        return { type: 'text', text: t.value };
      case 'left':
        return this.action();
    }
    this.unexpected(t, 'input');
  }

  private action(): Parsed {
    const t = this.nextNonSpace();
    if (t.kind === 'keyword') {
      switch (t.value) {
        case 'block':
          return this.blockControl(t);
        case 'break':
        case 'continue':
          return this.loopControl(t);
        case 'else':
          return this.elseControl(t);
        case 'end':
          this.expect('right', 'end');
          return { type: 'end', pos: t.pos };
        case 'if':
        case 'range':
        case 'with':
          return this.control(t.value, t.pos);
        case 'template':
          return this.templateControl();
      }
    }
    this.backup();
    return { type: 'action', pos: t.pos, pipe: this.pipeline('command', 'right') };
  }

  private loopControl(t: Token): Node {
    const after = this.nextNonSpace();
    if (after.kind !== 'right') this.unexpected(after, `{{${t.value}}}`);
    if (this.rangeDepth === 0) this.fail(`{{${t.value}}} outside {{range}}`, t.pos);
    return { type: t.value as 'break' | 'continue', pos: t.pos };
  }

  private elseControl(t: Token): Marker {
    const peek = this.peekNonSpace();
    // `{{else if ...}}` (and `{{else with ...}}`) leave the keyword pending for the enclosing control.
    if (peek.kind === 'keyword' && (peek.value === 'if' || peek.value === 'with')) return { type: 'else', pos: t.pos };
    this.expect('right', 'else');
    return { type: 'else', pos: t.pos };
  }

  private control(kind: 'if' | 'range' | 'with', pos: number): Node {
    const mark = this.vars.length;
    const pipe = this.pipeline(kind, 'right');
    if (kind === 'range') this.rangeDepth++;
    const [list, next] = this.itemList();
    if (kind === 'range') this.rangeDepth--;
    let elseList: ListNode | null = null;
    if (next.type === 'else') {
      const chained = this.peek();
      if (kind !== 'range' && chained.kind === 'keyword' && chained.value === kind) {
        this.next();
        elseList = { nodes: [this.control(kind, chained.pos)] };
      } else {
        const [rest, end] = this.itemList();
        if (end.type !== 'end') this.fail(`expected end; found {{${end.type}}}`, end.pos);
        elseList = rest;
      }
    }
    this.vars.length = mark;
    return { type: kind, pos, pipe, list, elseList };
  }

  private templateControl(): Node {
    const context = 'template clause';
    const nameToken = this.nextNonSpace();
    const name = this.templateName(nameToken, context);
    let pipe: PipeNode | null = null;
    if (this.nextNonSpace().kind !== 'right') {
      this.backup();
      pipe = this.pipeline(context, 'right');
    }
    return { type: 'template', pos: nameToken.pos, name, pipe };
  }

  private blockControl(t: Token): Node {
    const context = 'block clause';
    const nameToken = this.nextNonSpace();
    const name = this.templateName(nameToken, context);
    const pipe = this.pipeline(context, 'right');
    const outerVars = this.vars;
    const outerRange = this.rangeDepth;
    this.vars = ['$'];
    this.rangeDepth = 0;
    const [list, end] = this.itemList();
    if (end.type !== 'end') this.fail(`unexpected {{${end.type}}} in ${context}`, end.pos);
    this.vars = outerVars;
    this.rangeDepth = outerRange;
    this.add(name, list, nameToken.pos);
    return { type: 'template', pos: t.pos, name, pipe };
  }

  private pipeline(context: string, end: 'right' | 'rightParen'): PipeNode {
    const start = this.peekNonSpace().pos;
    const decl: string[] = [];
    let isAssign = false;

    for (;;) {
      const v = this.peekNonSpace();
      if (v.kind !== 'variable') break;
      const save = this.i;
      this.next();
      const next = this.peekNonSpace();
      if (next.kind === 'assign' || next.kind === 'declare') {
        isAssign = next.kind === 'assign';
        this.nextNonSpace();
        decl.push(v.value);
        this.vars.push(v.value);
        break;
      }
      if (next.kind === 'comma') {
        this.nextNonSpace();
        decl.push(v.value);
        this.vars.push(v.value);
        if (context === 'range' && decl.length < 2) {
          const k = this.peekNonSpace().kind;
          if (k === 'variable' || k === 'right' || k === 'rightParen') continue;
          this.fail('range can only initialize variables', v.pos);
        }
        this.fail(`too many declarations in ${context}`, v.pos);
      }
      this.i = save;
      break;
    }

    const cmds: CommandNode[] = [];
    for (;;) {
      const t = this.nextNonSpace();
      if (t.kind === end) {
        this.checkPipeline(cmds, context, start);
        const text = this.src.slice(start, t.pos).trim();
        return { pos: start, text, isAssign, decl, cmds };
      }
      if (!OPERAND_START.has(t.kind)) this.unexpected(t, context);
      this.backup();
      cmds.push(this.command());
    }
  }

  private checkPipeline(cmds: CommandNode[], context: string, pos: number): void {
    if (cmds.length === 0) this.fail(`missing value for ${context}`, pos);
    cmds.forEach((cmd, i) => {
      if (i === 0) return;
      const first = cmd.args[0]!;
      if (['bool', 'dot', 'nil', 'number', 'string'].includes(first.type)) {
        this.fail(`non executable command in pipeline stage ${i + 1}`, first.pos);
      }
    });
  }

  private command(): CommandNode {
    const args: ArgNode[] = [];
    const pos = this.peekNonSpace().pos;
    for (;;) {
      this.peekNonSpace();
      const operand = this.operand();
      if (operand) args.push(operand);
      const t = this.next();
      if (t.kind === 'space') continue;
      if (t.kind === 'right' || t.kind === 'rightParen') this.backup();
      else if (t.kind !== 'pipe') this.unexpected(t, 'operand');
      break;
    }
    if (args.length === 0) this.fail('empty command', pos);
    return { pos, args };
  }

  private operand(): ArgNode | null {
    const node = this.term();
    if (!node) return null;
    if (this.peek().kind !== 'field') return node;
    // Go positions a chain at its first chained field, and its errors point there.
    const pos = this.peek().pos;
    const fields: string[] = [];
    while (this.peek().kind === 'field') fields.push(this.next().value.slice(1));
    switch (node.type) {
      case 'field':
        return { type: 'field', pos, idents: [...node.idents, ...fields] };
      case 'variable':
        return { type: 'variable', pos, idents: [...node.idents, ...fields] };
      case 'bool':
      case 'string':
      case 'number':
      case 'nil':
      case 'dot':
        return this.fail(`unexpected . after term ${JSON.stringify(this.termText(node))}`, node.pos);
      default:
        return { type: 'chain', pos, node, fields };
    }
  }

  private termText(node: ArgNode): string {
    switch (node.type) {
      case 'bool':
        return String(node.value);
      case 'string':
      case 'number':
        return node.text;
      case 'nil':
        return 'nil';
      default:
        return '.';
    }
  }

  private term(): ArgNode | null {
    const t = this.nextNonSpace();
    switch (t.kind) {
      case 'identifier':
        if (!this.functions.has(t.value)) this.fail(`function ${JSON.stringify(t.value)} not defined`, t.pos);
        return { type: 'identifier', pos: t.pos, name: t.value };
      case 'dot':
        return { type: 'dot', pos: t.pos };
      case 'nil':
        return { type: 'nil', pos: t.pos };
      case 'variable':
        if (!this.vars.includes(t.value)) this.fail(`undefined variable ${JSON.stringify(t.value)}`, t.pos);
        return { type: 'variable', pos: t.pos, idents: [t.value] };
      case 'field':
        return { type: 'field', pos: t.pos, idents: [t.value.slice(1)] };
      case 'bool':
        return { type: 'bool', pos: t.pos, value: t.value === 'true' };
      case 'char':
      case 'number':
        return this.number(t);
      case 'leftParen':
        return { type: 'pipe', pos: t.pos, pipe: this.pipeline('parenthesized pipeline', 'rightParen') };
      case 'string':
      case 'rawString':
        return { type: 'string', pos: t.pos, text: t.value, value: this.unquote(t) };
    }
    this.backup();
    return null;
  }

  private number(t: Token): ArgNode {
    if (t.kind === 'char') {
      let value: number;
      try {
        value = unquoteChar(t.value);
      } catch (e) {
        this.fail((e as Error).message, t.pos);
      }
      return { type: 'number', pos: t.pos, text: t.value, value, isFloat: false, int: BigInt(value), uint: true, imaginary: false };
    }
    const pair = COMPLEX_PAIR.exec(t.value);
    if (pair) {
      const re = parseNumber(pair[1]!);
      const im = parseNumber(pair[2]!);
      if (re === null || re === 'overflow' || im === null || im === 'overflow') this.fail(`illegal number syntax: ${JSON.stringify(t.value)}`, t.pos);
      return { type: 'number', pos: t.pos, text: t.value, value: im.value, real: re.value, isFloat: true, int: null, uint: false, imaginary: true };
    }
    // An imaginary literal is complex, even `0i`, as Go's parser keeps IsComplex for it.
    const imaginary = t.value.endsWith('i');
    const parsed = parseNumber(imaginary ? t.value.slice(0, -1) : t.value);
    if (parsed === null) this.fail(`illegal number syntax: ${JSON.stringify(t.value)}`, t.pos);
    // An integer literal no 64-bit type holds is refused by the parser, as Go's is.
    if (parsed === 'overflow') {
      if (!imaginary) this.fail(`integer overflow: ${JSON.stringify(t.value)}`, t.pos);
      return { type: 'number', pos: t.pos, text: t.value, value: Number(t.value.slice(0, -1).replace(/_/g, '')), isFloat: true, int: null, uint: false, imaginary };
    }
    if (imaginary) return { type: 'number', pos: t.pos, text: t.value, value: parsed.value, isFloat: true, int: null, uint: false, imaginary };
    return { type: 'number', pos: t.pos, text: t.value, ...parsed, imaginary };
  }
}

// `1+2i`: a real part, then a signed imaginary part; an exponent's sign belongs to its number.
const COMPLEX_PAIR = /^([+-]?[^+-]+?(?:[eEpP][+-][0-9_]+)?)([+-][^+-]*?(?:[eEpP][+-][0-9_]+)?)i$/;
const INT_LITERAL = /^[+-]?(?:0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+|0[0-7]*|[1-9][0-9]*)$/;
const DECIMAL_FLOAT = /^[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$/;
const HEX_FLOAT = /^([+-]?)0[xX]([0-9a-fA-F]*)\.?([0-9a-fA-F]*)[pP]([+-]?[0-9]+)$/;

/**
 * Go's number literals: an integer literal is an int; one written with `.`, an exponent or a hex `p`
 * is a float64, even when integral (`1.0`, `1e3`). An imaginary literal (`1i`) is complex128; the
 * two-part form `1+2i` is not lexed.
 */
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const UINT64_MAX = 2n ** 64n - 1n;

function parseNumber(text: string): { value: number; isFloat: boolean; int: bigint | null; uint: boolean } | 'overflow' | null {
  const clean = text.replace(/_/g, '');
  if (INT_LITERAL.test(clean)) {
    const negative = clean.startsWith('-');
    const body = clean.replace(/^[+-]/, '');
    const digits = /^0[0-7]+$/.test(body) ? '0o' + body.slice(1) : body.replace(/^0([oObBxX])/, (_, p: string) => '0' + p.toLowerCase());
    const magnitude = BigInt(digits);
    const big = negative ? -magnitude : magnitude;
    if (big < INT64_MIN || big > UINT64_MAX) return 'overflow';
    return {
      value: Number(big),
      isFloat: false,
      int: big >= INT64_MIN && big <= INT64_MAX ? big : null,
      uint: big >= 0n && big <= UINT64_MAX,
    };
  }
  if (DECIMAL_FLOAT.test(clean)) {
    // Integer-looking text that is no integer literal (`08`) parses only as a float: Go calls that an overflow.
    if (!/[.eE]/.test(clean)) return 'overflow';
    const value = Number(clean);
    const integral = Number.isInteger(value) && Math.abs(value) < 2 ** 63;
    return { value, isFloat: /[.eE]/.test(clean), int: integral ? BigInt(value) : null, uint: false };
  }
  const hex = HEX_FLOAT.exec(clean);
  if (hex) {
    const [, sign, whole, frac, exp] = hex;
    if (whole === '' && frac === '') return null;
    const mantissa = parseInt((whole || '0') + (frac ?? ''), 16) / 16 ** (frac ?? '').length;
    const value = mantissa * 2 ** Number(exp);
    return { value: sign === '-' ? -value : value, isFloat: true, int: null, uint: false };
  }
  return null;
}
