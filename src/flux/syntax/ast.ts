/**
 * The Flux abstract syntax tree.
 *
 * Nodes are plain, frozen, readonly objects with a `kind` discriminant, built only through
 * `makeNode` (or the named factories below). Literal values are decoded at parse time, so later
 * stages never re-read source text: integers are `bigint`, floats `number`, durations a list of
 * `{magnitude, unit}`, date-times nanoseconds since the epoch (`bigint`), regexes their pattern
 * source with Flux's `\/` and `\xNN` escapes resolved, strings with escapes resolved.
 *
 * The shape follows Flux's own AST (libflux `ast`), so Flux's semantics can be read straight off
 * it; the one simplification is that a call's arguments are one optional record (Flux keeps a
 * list with at most one record in it).
 *
 * Locations are 1-based lines and 1-based columns counted in UTF-8 bytes, as Flux reports them.
 * `end` is exclusive (the column just past the node), again as Flux reports them.
 */

export interface Position {
  readonly line: number;
  readonly column: number;
}

export interface SourceLocation {
  readonly start: Position;
  readonly end: Position;
}

interface NodeBase<K extends string> {
  readonly kind: K;
  readonly loc: SourceLocation;
}

// ---------------------------------------------------------------------------------------------
// File level

export interface File extends NodeBase<'File'> {
  /** The file name given to the parser ('' when none). */
  readonly name: string;
  readonly package: PackageClause | null;
  readonly imports: readonly ImportDeclaration[];
  readonly body: readonly Statement[];
}

export interface PackageClause extends NodeBase<'PackageClause'> {
  readonly attributes: readonly Attribute[];
  readonly name: Identifier;
}

export interface ImportDeclaration extends NodeBase<'ImportDeclaration'> {
  readonly attributes: readonly Attribute[];
  /** `import x "path"`: the alias `x`; null for `import "path"`. */
  readonly alias: Identifier | null;
  readonly path: StringLiteral;
}

/** `@name(params...)`: the parameters are primary expressions (usually literals). */
export interface Attribute extends NodeBase<'Attribute'> {
  readonly name: string;
  readonly params: readonly Expression[];
}

// ---------------------------------------------------------------------------------------------
// Statements

export interface Block extends NodeBase<'Block'> {
  readonly body: readonly Statement[];
}

export interface OptionStatement extends NodeBase<'OptionStatement'> {
  readonly attributes: readonly Attribute[];
  /** `option x = e` is a VariableAssignment, `option pkg.x = e` a MemberAssignment. */
  readonly assignment: VariableAssignment | MemberAssignment;
}

export interface BuiltinStatement extends NodeBase<'BuiltinStatement'> {
  readonly attributes: readonly Attribute[];
  readonly id: Identifier;
  readonly type: TypeExpression;
}

export interface VariableAssignment extends NodeBase<'VariableAssignment'> {
  readonly attributes: readonly Attribute[];
  readonly id: Identifier;
  readonly init: Expression;
}

/** Only appears inside an OptionStatement: `option pkg.name = init`. */
export interface MemberAssignment extends NodeBase<'MemberAssignment'> {
  readonly member: MemberExpression;
  readonly init: Expression;
}

export interface ExpressionStatement extends NodeBase<'ExpressionStatement'> {
  readonly attributes: readonly Attribute[];
  readonly expression: Expression;
}

export interface ReturnStatement extends NodeBase<'ReturnStatement'> {
  readonly attributes: readonly Attribute[];
  readonly argument: Expression;
}

export interface TestCaseStatement extends NodeBase<'TestCaseStatement'> {
  readonly attributes: readonly Attribute[];
  readonly id: Identifier;
  /** `testcase x extends "module/path/file.case"`: the parent's path; null without `extends`. */
  readonly extends: StringLiteral | null;
  readonly block: Block;
}

/** A statement the parser could not make sense of; always accompanied by a diagnostic. */
export interface BadStatement extends NodeBase<'BadStatement'> {
  readonly attributes: readonly Attribute[];
  readonly text: string;
}

export type Statement =
  | OptionStatement
  | BuiltinStatement
  | VariableAssignment
  | ExpressionStatement
  | ReturnStatement
  | TestCaseStatement
  | BadStatement;

// ---------------------------------------------------------------------------------------------
// Expressions

export interface Identifier extends NodeBase<'Identifier'> {
  readonly name: string;
}

export interface IntegerLiteral extends NodeBase<'IntegerLiteral'> {
  /** A signed 64-bit value. Flux has no uint literal: uints come from `uint(v: ...)`. */
  readonly value: bigint;
}

export interface FloatLiteral extends NodeBase<'FloatLiteral'> {
  readonly value: number;
}

export interface StringLiteral extends NodeBase<'StringLiteral'> {
  /** The decoded text (escapes resolved). */
  readonly value: string;
}

/** A string with at least one `${...}` interpolation. */
export interface StringExpression extends NodeBase<'StringExpression'> {
  readonly parts: readonly (TextPart | InterpolatedPart)[];
}

export interface TextPart extends NodeBase<'TextPart'> {
  /** The decoded text (escapes resolved). */
  readonly value: string;
}

export interface InterpolatedPart extends NodeBase<'InterpolatedPart'> {
  readonly expression: Expression;
}

export interface RegexpLiteral extends NodeBase<'RegexpLiteral'> {
  /** The RE2 pattern between the slashes, with `\/` and `\xNN` resolved. */
  readonly value: string;
}

export type DurationUnit = 'y' | 'mo' | 'w' | 'd' | 'h' | 'm' | 's' | 'ms' | 'us' | 'ns';

export interface DurationPart {
  readonly magnitude: bigint;
  /** `µs` is normalised to `us`. */
  readonly unit: DurationUnit;
}

export interface DurationLiteral extends NodeBase<'DurationLiteral'> {
  /** `1h30m` is `[{1n,'h'},{30n,'m'}]`, in source order. */
  readonly values: readonly DurationPart[];
}

export interface DateTimeLiteral extends NodeBase<'DateTimeLiteral'> {
  /** Nanoseconds since the Unix epoch, UTC. */
  readonly value: bigint;
  /** The literal as written (keeps the offset, for printing). */
  readonly text: string;
}

/** `<-` as a parameter default: marks the pipe parameter. */
export type PipeLiteral = NodeBase<'PipeLiteral'>;

/** `.name` or `."name"`. */
export interface LabelLiteral extends NodeBase<'LabelLiteral'> {
  readonly value: string;
}

export interface ArrayExpression extends NodeBase<'ArrayExpression'> {
  readonly elements: readonly Expression[];
}

export interface DictItem {
  readonly key: Expression;
  readonly value: Expression;
}

export interface DictExpression extends NodeBase<'DictExpression'> {
  readonly elements: readonly DictItem[];
}

/** A property of a record literal, a call argument, or a function parameter. */
export interface Property extends NodeBase<'Property'> {
  readonly key: Identifier | StringLiteral;
  /**
   * Null for shorthand `{a}` / `f(a)` (meaning `a: a`) and for parameters without a default.
   * For parameters, the default; `<-` (PipeLiteral) marks the pipe parameter.
   */
  readonly value: Expression | null;
}

export interface RecordExpression extends NodeBase<'RecordExpression'> {
  /** `{r with a: 1}`: the record extended; null for a plain literal. */
  readonly with: Identifier | null;
  readonly properties: readonly Property[];
}

export interface FunctionExpression extends NodeBase<'FunctionExpression'> {
  readonly params: readonly Property[];
  readonly body: Block | Expression;
}

export interface CallExpression extends NodeBase<'CallExpression'> {
  readonly callee: Expression;
  /** The named arguments; null for `f()`. */
  readonly arguments: RecordExpression | null;
}

export interface PipeExpression extends NodeBase<'PipeExpression'> {
  readonly argument: Expression;
  readonly call: CallExpression;
}

/** `a.b` (Identifier property) or `a["b"]` (StringLiteral property). */
export interface MemberExpression extends NodeBase<'MemberExpression'> {
  readonly object: Expression;
  readonly property: Identifier | StringLiteral;
}

export interface IndexExpression extends NodeBase<'IndexExpression'> {
  readonly array: Expression;
  readonly index: Expression;
}

/**
 * `<INVALID_OP>` joins expressions the parser found side by side with no operator between them
 * (error recovery, always with a diagnostic), as Flux's parser does.
 */
export type BinaryOperator =
  | '*'
  | '/'
  | '%'
  | '^'
  | '+'
  | '-'
  | '=='
  | '!='
  | '<'
  | '<='
  | '>'
  | '>='
  | '=~'
  | '!~'
  | '<INVALID_OP>';

export interface BinaryExpression extends NodeBase<'BinaryExpression'> {
  readonly operator: BinaryOperator;
  readonly left: Expression;
  readonly right: Expression;
}

export type UnaryOperator = '-' | '+' | 'not' | 'exists';

export interface UnaryExpression extends NodeBase<'UnaryExpression'> {
  readonly operator: UnaryOperator;
  readonly argument: Expression;
}

export type LogicalOperator = 'and' | 'or';

export interface LogicalExpression extends NodeBase<'LogicalExpression'> {
  readonly operator: LogicalOperator;
  readonly left: Expression;
  readonly right: Expression;
}

export interface ConditionalExpression extends NodeBase<'ConditionalExpression'> {
  readonly test: Expression;
  readonly consequent: Expression;
  readonly alternate: Expression;
}

export interface ParenExpression extends NodeBase<'ParenExpression'> {
  readonly expression: Expression;
}

/** An expression the parser could not make sense of; always accompanied by a diagnostic. */
export interface BadExpression extends NodeBase<'BadExpression'> {
  readonly text: string;
}

export type Expression =
  | Identifier
  | IntegerLiteral
  | FloatLiteral
  | StringLiteral
  | StringExpression
  | RegexpLiteral
  | DurationLiteral
  | DateTimeLiteral
  | PipeLiteral
  | LabelLiteral
  | ArrayExpression
  | DictExpression
  | RecordExpression
  | FunctionExpression
  | CallExpression
  | PipeExpression
  | MemberExpression
  | IndexExpression
  | BinaryExpression
  | UnaryExpression
  | LogicalExpression
  | ConditionalExpression
  | ParenExpression
  | BadExpression;

// ---------------------------------------------------------------------------------------------
// Type expressions (builtin statements)

export interface TypeExpression extends NodeBase<'TypeExpression'> {
  readonly monotype: MonoType;
  /** `where A: Addable + Comparable, B: Record`. */
  readonly constraints: readonly TypeConstraint[];
}

export interface TypeConstraint extends NodeBase<'TypeConstraint'> {
  readonly tvar: Identifier;
  readonly kinds: readonly Identifier[];
}

/** `int`, `string`, `time`, ...: any named type. */
export interface NamedType extends NodeBase<'NamedType'> {
  readonly name: Identifier;
}

/** A single capital letter: `A`, `T`. */
export interface TvarType extends NodeBase<'TvarType'> {
  readonly name: Identifier;
}

export interface ArrayType extends NodeBase<'ArrayType'> {
  readonly element: MonoType;
}

export interface StreamType extends NodeBase<'StreamType'> {
  readonly element: MonoType;
}

export interface VectorType extends NodeBase<'VectorType'> {
  readonly element: MonoType;
}

export interface DictType extends NodeBase<'DictType'> {
  readonly key: MonoType;
  readonly value: MonoType;
}

export type DynamicType = NodeBase<'DynamicType'>;

export interface RecordType extends NodeBase<'RecordType'> {
  /** `{A with x: int}`: the row variable `A`; null for a closed record type. */
  readonly tvar: Identifier | null;
  readonly properties: readonly PropertyType[];
}

export interface PropertyType extends NodeBase<'PropertyType'> {
  readonly name: Identifier | StringLiteral;
  readonly monotype: MonoType;
}

export interface FunctionType extends NodeBase<'FunctionType'> {
  readonly parameters: readonly ParameterType[];
  readonly monotype: MonoType;
}

/**
 * `x: T` (required), `?x: T` or `?x: T = .label` (optional), `<-x: T` or `<-: T` (pipe).
 * `name` is null only for an anonymous pipe parameter.
 */
export interface ParameterType extends NodeBase<'ParameterType'> {
  readonly mode: 'required' | 'optional' | 'pipe';
  readonly name: Identifier | null;
  readonly monotype: MonoType;
  readonly default: LabelLiteral | null;
}

export type MonoType =
  | NamedType
  | TvarType
  | ArrayType
  | StreamType
  | VectorType
  | DictType
  | DynamicType
  | RecordType
  | FunctionType
  | LabelLiteral;

// ---------------------------------------------------------------------------------------------
// All nodes, visitors, factories

export type Node =
  | File
  | PackageClause
  | ImportDeclaration
  | Attribute
  | Block
  | Statement
  | MemberAssignment
  | Expression
  | TextPart
  | InterpolatedPart
  | Property
  | TypeExpression
  | TypeConstraint
  | MonoType
  | PropertyType
  | ParameterType;

export type NodeKind = Node['kind'];

export type NodeOfKind<K extends NodeKind> = Extract<Node, { readonly kind: K }>;

/**
 * One handler per node kind. Because it is a mapped type over every kind, adding a node kind
 * makes every visitor fail to compile until it handles the new kind.
 */
export type Visitor<R> = { readonly [K in NodeKind]: (node: NodeOfKind<K>) => R };

export function visit<R>(node: Node, visitor: Visitor<R>): R {
  const handler = visitor[node.kind] as (n: Node) => R;
  return handler(node);
}

/** The fields of a node other than `kind` and `loc`. */
export type NodeFields<K extends NodeKind> = Omit<NodeOfKind<K>, 'kind' | 'loc'>;

/** The one factory: builds a frozen node of the given kind. */
export function makeNode<K extends NodeKind>(
  kind: K,
  loc: SourceLocation,
  fields: NodeFields<K>,
): NodeOfKind<K> {
  return Object.freeze({ kind, loc, ...fields }) as unknown as NodeOfKind<K>;
}

/** A zero location, for nodes built by code rather than parsed (tests, rewrites). */
export const NO_LOCATION: SourceLocation = Object.freeze({
  start: Object.freeze({ line: 0, column: 0 }),
  end: Object.freeze({ line: 0, column: 0 }),
});

export function identifier(name: string, loc: SourceLocation = NO_LOCATION): Identifier {
  return makeNode('Identifier', loc, { name });
}

export function integerLiteral(value: bigint, loc: SourceLocation = NO_LOCATION): IntegerLiteral {
  return makeNode('IntegerLiteral', loc, { value });
}

export function floatLiteral(value: number, loc: SourceLocation = NO_LOCATION): FloatLiteral {
  return makeNode('FloatLiteral', loc, { value });
}

export function stringLiteral(value: string, loc: SourceLocation = NO_LOCATION): StringLiteral {
  return makeNode('StringLiteral', loc, { value });
}

const STATEMENT_KINDS: ReadonlySet<string> = new Set<Statement['kind']>([
  'OptionStatement',
  'BuiltinStatement',
  'VariableAssignment',
  'ExpressionStatement',
  'ReturnStatement',
  'TestCaseStatement',
  'BadStatement',
]);

export function isStatement(node: Node): node is Statement {
  return STATEMENT_KINDS.has(node.kind);
}

/** A function body is a Block or an expression. */
export function isBlock(node: Block | Expression): node is Block {
  return node.kind === 'Block';
}
