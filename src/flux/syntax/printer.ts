import { formatRfc3339Nano } from '../../core/time.js';
import type {
  Attribute,
  BinaryOperator,
  Block,
  Expression,
  Identifier,
  MonoType,
  Node,
  Property,
  Statement,
  StringLiteral,
  TypeExpression,
  Visitor,
} from './ast.js';
import { visit } from './ast.js';

/**
 * Prints an AST as Flux source. The output parses back to the same tree (locations aside):
 * parentheses are added only where the tree's shape needs them, so a parsed tree, which keeps
 * its ParenExpressions, prints without extra ones. Comments are not kept in the AST, so they are
 * not printed.
 */
export function print(node: Node): string {
  return new Printer().node(node);
}

const INDENT = '    ';

/** Binding strength: higher binds tighter. */
const PRIMARY = 12;
const POSTFIX = 11;
const PREFIX = 10;
const PIPE = 9;
const BINARY_LEVEL: Record<BinaryOperator, number> = {
  '^': 8,
  '*': 7,
  '/': 7,
  '%': 7,
  '+': 6,
  '-': 6,
  '==': 5,
  '!=': 5,
  '<': 5,
  '<=': 5,
  '>': 5,
  '>=': 5,
  '=~': 5,
  '!~': 5,
  '<INVALID_OP>': 5,
};
const NOT_EXISTS = 4;
const AND = 3;
const OR = 2;
const FULL = 0;

/** Where an expression is printed: the weakest binding allowed, and whether anything follows. */
interface Context {
  readonly min: number;
  readonly rightmost: boolean;
}
const FULL_CONTEXT: Context = { min: FULL, rightmost: true };

const IDENTIFIER = /^[\p{L}_][\p{L}\p{Nd}_]*$/u;
const KEYWORDS = new Set([
  'and', 'or', 'not', 'import', 'package', 'return', 'option', 'builtin', 'testcase', 'if', 'then', 'else', 'exists',
]);

function level(e: Expression): number {
  switch (e.kind) {
    case 'ConditionalExpression':
      return FULL;
    case 'LogicalExpression':
      return e.operator === 'or' ? OR : AND;
    case 'UnaryExpression':
      return e.operator === 'not' || e.operator === 'exists' ? NOT_EXISTS : PREFIX;
    case 'BinaryExpression':
      return BINARY_LEVEL[e.operator];
    case 'PipeExpression':
      return PIPE;
    case 'CallExpression':
    case 'MemberExpression':
    case 'IndexExpression':
      return POSTFIX;
    default:
      return PRIMARY;
  }
}

/** Escapes decoded string text for printing between double quotes (newlines stay as they are). */
export function escapeStringText(text: string, beforeInterpolation = false): string {
  let out = '';
  const chars = [...text];
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i]!;
    const next = chars[i + 1];
    switch (c) {
      case '\\':
        out += '\\\\';
        break;
      case '"':
        out += '\\"';
        break;
      case '\r':
        out += '\\r';
        break;
      case '\t':
        out += '\\t';
        break;
      case '$': {
        // A bare `$` is only safe before a character the scanner will not read specially.
        const risky =
          next === undefined
            ? beforeInterpolation
            : next === '{' || next === '"' || next === '\\' || next === '\r' || next === '\t';
        out += risky ? '\\x24' : '$';
        break;
      }
      default:
        out += c;
    }
  }
  return out;
}

/**
 * A regex pattern between slashes: `/` becomes `\/`. A pattern ending in the escape `\\` is
 * written `\x5c\x5c`, since a backslash just before the closing slash would escape it (and
 * Flux's scanner would read on to a later slash).
 */
export function regexBody(pattern: string): string {
  let body = '';
  let i = 0;
  while (i < pattern.length) {
    const c = pattern[i]!;
    if (c === '\\' && i + 1 < pattern.length) {
      const pair = pattern.slice(i, i + 2);
      // `\/` and `\x` in the pattern would be read back as Flux escapes, so their backslash is spelled out.
      if (pair === '\\\\' && i + 2 === pattern.length) body += '\\x5c\\x5c';
      else if (pair === '\\/') body += '\\x5c\\/';
      else if (pair === '\\x') body += '\\x5cx';
      else body += pair;
      i += 2;
    } else {
      body += c === '/' ? '\\/' : c === '\\' ? '\\x5c' : c;
      i += 1;
    }
  }
  return body;
}

/** A float in plain decimal notation with a decimal point, as Flux literals require. */
export function formatFloat(v: number): string {
  let s = String(v);
  const exp = /^(-?)(\d)(?:\.(\d+))?e([+-]\d+)$/.exec(s);
  if (exp !== null) {
    const [, sign = '', lead = '', frac = '', e = '0'] = exp;
    const digits = lead + frac;
    const point = 1 + Number(e);
    s =
      point <= 0
        ? `${sign}0.${'0'.repeat(-point)}${digits}`
        : point >= digits.length
          ? `${sign}${digits}${'0'.repeat(point - digits.length)}`
          : `${sign}${digits.slice(0, point)}.${digits.slice(point)}`;
  }
  return s.includes('.') ? s : `${s}.0`;
}

class Printer {
  private depth = 0;
  /** The context of the expression being printed (read by operators for their operands). */
  private ctx: Context = FULL_CONTEXT;

  node(n: Node): string {
    return visit(n, this.visitor);
  }

  private pad(): string {
    return INDENT.repeat(this.depth);
  }

  private expr(e: Expression, ctx: Context): string {
    const isFunction = e.kind === 'FunctionExpression';
    const needsParens = isFunction ? !ctx.rightmost : level(e) < ctx.min;
    const saved = this.ctx;
    this.ctx = needsParens ? FULL_CONTEXT : ctx;
    try {
      const text = this.node(e);
      return needsParens ? `(${text})` : text;
    } finally {
      this.ctx = saved;
    }
  }

  private full(e: Expression): string {
    return this.expr(e, FULL_CONTEXT);
  }

  private attributes(attrs: readonly Attribute[]): string {
    return attrs.map((a) => `${this.node(a)}\n${this.pad()}`).join('');
  }

  /** One statement a line; a statement spanning several lines gets a blank line around it. */
  private statements(stmts: readonly Statement[]): string {
    let out = '';
    let prevMultiline = false;
    stmts.forEach((s, i) => {
      const text = this.node(s);
      const multiline = text.includes('\n');
      if (i > 0 && (multiline || prevMultiline)) out += '\n';
      out += `${this.pad()}${text}\n`;
      prevMultiline = multiline;
    });
    return out;
  }

  private block(b: Block): string {
    if (b.body.length === 0) return '{}';
    this.depth++;
    const body = this.statements(b.body);
    this.depth--;
    return `{\n${body}${this.pad()}}`;
  }

  private key(k: Identifier | StringLiteral): string {
    return k.kind === 'Identifier' ? k.name : this.node(k);
  }

  private properties(props: readonly Property[]): string {
    return props.map((p) => this.node(p)).join(', ');
  }

  private params(props: readonly Property[]): string {
    return props
      .map((p) => (p.value === null ? this.key(p.key) : `${this.key(p.key)}=${this.full(p.value)}`))
      .join(', ');
  }

  private binary(op: string, left: Expression, right: Expression, lvl: number): string {
    const ctx = this.ctx;
    const l = this.expr(left, { min: lvl, rightmost: false });
    const r = this.expr(right, { min: lvl + 1, rightmost: ctx.rightmost });
    // Flux's parser joins operands it found side by side with no operator; print them that way.
    return op === '<INVALID_OP>' ? `${l} ${r}` : `${l} ${op} ${r}`;
  }

  private typeExpr(t: TypeExpression): string {
    const mono = this.node(t.monotype);
    if (t.constraints.length === 0) return mono;
    return `${mono} where ${t.constraints.map((c) => this.node(c)).join(', ')}`;
  }

  private mono(t: MonoType): string {
    return this.node(t);
  }

  /**
   * Expressions are printed through `expr` with a context; the visitor's entries for them print
   * the node assuming no parentheses are needed, with operands in their required contexts.
   */
  private readonly visitor: Visitor<string> = {
    File: (n) => {
      const parts: string[] = [];
      if (n.package) parts.push(`${this.node(n.package)}\n`);
      if (n.imports.length > 0) parts.push(n.imports.map((i) => `${this.node(i)}\n`).join(''));
      if (n.body.length > 0) parts.push(this.statements(n.body));
      return parts.join('\n');
    },
    PackageClause: (n) => `${this.attributes(n.attributes)}package ${n.name.name}`,
    ImportDeclaration: (n) =>
      `${this.attributes(n.attributes)}import ${n.alias ? `${n.alias.name} ` : ''}${this.node(n.path)}`,
    Attribute: (n) =>
      n.params.length === 0 ? `@${n.name}` : `@${n.name}(${n.params.map((p) => this.full(p)).join(', ')})`,
    Block: (n) => this.block(n),
    OptionStatement: (n) => `${this.attributes(n.attributes)}option ${this.node(n.assignment)}`,
    BuiltinStatement: (n) => `${this.attributes(n.attributes)}builtin ${n.id.name} : ${this.typeExpr(n.type)}`,
    VariableAssignment: (n) => `${this.attributes(n.attributes)}${n.id.name} = ${this.full(n.init)}`,
    MemberAssignment: (n) => `${this.node(n.member)} = ${this.full(n.init)}`,
    ExpressionStatement: (n) => `${this.attributes(n.attributes)}${this.full(n.expression)}`,
    ReturnStatement: (n) => `${this.attributes(n.attributes)}return ${this.full(n.argument)}`,
    TestCaseStatement: (n) =>
      `${this.attributes(n.attributes)}testcase ${n.id.name}${n.extends ? ` extends ${this.node(n.extends)}` : ''} ${this.block(n.block)}`,
    BadStatement: (n) => `${this.attributes(n.attributes)}${n.text}`,
    Identifier: (n) => n.name,
    IntegerLiteral: (n) => n.value.toString(),
    FloatLiteral: (n) => formatFloat(n.value),
    StringLiteral: (n) => `"${escapeStringText(n.value)}"`,
    StringExpression: (n) =>
      `"${n.parts
        .map((p, i) =>
          p.kind === 'TextPart'
            ? escapeStringText(p.value, n.parts[i + 1]?.kind === 'InterpolatedPart')
            : this.node(p),
        )
        .join('')}"`,
    TextPart: (n) => escapeStringText(n.value),
    InterpolatedPart: (n) => `\${${this.full(n.expression)}}`,
    RegexpLiteral: (n) => `/${regexBody(n.value)}/`,
    DurationLiteral: (n) => n.values.map((v) => `${v.magnitude}${v.unit}`).join(''),
    DateTimeLiteral: (n) => (n.text !== '' ? n.text : formatRfc3339Nano(n.value)),
    PipeLiteral: () => '<-',
    LabelLiteral: (n) =>
      IDENTIFIER.test(n.value) && !KEYWORDS.has(n.value) ? `.${n.value}` : `."${escapeStringText(n.value)}"`,
    ArrayExpression: (n) => `[${n.elements.map((e) => this.full(e)).join(', ')}]`,
    DictExpression: (n) =>
      n.elements.length === 0
        ? '[:]'
        : `[${n.elements.map((e) => `${this.full(e.key)}: ${this.full(e.value)}`).join(', ')}]`,
    Property: (n) => (n.value === null ? this.key(n.key) : `${this.key(n.key)}: ${this.full(n.value)}`),
    RecordExpression: (n) =>
      n.with
        ? `{${n.with.name} with ${this.properties(n.properties)}}`
        : `{${this.properties(n.properties)}}`,
    FunctionExpression: (n) => {
      const params = `(${this.params(n.params)}) => `;
      if (n.body.kind === 'Block') return params + this.block(n.body);
      const body = this.full(n.body);
      // A body starting with a record (`{a} * b` too) must be parenthesised, or it reads as a block.
      return params + (body.startsWith('{') ? `(${body})` : body);
    },
    CallExpression: (n) =>
      `${this.expr(n.callee, { min: POSTFIX, rightmost: false })}(${n.arguments ? this.properties(n.arguments.properties) : ''})`,
    PipeExpression: (n) => {
      // A chain of two or more pipes goes one call per line, as Flux's formatter lays it out.
      const calls = [n.call];
      let base: Expression = n.argument;
      while (base.kind === 'PipeExpression') {
        calls.unshift(base.call);
        base = base.argument;
      }
      const head = this.expr(base, { min: PIPE, rightmost: false });
      const sep = calls.length > 1 ? `\n${this.pad()}${INDENT}|> ` : ' |> ';
      return head + calls.map((c) => sep + this.node(c)).join('');
    },
    MemberExpression: (n) => {
      const obj = this.expr(n.object, { min: POSTFIX, rightmost: false });
      // `0.a` would scan as the float `0.` then `a`.
      const dot = n.object.kind === 'IntegerLiteral' ? ' .' : '.';
      return n.property.kind === 'Identifier' ? `${obj}${dot}${n.property.name}` : `${obj}[${this.node(n.property)}]`;
    },
    IndexExpression: (n) => {
      const array = this.expr(n.array, { min: POSTFIX, rightmost: false });
      // `a["k"]` reads as member access, so a string index keeps its own parentheses.
      const index = this.full(n.index);
      return `${array}[${n.index.kind === 'StringLiteral' ? `(${index})` : index}]`;
    },
    BinaryExpression: (n) => this.binary(n.operator, n.left, n.right, BINARY_LEVEL[n.operator]),
    UnaryExpression: (n) =>
      n.operator === 'not' || n.operator === 'exists'
        ? `${n.operator} ${this.expr(n.argument, { min: NOT_EXISTS, rightmost: this.ctx.rightmost })}`
        : `${n.operator}${this.expr(n.argument, { min: PREFIX, rightmost: this.ctx.rightmost })}`,
    LogicalExpression: (n) => this.binary(n.operator, n.left, n.right, n.operator === 'or' ? OR : AND),
    ConditionalExpression: (n) =>
      `if ${this.full(n.test)} then ${this.full(n.consequent)} else ${this.full(n.alternate)}`,
    ParenExpression: (n) => `(${this.full(n.expression)})`,
    BadExpression: (n) => n.text,
    TypeExpression: (n) => this.typeExpr(n),
    TypeConstraint: (n) => `${n.tvar.name}: ${n.kinds.map((k) => k.name).join(' + ')}`,
    NamedType: (n) => n.name.name,
    TvarType: (n) => n.name.name,
    ArrayType: (n) => `[${this.mono(n.element)}]`,
    StreamType: (n) => `stream[${this.mono(n.element)}]`,
    VectorType: (n) => `vector[${this.mono(n.element)}]`,
    DictType: (n) => `[${this.mono(n.key)}: ${this.mono(n.value)}]`,
    DynamicType: () => 'dynamic',
    RecordType: (n) => {
      const props = n.properties.map((p) => this.node(p)).join(', ');
      return n.tvar ? `{${n.tvar.name} with ${props}}` : `{${props}}`;
    },
    PropertyType: (n) => `${this.key(n.name)}: ${this.mono(n.monotype)}`,
    FunctionType: (n) => `(${n.parameters.map((p) => this.node(p)).join(', ')}) => ${this.mono(n.monotype)}`,
    ParameterType: (n) => {
      const name = n.name ? n.name.name : '';
      const prefix = n.mode === 'optional' ? '?' : n.mode === 'pipe' ? '<-' : '';
      const dflt = n.default ? ` = ${this.node(n.default)}` : '';
      return `${prefix}${name}: ${this.mono(n.monotype)}${dflt}`;
    },
  };
}
