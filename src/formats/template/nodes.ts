/** The parse tree of a template, shaped like Go's text/template/parse so behaviour maps one to one. */

export type Node =
  | TextNode
  | ActionNode
  | IfNode
  | RangeNode
  | WithNode
  | TemplateNode
  | BreakNode
  | ContinueNode;

export interface ListNode {
  nodes: Node[];
}

export interface TextNode {
  type: 'text';
  text: string;
}

export interface ActionNode {
  type: 'action';
  pos: number;
  pipe: PipeNode;
}

interface ControlNode {
  pos: number;
  pipe: PipeNode;
  list: ListNode;
  elseList: ListNode | null;
}

export interface IfNode extends ControlNode {
  type: 'if';
}

export interface WithNode extends ControlNode {
  type: 'with';
}

export interface RangeNode extends ControlNode {
  type: 'range';
}

export interface TemplateNode {
  type: 'template';
  pos: number;
  name: string;
  pipe: PipeNode | null;
}

export interface BreakNode {
  type: 'break';
  pos: number;
}

export interface ContinueNode {
  type: 'continue';
  pos: number;
}

export interface PipeNode {
  pos: number;
  /** Source text, for error messages. */
  text: string;
  isAssign: boolean;
  decl: string[];
  cmds: CommandNode[];
}

export interface CommandNode {
  pos: number;
  args: ArgNode[];
}

export type ArgNode =
  | { type: 'field'; pos: number; idents: string[] }
  | { type: 'variable'; pos: number; idents: string[] }
  | { type: 'chain'; pos: number; node: ArgNode; fields: string[] }
  | { type: 'identifier'; pos: number; name: string }
  | { type: 'dot'; pos: number }
  | { type: 'nil'; pos: number }
  | { type: 'bool'; pos: number; value: boolean }
  /** A number literal as Go's parse.NumberNode holds it: `int` when it fits int64, the float64 value
   * (the imaginary part when `imaginary`), and whether its spelling makes it a float constant. */
  | { type: 'number'; pos: number; text: string; value: number; real?: number; isFloat: boolean; int: bigint | null; uint: boolean; imaginary: boolean }
  | { type: 'string'; pos: number; text: string; value: string }
  | { type: 'pipe'; pos: number; pipe: PipeNode };

export function argText(arg: ArgNode): string {
  switch (arg.type) {
    case 'field':
      return '.' + arg.idents.join('.');
    case 'variable':
      return arg.idents.join('.');
    case 'chain':
      return argText(arg.node) + '.' + arg.fields.join('.');
    case 'identifier':
      return arg.name;
    case 'dot':
      return '.';
    case 'nil':
      return 'nil';
    case 'bool':
      return String(arg.value);
    case 'number':
    case 'string':
      return arg.text;
    case 'pipe':
      return '(' + arg.pipe.text + ')';
  }
}
