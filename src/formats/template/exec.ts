import { compareUtf8 } from '../sorted-json.js';
import { formatValue } from './go-fmt.js';
import { BUILTINS, CallError, htmlTextEscape, type ArgType, type Builtin } from './functions.js';
import { argText, type ArgNode, type CommandNode, type ListNode, type Node, type PipeNode } from './nodes.js';
import type { ParsedTemplates } from './parser.js';
import { GoComplex, GoFloat, GoInt, int, isTrue, typeName, type GoValue } from './values.js';

/**
 * Executes a parsed template the way Go's text/template does. Untrusted templates run inside the
 * dispatcher, so execution is bounded: template calls nest at most MAX_DEPTH deep, the evaluator takes
 * at most MAX_STEPS steps and the output is at most MAX_OUTPUT characters.
 */

const MAX_DEPTH = 1000;
const MAX_STEPS = 1_000_000;
const MAX_OUTPUT = 1 << 20;

export class ExecError extends Error {
  constructor(
    message: string,
    readonly pos: number,
    readonly context: string,
    readonly template: string,
  ) {
    super(message);
    this.name = 'ExecError';
  }
}

/** Marks "no value piped in", which differs from a piped-in missing value. */
const MISSING = Symbol('missing');
type Final = GoValue | typeof MISSING;

const BREAK = Symbol('break');
const CONTINUE = Symbol('continue');

interface Variable {
  name: string;
  value: GoValue;
}

export interface ExecOptions {
  /**
   * html/template in its text context, as Cloudpods runs topic templates: an action that yields no
   * value prints nothing, and what an action prints is HTML-escaped (the caller unescapes the whole).
   */
  html: boolean;
}

export function execute(parsed: ParsedTemplates, data: GoValue, options: ExecOptions = { html: false }): string {
  return new State(parsed, options).run(data);
}

function commandText(cmd: CommandNode): string {
  return cmd.args.map(argText).join(' ');
}

function pipeText(pipe: PipeNode): string {
  const decl = pipe.decl.length > 0 ? `${pipe.decl.join(', ')} ${pipe.isAssign ? '=' : ':='} ` : '';
  return decl + pipe.cmds.map(commandText).join(' | ');
}

class State {
  private out: string[] = [];
  private outLength = 0;
  private steps = 0;
  private depth = 0;
  private vars: Variable[] = [];
  private template: string;
  private atPos = 0;
  private atText = '';

  constructor(
    private readonly parsed: ParsedTemplates,
    private readonly options: ExecOptions,
  ) {
    this.template = parsed.main;
  }

  run(data: GoValue): string {
    const root = this.parsed.trees.get(this.parsed.main);
    if (!root) throw new ExecError(`template ${JSON.stringify(this.parsed.main)} is empty`, 0, '', this.parsed.main);
    this.vars = [{ name: '$', value: data }];
    this.walkList(data, root);
    return this.out.join('');
  }

  private at(pos: number, text: string): void {
    this.atPos = pos;
    this.atText = text;
  }

  private fail(message: string): never {
    throw new ExecError(message, this.atPos, this.atText, this.template);
  }

  private tick(): void {
    if (++this.steps > MAX_STEPS) this.fail(`template execution exceeded ${MAX_STEPS} steps`);
  }

  private write(text: string): void {
    this.outLength += text.length;
    if (this.outLength > MAX_OUTPUT) this.fail(`template output exceeded ${MAX_OUTPUT} characters`);
    this.out.push(text);
  }

  private printed(value: GoValue): string {
    if (!this.options.html) return value === undefined ? '<no value>' : formatValue(value);
    return value === undefined || value === null ? '' : htmlTextEscape(formatValue(value));
  }

  private walkList(dot: GoValue, list: ListNode): void {
    for (const node of list.nodes) this.walk(dot, node);
  }

  private walk(dot: GoValue, node: Node): void {
    this.tick();
    switch (node.type) {
      case 'text':
        this.write(node.text);
        return;
      case 'action': {
        // Variables declared by an action live until the enclosing block ends, so they are not popped.
        const value = this.evalPipeline(dot, node.pipe);
        if (node.pipe.decl.length === 0) this.write(this.printed(value));
        return;
      }
      case 'if':
      case 'with': {
        const mark = this.vars.length;
        const value = this.evalPipeline(dot, node.pipe);
        if (isTrue(value)) this.walkList(node.type === 'with' ? value : dot, node.list);
        else if (node.elseList) this.walkList(dot, node.elseList);
        this.vars.length = mark;
        return;
      }
      case 'range':
        this.walkRange(dot, node);
        return;
      case 'template':
        this.walkTemplate(dot, node);
        return;
      case 'break':
        throw BREAK;
      case 'continue':
        throw CONTINUE;
    }
  }

  private walkRange(dot: GoValue, node: Extract<Node, { type: 'range' }>): void {
    const outer = this.vars.length;
    const value = this.evalPipeline(dot, node.pipe);
    const mark = this.vars.length;
    const declared = node.pipe.decl.length;
    const iterate = (key: GoValue, elem: GoValue): boolean => {
      if (declared > 0) this.vars[mark - 1]!.value = elem;
      if (declared > 1) this.vars[mark - 2]!.value = key;
      try {
        this.walkList(elem, node.list);
      } catch (signal) {
        if (signal === BREAK) return false;
        if (signal !== CONTINUE) throw signal;
      } finally {
        this.vars.length = mark;
      }
      return true;
    };

    let ran = false;
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) {
        ran = true;
        if (!iterate(int(i), value[i])) break;
      }
    } else if (value instanceof Map) {
      for (const key of [...value.keys()].sort(compareUtf8)) {
        ran = true;
        if (!iterate(key, value.get(key))) break;
      }
    } else if (value !== undefined && value !== null) {
      this.fail(`range can't iterate over ${formatValue(value)}`);
    }
    if (!ran && node.elseList) this.walkList(dot, node.elseList);
    this.vars.length = outer;
  }

  private walkTemplate(dot: GoValue, node: Extract<Node, { type: 'template' }>): void {
    this.at(node.pos, `{{template ${JSON.stringify(node.name)}${node.pipe ? ' ' + pipeText(node.pipe) : ''}}}`);
    const tree = this.parsed.trees.get(node.name);
    if (!tree) this.fail(`template ${JSON.stringify(node.name)} not defined`);
    if (this.depth >= MAX_DEPTH) this.fail(`exceeded maximum template depth (${MAX_DEPTH})`);
    const value = node.pipe ? this.evalPipeline(dot, node.pipe) : undefined;
    const saved = { vars: this.vars, template: this.template };
    this.vars = [{ name: '$', value }];
    this.template = node.name;
    this.depth++;
    try {
      this.walkList(value, tree);
    } finally {
      this.depth--;
      this.vars = saved.vars;
      this.template = saved.template;
    }
  }

  private evalPipeline(dot: GoValue, pipe: PipeNode): GoValue {
    this.at(pipe.pos, pipeText(pipe));
    let value: Final = MISSING;
    for (const cmd of pipe.cmds) {
      value = this.evalCommand(dot, cmd, value);
      // Go unwraps interface{} results between commands; a nil interface becomes "no value".
      if (value === null) value = undefined;
    }
    const result = value === MISSING ? undefined : value;
    for (const name of pipe.decl) {
      if (pipe.isAssign) this.setVar(name, result);
      else this.vars.push({ name, value: result });
    }
    return result;
  }

  private setVar(name: string, value: GoValue): void {
    for (let i = this.vars.length - 1; i >= 0; i--) {
      if (this.vars[i]!.name === name) {
        this.vars[i]!.value = value;
        return;
      }
    }
    this.fail(`undefined variable: ${name}`);
  }

  private varValue(name: string): GoValue {
    for (let i = this.vars.length - 1; i >= 0; i--) {
      if (this.vars[i]!.name === name) return this.vars[i]!.value;
    }
    this.fail(`undefined variable: ${name}`);
  }

  private notAFunction(args: ArgNode[], final: Final): void {
    if (args.length > 1 || final !== MISSING) this.fail(`can't give argument to non-function ${argText(args[0]!)}`);
  }

  private evalCommand(dot: GoValue, cmd: CommandNode, final: Final): GoValue {
    this.tick();
    const first = cmd.args[0]!;
    switch (first.type) {
      case 'field':
        this.at(first.pos, argText(first));
        return this.evalFieldChain(dot, first.idents, cmd.args, final);
      case 'chain':
        return this.evalChain(dot, first, cmd.args, final);
      case 'identifier':
        return this.evalFunction(dot, first.name, cmd, cmd.args, final);
      case 'pipe':
        this.notAFunction(cmd.args, final);
        return this.evalPipeline(dot, first.pipe);
      case 'variable':
        return this.evalVariable(first, cmd.args, final);
    }
    this.at(first.pos, argText(first));
    this.notAFunction(cmd.args, final);
    switch (first.type) {
      case 'bool':
        return first.value;
      case 'dot':
        return dot;
      case 'nil':
        return this.fail('nil is not a command');
      case 'number':
        return this.constant(first);
      case 'string':
        return first.value;
    }
  }

  /** Go's idealConstant: complex first, then a float spelling, then int; an integer only uint64 holds
   * overflows, and one no integer type holds is no value at all. */
  private constant(node: Extract<ArgNode, { type: 'number' }>): GoValue {
    if (node.imaginary) return new GoComplex(node.real ?? 0, node.value);
    const text = node.text;
    const hexInt = /^[+-]?0[xX]/.test(text) && !/[pP]/.test(text);
    if (node.isFloat && !hexInt && !text.startsWith("'") && /[.eEpP]/.test(text)) return new GoFloat(node.value);
    if (node.int !== null) return int(node.int);
    if (node.uint) this.fail(`${text} overflows int`);
    return undefined;
  }

  private evalVariable(node: Extract<ArgNode, { type: 'variable' }>, args: ArgNode[], final: Final): GoValue {
    this.at(node.pos, argText(node));
    const value = this.varValue(node.idents[0]!);
    if (node.idents.length === 1) {
      this.notAFunction(args, final);
      return value;
    }
    return this.evalFields(value, node.idents.slice(1), args, final);
  }

  private evalChain(dot: GoValue, node: Extract<ArgNode, { type: 'chain' }>, args: ArgNode[], final: Final): GoValue {
    this.at(node.pos, argText(node));
    if (node.node.type === 'nil') this.fail(`indirection through explicit nil in ${argText(node)}`);
    const receiver = this.evalArg(dot, null, node.node);
    return this.evalFields(receiver, node.fields, args, final);
  }

  private evalFieldChain(dot: GoValue, idents: string[], args: ArgNode[], final: Final): GoValue {
    return this.evalFields(dot, idents, args, final);
  }

  private evalFields(receiver: GoValue, idents: string[], args: ArgNode[], final: Final): GoValue {
    let value = receiver;
    idents.forEach((name, i) => {
      const last = i === idents.length - 1;
      value = this.evalField(value, name, last ? args : [], last ? final : MISSING);
    });
    return value;
  }

  private evalField(receiver: GoValue, name: string, args: ArgNode[], final: Final): GoValue {
    if (receiver === undefined) return undefined;
    if (receiver === null) this.fail(`nil pointer evaluating interface {}.${name}`);
    if (receiver instanceof Map) {
      if (args.length > 1 || final !== MISSING) this.fail(`${name} is not a method but has arguments`);
      return receiver.get(name);
    }
    return this.fail(`can't evaluate field ${name} in type interface {}`);
  }

  private evalFunction(dot: GoValue, name: string, cmd: CommandNode | null, args: ArgNode[], final: Final): GoValue {
    const builtin = BUILTINS.get(name);
    if (!builtin) this.fail(`${JSON.stringify(name)} is not a defined function`);
    return this.evalCall(dot, builtin, name, cmd, args.slice(1), final);
  }

  private evalCall(dot: GoValue, fn: Builtin, name: string, cmd: CommandNode | null, args: ArgNode[], final: Final): GoValue {
    const context = cmd ? commandText(cmd) : name;
    const pos = cmd ? cmd.pos : this.atPos;
    const numIn = args.length + (final !== MISSING ? 1 : 0);
    const numFixed = fn.fixed.length;
    this.at(pos, context);
    if (fn.variadic !== null) {
      if (numIn < numFixed) this.fail(`wrong number of args for ${name}: want at least ${numFixed} got ${args.length}`);
    } else if (numIn !== numFixed) {
      this.fail(`wrong number of args for ${name}: want ${numFixed} got ${numIn}`);
    }

    if (name === 'and' || name === 'or') {
      let value: GoValue = undefined;
      for (const arg of args) {
        value = this.evalArg(dot, 'value', arg);
        if (isTrue(value) === (name === 'or')) return value;
      }
      if (final !== MISSING) value = this.validate(final, 'value');
      return value;
    }

    const argv: GoValue[] = [];
    args.forEach((arg, i) => {
      const type = i < numFixed ? fn.fixed[i]! : fn.variadic!;
      argv.push(this.evalArg(dot, type, arg));
    });
    if (final !== MISSING) {
      const type = fn.variadic !== null && numIn - 1 >= numFixed ? fn.variadic : fn.fixed[numIn - 1]!;
      argv.push(this.validate(final, type));
    }
    try {
      return fn.fn(argv);
    } catch (error) {
      this.at(pos, context);
      if (error instanceof CallError) this.fail(`error calling ${name}: ${error.message}`);
      throw error;
    }
  }

  /** Go's validateType for the three parameter kinds builtins have (null: no parameter, a chain's receiver). */
  private validate(value: GoValue, type: ArgType | null): GoValue {
    if (value === undefined) {
      if (type === null || type === 'value') return undefined;
      if (type === 'any') return null;
      this.fail('invalid value; expected string');
    }
    if (type === 'string' && typeof value !== 'string') {
      this.fail(`wrong type for value; expected string; got ${value === null ? 'interface {}' : goTypeOfField(value)}`);
    }
    return value;
  }

  private evalArg(dot: GoValue, type: ArgType | null, arg: ArgNode): GoValue {
    this.at(arg.pos, argText(arg));
    switch (arg.type) {
      case 'dot':
        return this.validate(dot, type);
      case 'nil':
        if (type !== 'string') return null;
        return this.fail('cannot assign nil to string');
      case 'field':
        return this.validate(this.evalFieldChain(dot, arg.idents, [arg], MISSING), type);
      case 'variable':
        return this.validate(this.evalVariable(arg, [arg], MISSING), type);
      case 'pipe':
        return this.validate(this.evalPipeline(dot, arg.pipe), type);
      case 'identifier':
        return this.validate(this.evalFunction(dot, arg.name, null, [arg], MISSING), type);
      case 'chain':
        return this.validate(this.evalChain(dot, arg, [arg], MISSING), type);
    }
    if (type === 'string') {
      if (arg.type === 'string') return arg.value;
      return this.fail(`expected string; found ${argText(arg)}`);
    }
    switch (arg.type) {
      case 'bool':
        return arg.value;
      case 'number':
        return this.constant(arg);
      case 'string':
        return arg.value;
    }
  }
}

function goTypeOfField(value: GoValue): string {
  if (value instanceof Map) return 'interface {}';
  return typeName(value);
}
