import type {
  Attribute,
  BinaryOperator,
  Block,
  CallExpression,
  Expression,
  File,
  Identifier,
  ImportDeclaration,
  LabelLiteral,
  MemberAssignment,
  Node,
  NodeFields,
  NodeKind,
  NodeOfKind,
  PackageClause,
  Position,
  RecordExpression,
  SourceLocation,
  Statement,
  StringLiteral,
  VariableAssignment,
} from './ast.js';
import { makeNode } from './ast.js';
import type { Diagnostic } from './diagnostic.js';
import { collectDiagnostics, MAX_CHECK_DEPTH } from './check.js';
import { decodeString } from './literals.js';
import type { Message } from './messages.js';
import { messages } from './messages.js';
import { Scanner } from './scanner.js';
import type { Token, TokenType } from './token.js';
import { parsePrimaryExpression, parsePropertyList } from './primary-parser.js';
import { parseTypeExpression } from './type-parser.js';
import { anchorShapes } from '../../core/shape-anchors.js';

export interface ParseResult {
  readonly file: File;
  /** Every problem found, in source-walk order; empty for a well-formed file. */
  readonly diagnostics: readonly Diagnostic[];
}

/** Shared by every node without errors (never mutated: errors are only ever replaced). */
const NO_ERRORS: Message[] = [];

/** Flux's parser gives up on nesting deeper than this (statements plus expressions). */
const MAX_DEPTH = 80;

/**
 * Prefix operators (`- - x`, `not not x`) and type expressions recurse without Flux's depth
 * guard; this much deeper limit only keeps hostile input from exhausting the stack.
 */
const MAX_UNGUARDED_DEPTH = 1000;

const EXPRESSION_START: ReadonlySet<TokenType> = new Set<TokenType>([
  'INT',
  'FLOAT',
  'STRING',
  'DIV',
  'TIME',
  'DURATION',
  'PIPE_RECEIVE',
  'LPAREN',
  'LBRACK',
  'LBRACE',
  'ADD',
  'SUB',
  'NOT',
  'IF',
  'EXISTS',
  'QUOTE',
]);

const COMPARISON: ReadonlyMap<TokenType, BinaryOperator> = new Map<TokenType, BinaryOperator>([
  ['EQ', '=='],
  ['NEQ', '!='],
  ['LTE', '<='],
  ['LT', '<'],
  ['GTE', '>='],
  ['GT', '>'],
  ['REGEXEQ', '=~'],
  ['REGEXNEQ', '!~'],
]);
const ADDITIVE: ReadonlyMap<TokenType, BinaryOperator> = new Map<TokenType, BinaryOperator>([
  ['ADD', '+'],
  ['SUB', '-'],
]);
const MULTIPLICATIVE: ReadonlyMap<TokenType, BinaryOperator> = new Map<TokenType, BinaryOperator>([
  ['MUL', '*'],
  ['DIV', '/'],
  ['MOD', '%'],
]);
const EXPONENT: ReadonlyMap<TokenType, BinaryOperator> = new Map<TokenType, BinaryOperator>([['POW', '^']]);

/**
 * Parses a Flux source file. Never throws on bad input: problems come back as diagnostics
 * (all of them, with positions, in Flux's wording) next to a best-effort tree.
 */
export function parse(source: string, fileName = ''): ParseResult {
  const parser = new Parser(source, fileName);
  const file = parser.parseFile();
  // The walk finds something only when the parser saw a problem or the tree could be deeper than
  // Flux allows (a tree cannot be deeper than it has nodes); skip it for small clean input.
  const walk = parser.suspect || parser.nodeCount > MAX_CHECK_DEPTH;
  const diagnostics = walk ? collectDiagnostics(file, parser.errors, fileName) : [];
  return { file, diagnostics };
}

export interface ExpressionParseResult {
  /** The expression; a BadExpression when there were diagnostics. */
  readonly expression: Expression;
  readonly diagnostics: readonly Diagnostic[];
}

/**
 * Parses source that must be exactly one expression (`1h`, `r._value > 0`, a task option value).
 * Anything else (statements, several expressions) is a diagnostic.
 */
export function parseExpression(source: string, fileName = ''): ExpressionParseResult {
  const { file, diagnostics } = parse(source, fileName);
  const only = file.body.length === 1 && file.package === null && file.imports.length === 0 ? file.body[0] : undefined;
  if (diagnostics.length === 0 && only?.kind === 'ExpressionStatement') {
    return { expression: only.expression, diagnostics };
  }
  const bad = makeNode('BadExpression', file.loc, { text: source });
  if (diagnostics.length > 0) return { expression: bad, diagnostics };
  const msg = messages.singleExpression();
  return { expression: bad, diagnostics: [{ code: msg.code, message: msg.message, loc: file.loc, file: fileName }] };
}

/**
 * The parser. It follows Flux's own recovery strategy so that error positions match Flux's:
 * problems are queued as they are found and handed to the next node built, and the diagnostics
 * are read off the finished tree in walk order (check.ts).
 */
export class Parser {
  readonly scanner: Scanner;
  readonly fileName: string;
  /** Messages handed to each node, read by check.ts. */
  readonly errors = new Map<Node, Message[]>();
  /**
   * Set when anything check.ts could report was built: an error, a bad node, a record with a
   * shorthand property. False means the tree has no diagnostics at all.
   */
  suspect = false;
  /** Nodes built so far. */
  nodeCount = 0;
  private buffered: Token | null = null;
  private pending: Message[] = [];
  private readonly blocks = new Map<TokenType, number>();
  private depth = 0;

  constructor(source: string, fileName = '') {
    this.scanner = new Scanner(source);
    this.fileName = fileName;
  }

  // --------------------------------------------------------------------------------------------
  // Token plumbing

  scan(): Token {
    const t = this.buffered;
    if (t !== null) {
      this.buffered = null;
      return t;
    }
    return this.scanner.scan('main');
  }

  peek(): Token {
    this.buffered ??= this.scanner.scan('main');
    return this.buffered;
  }

  /** Like peek, but a `/` here starts a regex literal rather than being division. */
  peekWithRegex(): Token {
    if (this.buffered?.type === 'DIV') {
      this.buffered = null;
      this.scanner.unread();
    }
    this.buffered ??= this.scanner.scan('regex');
    return this.buffered;
  }

  consume(): Token {
    const t = this.buffered;
    if (t === null) throw new Error('consume without peek');
    this.buffered = null;
    return t;
  }

  /** Reads the next token; records an error when it is not one of `expected`. */
  expect(...expected: TokenType[]): Token {
    const t = this.scan();
    if (!expected.includes(t.type)) {
      this.error(t.type === 'EOF' ? messages.expectedGotEof(expected) : messages.expectedGot(expected, t));
    }
    return t;
  }

  /** Like expect, but leaves a wrong token unread and returns an empty ILLEGAL token. */
  expectOrSkip(expected: TokenType): Token {
    const t = this.scan();
    if (t.type === expected) return t;
    this.buffered = t;
    if (t.type === 'EOF') {
      this.error(messages.expectedGotEof([expected]));
      return t;
    }
    this.error(messages.expectedGot([expected], t));
    return { ...t, type: 'ILLEGAL', lit: '', endOffset: t.startOffset, end: t.start };
  }

  open(start: TokenType, end: TokenType): Token {
    const t = this.expect(start);
    this.blocks.set(end, (this.blocks.get(end) ?? 0) + 1);
    return t;
  }

  /** False at EOF or at a token that closes an enclosing block. */
  more(): boolean {
    const t = this.peek().type;
    if (t === 'EOF') return false;
    const open = this.blocks.get(t);
    return open === undefined || open === 0;
  }

  /** Closes a block; a missing close token is an error but is not consumed. */
  close(end: TokenType): Token {
    this.blocks.set(end, (this.blocks.get(end) ?? 0) - 1);
    const t = this.peek();
    if (t.type === end) return this.consume();
    this.error(messages.expectedClose(end, t.type));
    return t;
  }

  error(msg: Message): void {
    this.pending.push(msg);
    this.suspect = true;
  }

  // --------------------------------------------------------------------------------------------
  // Node building

  /** Builds a node and hands it the errors queued so far. */
  node<K extends NodeKind>(kind: K, loc: SourceLocation, fields: NodeFields<K>): NodeOfKind<K> {
    return this.nodeWith(kind, loc, fields, this.takeErrors());
  }

  /** Builds a node that takes no queued errors (it is an error itself, or a placeholder). */
  bare<K extends NodeKind>(kind: K, loc: SourceLocation, fields: NodeFields<K>): NodeOfKind<K> {
    if (kind === 'BadExpression' || kind === 'BadStatement') this.suspect = true;
    this.nodeCount++;
    return makeNode(kind, loc, fields);
  }

  nodeWith<K extends NodeKind>(
    kind: K,
    loc: SourceLocation,
    fields: NodeFields<K>,
    errors: Message[],
  ): NodeOfKind<K> {
    const n = makeNode(kind, loc, fields);
    this.nodeCount++;
    if (errors.length > 0) this.errors.set(n, errors);
    if (kind === 'BadStatement' || kind === 'BadExpression') this.suspect = true;
    if (kind === 'RecordExpression' && (n as RecordExpression).properties.some((p) => p.value === null)) {
      this.suspect = true;
    }
    return n;
  }

  takeErrors(): Message[] {
    const e = this.pending;
    if (e.length === 0) return NO_ERRORS;
    this.pending = [];
    return e;
  }

  /** Adds errors to a node that already exists. */
  private addErrors(n: Node, errors: Message[]): void {
    if (errors.length === 0) return;
    this.suspect = true;
    this.errors.set(n, [...(this.errors.get(n) ?? []), ...errors]);
  }

  span(start: Position, end: Position): SourceLocation {
    return { start, end };
  }

  tokenLoc(t: Token): SourceLocation {
    return { start: t.start, end: t.end };
  }

  // --------------------------------------------------------------------------------------------
  // File, package, imports, statements

  parseFile(): File {
    const startPos = this.peek().start;
    let end = startPos;
    const inner = this.parseAttributes();
    let pkg: PackageClause | null = null;
    let attrs: Attribute[] | null = inner;
    if (this.peek().type === 'PACKAGE') {
      pkg = this.parsePackageClause(inner);
      attrs = null;
      end = pkg.loc.end;
    }
    const imports: ImportDeclaration[] = [];
    for (;;) {
      const t = this.peek();
      if (t.type === 'ATTRIBUTE') {
        if (attrs !== null) this.error(messages.multipleAttributeLists());
        attrs = this.parseAttributes();
      } else if (t.type === 'IMPORT') {
        imports.push(this.parseImport(attrs));
        attrs = null;
      } else {
        break;
      }
    }
    if (imports.length > 0) end = imports[imports.length - 1]!.loc.end;
    const [body, leftover] = this.parseStatementList(attrs);
    if (leftover !== null && leftover.length > 0) {
      const first = leftover[0]!;
      const last = leftover[leftover.length - 1]!;
      body.push(
        this.node('BadStatement', this.span(first.loc.start, last.loc.end), {
          attributes: [],
          text: messages.extraAttributes(),
        }),
      );
    }
    if (body.length > 0) end = body[body.length - 1]!.loc.end;
    // Flux drops errors still queued at the end; we keep them on the file so none is lost.
    return this.node('File', this.span(startPos, end), { name: this.fileName, package: pkg, imports, body });
  }

  private parsePackageClause(attributes: Attribute[]): PackageClause {
    const t = this.consume();
    const name = this.parseIdentifier();
    return this.node('PackageClause', this.span(t.start, name.loc.end), { attributes, name });
  }

  private parseImport(attrs: Attribute[] | null): ImportDeclaration {
    const attributes = attrs ?? this.parseAttributes();
    const t = this.expect('IMPORT');
    const alias = this.peek().type === 'IDENT' ? this.parseIdentifier() : null;
    const path = this.parseStringLiteral();
    return this.node('ImportDeclaration', this.span(t.start, path.loc.end), { attributes, alias, path });
  }

  private parseStatementList(attrs: Attribute[] | null): [Statement[], Attribute[] | null] {
    const stmts: Statement[] = [];
    let pendingAttrs = attrs;
    while (this.more()) {
      stmts.push(this.parseStatement(pendingAttrs));
      pendingAttrs = null;
    }
    return [stmts, pendingAttrs];
  }

  private unguardedDepth = 0;

  /**
   * Runs `f` one level deeper in a construct Flux does not depth-guard; past the stack-safety
   * limit, reports "Program is nested too deep" and returns `fallback()` instead.
   */
  nested<T>(f: () => T, fallback: () => T): T {
    this.unguardedDepth++;
    try {
      if (this.unguardedDepth <= MAX_UNGUARDED_DEPTH) return f();
      this.error(messages.nestedTooDeep());
      return fallback();
    } finally {
      this.unguardedDepth--;
    }
  }

  /** Counts nesting; false (with an error queued) when it is too deep to go on. */
  private enter(): boolean {
    this.depth++;
    if (this.depth <= MAX_DEPTH) return true;
    this.error(messages.nestedTooDeep());
    return false;
  }

  parseStatement(attrs: Attribute[] | null = null): Statement {
    try {
      if (this.enter()) return this.parseStatementInner(attrs);
      const t = this.scan();
      return this.node('BadStatement', this.tokenLoc(t), { attributes: [], text: t.lit });
    } finally {
      this.depth--;
    }
  }

  private parseStatementInner(attrs: Attribute[] | null): Statement {
    const attributes = attrs ?? this.parseAttributes();
    const t = this.peek();
    if (EXPRESSION_START.has(t.type)) return this.parseExpressionStatement(attributes);
    switch (t.type) {
      case 'IDENT':
        return this.parseIdentStatement(attributes);
      case 'OPTION':
        return this.parseOptionStatement(attributes);
      case 'BUILTIN':
        return this.parseBuiltinStatement(attributes);
      case 'TESTCASE':
        return this.parseTestCaseStatement(attributes);
      case 'RETURN': {
        const r = this.expect('RETURN');
        const argument = this.parseExpression();
        return this.node('ReturnStatement', this.span(r.start, argument.loc.end), { attributes, argument });
      }
      default: {
        const bad = this.consume();
        return this.node('BadStatement', this.tokenLoc(bad), { attributes, text: bad.lit });
      }
    }
  }

  private parseOptionStatement(attributes: Attribute[]): Statement {
    const t = this.expect('OPTION');
    const id = this.parseIdentifier();
    let assignment: VariableAssignment | MemberAssignment;
    const next = this.peek();
    if (next.type === 'ASSIGN') {
      this.expect('ASSIGN');
      const init = this.parseExpression();
      assignment = this.node('VariableAssignment', this.span(id.loc.start, init.loc.end), {
        attributes: [],
        id,
        init,
      });
    } else if (next.type === 'DOT') {
      this.consume();
      const prop = this.parseIdentifier();
      this.expect('ASSIGN');
      const init = this.parseExpression();
      const own = this.takeErrors();
      const member = this.node('MemberExpression', this.span(id.loc.start, prop.loc.end), {
        object: id,
        property: prop,
      });
      assignment = this.nodeWith('MemberAssignment', this.span(id.loc.start, init.loc.end), { member, init }, own);
    } else {
      return this.node('BadStatement', this.tokenLoc(t), { attributes, text: t.lit });
    }
    return this.node('OptionStatement', this.span(t.start, assignment.loc.end), { attributes, assignment });
  }

  private parseBuiltinStatement(attributes: Attribute[]): Statement {
    const t = this.expect('BUILTIN');
    const id = this.parseIdentifier();
    this.expect('COLON');
    const type = parseTypeExpression(this);
    return this.node('BuiltinStatement', this.span(t.start, type.loc.end), { attributes, id, type });
  }

  private parseTestCaseStatement(attributes: Attribute[]): Statement {
    const t = this.expect('TESTCASE');
    const id = this.parseIdentifier();
    let ext: StringLiteral | null = null;
    const next = this.peek();
    if (next.type === 'IDENT' && next.lit === 'extends') {
      this.consume();
      ext = this.parseStringLiteral();
    }
    const block = this.parseBlock();
    return this.node('TestCaseStatement', this.span(t.start, block.loc.end), {
      attributes,
      id,
      extends: ext,
      block,
    });
  }

  private parseIdentStatement(attributes: Attribute[]): Statement {
    const id = this.parseIdentifier();
    if (this.peek().type === 'ASSIGN') {
      this.expect('ASSIGN');
      const init = this.parseExpression();
      return this.node('VariableAssignment', this.span(id.loc.start, init.loc.end), { attributes, id, init });
    }
    const expression = this.parseExpressionSuffix(id);
    return this.node('ExpressionStatement', expression.loc, { attributes, expression });
  }

  private parseExpressionStatement(attributes: Attribute[]): Statement {
    const expression = this.parseExpression();
    return this.node('ExpressionStatement', expression.loc, { attributes, expression });
  }

  parseBlock(): Block {
    const start = this.open('LBRACE', 'RBRACE');
    const [body] = this.parseStatementList(null);
    const end = this.close('RBRACE');
    return this.node('Block', this.span(start.start, end.end), { body });
  }

  // --------------------------------------------------------------------------------------------
  // Attributes

  private parseAttributes(): Attribute[] {
    const attrs: Attribute[] = [];
    while (this.peek().type === 'ATTRIBUTE') attrs.push(this.parseAttribute());
    return attrs;
  }

  private parseAttribute(): Attribute {
    const tok = this.expect('ATTRIBUTE');
    const name = tok.lit.slice(1);
    if (this.peek().type !== 'LPAREN') {
      return this.node('Attribute', this.tokenLoc(tok), { name, params: [] });
    }
    this.open('LPAREN', 'RPAREN');
    const params: Expression[] = [];
    const errs: Message[] = [];
    let last = this.peek().startOffset;
    while (this.more()) {
      const value = this.parsePrimaryExpression();
      if (this.more()) {
        const t = this.peek();
        if (t.type !== 'COMMA') errs.push(messages.commaInAttributeParams(t.type));
        else this.consume();
      }
      // Flux wraps each parameter in a node of its own; its errors go to the value here.
      this.addErrors(value, this.takeErrors());
      params.push(value);
      const now = this.peek().startOffset;
      if (now === last) break;
      last = now;
    }
    for (const e of errs) this.error(e);
    const end = this.close('RPAREN');
    return this.node('Attribute', this.span(tok.start, end.end), { name, params });
  }

  // --------------------------------------------------------------------------------------------
  // Expressions, from lowest to highest precedence

  parseExpression(): Expression {
    try {
      return this.enter() ? this.parseConditional() : this.badExpression(this.scan());
    } finally {
      this.depth--;
    }
  }

  /** Parses expressions until a stop token or block end; several in a row are joined as invalid. */
  parseExpressionWhileMore(stop: readonly TokenType[]): Expression | null {
    let expr: Expression | null = null;
    while (!stop.includes(this.peek().type) && this.more()) {
      const e = this.parseExpression();
      if (e.kind === 'BadExpression') {
        this.skipInvalidToken();
        continue;
      }
      expr = expr === null ? e : this.invalidBinary(expr, e);
    }
    return expr;
  }

  skipInvalidToken(): void {
    const t = this.scan();
    this.error(messages.invalidExpressionToken(this.fileName, this.tokenLoc(t), t.lit));
  }

  invalidBinary(left: Expression, right: Expression): Expression {
    return this.node('BinaryExpression', this.span(left.loc.start, right.loc.end), {
      operator: '<INVALID_OP>',
      left,
      right,
    });
  }

  /** Continues an expression whose first operand (an identifier) is already parsed. */
  parseExpressionSuffix(first: Expression): Expression {
    let e = this.parsePostfixSuffix(first);
    e = this.parsePipeSuffix(e);
    e = this.parseBinarySuffix(e, EXPONENT, () => this.parsePipe());
    e = this.parseBinarySuffix(e, MULTIPLICATIVE, () => this.parseExponent());
    e = this.parseBinarySuffix(e, ADDITIVE, () => this.parseMultiplicative());
    e = this.parseBinarySuffix(e, COMPARISON, () => this.parseAdditive());
    e = this.parseLogicalSuffix(e, 'AND', () => this.parseLogicalUnary());
    return this.parseLogicalSuffix(e, 'OR', () => this.parseLogicalAnd());
  }

  private parseConditional(): Expression {
    if (this.peek().type !== 'IF') return this.parseLogicalOr();
    const ifTok = this.scan();
    const test = this.parseExpression();
    const thenTok = this.expectOrSkip('THEN');
    const consequent = thenTok.type === 'THEN' ? this.parseExpression() : this.placeholder(thenTok);
    const elseTok = this.expectOrSkip('ELSE');
    const alternate = elseTok.type === 'ELSE' ? this.parseExpression() : this.placeholder(elseTok);
    return this.node('ConditionalExpression', this.span(ifTok.start, alternate.loc.end), {
      test,
      consequent,
      alternate,
    });
  }

  private parseLogicalOr(): Expression {
    return this.parseLogicalSuffix(this.parseLogicalAnd(), 'OR', () => this.parseLogicalAnd());
  }

  private parseLogicalAnd(): Expression {
    return this.parseLogicalSuffix(this.parseLogicalUnary(), 'AND', () => this.parseLogicalUnary());
  }

  private parseLogicalSuffix(left: Expression, op: 'AND' | 'OR', operand: () => Expression): Expression {
    let res = left;
    while (this.peek().type === op) {
      this.scan();
      const right = operand();
      res = this.node('LogicalExpression', this.span(res.loc.start, right.loc.end), {
        operator: op === 'AND' ? 'and' : 'or',
        left: res,
        right,
      });
    }
    return res;
  }

  private parseLogicalUnary(): Expression {
    const t = this.peek();
    if (t.type !== 'NOT' && t.type !== 'EXISTS') return this.parseComparison();
    this.consume();
    const argument = this.nested(
      () => this.parseLogicalUnary(),
      () => this.badExpression(this.scan()),
    );
    return this.node('UnaryExpression', this.span(t.start, argument.loc.end), {
      operator: t.type === 'NOT' ? 'not' : 'exists',
      argument,
    });
  }

  private parseComparison(): Expression {
    return this.parseBinarySuffix(this.parseAdditive(), COMPARISON, () => this.parseAdditive());
  }

  private parseAdditive(): Expression {
    return this.parseBinarySuffix(this.parseMultiplicative(), ADDITIVE, () => this.parseMultiplicative());
  }

  private parseMultiplicative(): Expression {
    return this.parseBinarySuffix(this.parseExponent(), MULTIPLICATIVE, () => this.parseExponent());
  }

  private parseExponent(): Expression {
    return this.parseBinarySuffix(this.parsePipe(), EXPONENT, () => this.parsePipe());
  }

  /** Left-associative binary operators of one precedence level. */
  private parseBinarySuffix(
    left: Expression,
    ops: ReadonlyMap<TokenType, BinaryOperator>,
    operand: () => Expression,
  ): Expression {
    let res = left;
    for (;;) {
      const operator = ops.get(this.peek().type);
      if (operator === undefined) return res;
      this.scan();
      const right = operand();
      res = this.node('BinaryExpression', this.span(res.loc.start, right.loc.end), { operator, left: res, right });
    }
  }

  private parsePipe(): Expression {
    return this.parsePipeSuffix(this.parseUnary());
  }

  private parsePipeSuffix(left: Expression): Expression {
    let res = left;
    while (this.peek().type === 'PIPE_FORWARD') {
      this.scan();
      const rhs = this.parseUnary();
      let call: CallExpression;
      if (rhs.kind === 'CallExpression') {
        call = rhs;
      } else {
        this.error(messages.pipeDestination());
        call = this.node('CallExpression', rhs.loc, { callee: rhs, arguments: null });
      }
      res = this.node('PipeExpression', this.span(res.loc.start, call.loc.end), { argument: res, call });
    }
    return res;
  }

  private parseUnary(): Expression {
    const t = this.peek();
    if (t.type !== 'ADD' && t.type !== 'SUB') return this.parsePostfix();
    this.consume();
    const argument = this.nested(
      () => this.parseUnary(),
      () => this.badExpression(this.scan()),
    );
    return this.node('UnaryExpression', this.span(t.start, argument.loc.end), {
      operator: t.type === 'ADD' ? '+' : '-',
      argument,
    });
  }

  private parsePostfix(): Expression {
    return this.parsePostfixSuffix(this.parsePrimaryExpression());
  }

  private parsePostfixSuffix(first: Expression): Expression {
    let expr = first;
    for (;;) {
      const t = this.peek().type;
      if (t === 'DOT') expr = this.parseDot(expr);
      else if (t === 'LPAREN') expr = this.parseCall(expr);
      else if (t === 'LBRACK') expr = this.parseIndex(expr);
      else return expr;
    }
  }

  private parseDot(object: Expression): Expression {
    this.expect('DOT');
    const property = this.parseIdentifier();
    return this.node('MemberExpression', this.span(object.loc.start, property.loc.end), { object, property });
  }

  private parseCall(callee: Expression): Expression {
    this.open('LPAREN', 'RPAREN');
    const params = parsePropertyList(this);
    const end = this.close('RPAREN');
    const own = this.takeErrors();
    const args =
      params.length === 0
        ? null
        : this.node('RecordExpression', this.span(params[0]!.loc.start, params[params.length - 1]!.loc.end), {
            with: null,
            properties: params,
          });
    return this.nodeWith('CallExpression', this.span(callee.loc.start, end.end), { callee, arguments: args }, own);
  }

  private parseIndex(object: Expression): Expression {
    const start = this.open('LBRACK', 'RBRACK');
    const index = this.parseExpressionWhileMore([]);
    const end = this.close('RBRACK');
    const loc = this.span(object.loc.start, end.end);
    if (index === null) {
      this.error(messages.noIndexExpression());
      const own = this.takeErrors();
      const placeholder = this.bare('IntegerLiteral', this.span(start.start, end.end), { value: -1n });
      return this.nodeWith('IndexExpression', loc, { array: object, index: placeholder }, own);
    }
    if (index.kind === 'StringLiteral') {
      return this.node('MemberExpression', loc, { object, property: index });
    }
    return this.node('IndexExpression', loc, { array: object, index });
  }

  badExpression(t: Token, text: string = messages.badPrimary(t.type)): Expression {
    return this.bare('BadExpression', this.tokenLoc(t), { text });
  }

  /** Stands in for a missing branch; reports nothing itself (the missing keyword was reported). */
  private placeholder(t: Token): Expression {
    return this.bare('BadExpression', this.tokenLoc(t), { text: '' });
  }

  parsePrimaryExpression(): Expression {
    return parsePrimaryExpression(this);
  }

  parseIdentifier(): Identifier {
    const t = this.expectOrSkip('IDENT');
    return this.node('Identifier', this.tokenLoc(t), { name: t.lit });
  }

  parseStringLiteral(): StringLiteral {
    return this.stringLiteralFrom(this.expect('STRING'));
  }

  stringLiteralFrom(t: Token): StringLiteral {
    const v = decodeString(t.lit);
    if (!v.ok) this.error(messages.literal(v.error));
    return this.node('StringLiteral', this.tokenLoc(t), { value: v.ok ? v.value : '' });
  }

  /** `.name` or `."name"`. */
  parseLabel(): LabelLiteral {
    const dot = this.expect('DOT');
    const tok = this.expect('IDENT', 'STRING');
    const loc = this.span(dot.start, tok.end);
    const own = this.takeErrors();
    let value = tok.lit;
    if (tok.type === 'STRING') {
      const v = decodeString(tok.lit);
      if (!v.ok) this.error(messages.literal(v.error));
      value = v.ok ? v.value : '';
    }
    return this.nodeWith('LabelLiteral', loc, { value }, own);
  }

}

// A parser (and its scanner) per query: one kept alive keeps their maps (shape-anchors.ts).
anchorShapes(new Parser(''));
