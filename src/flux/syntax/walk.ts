import type { Node, Visitor } from './ast.js';
import { visit } from './ast.js';

const none = (): readonly Node[] => [];

/**
 * The direct children of each node kind, in source order (Flux's walk order: attributes first,
 * then the node's own parts left to right).
 */
const CHILDREN: Visitor<readonly Node[]> = {
  File: (n) => [...(n.package ? [n.package] : []), ...n.imports, ...n.body],
  PackageClause: (n) => [...n.attributes, n.name],
  ImportDeclaration: (n) => [...n.attributes, ...(n.alias ? [n.alias] : []), n.path],
  Attribute: (n) => n.params,
  Block: (n) => n.body,
  OptionStatement: (n) => [...n.attributes, n.assignment],
  BuiltinStatement: (n) => [...n.attributes, n.id, n.type],
  VariableAssignment: (n) => [...n.attributes, n.id, n.init],
  MemberAssignment: (n) => [n.member, n.init],
  ExpressionStatement: (n) => [...n.attributes, n.expression],
  ReturnStatement: (n) => [...n.attributes, n.argument],
  TestCaseStatement: (n) => [...n.attributes, n.id, ...(n.extends ? [n.extends] : []), n.block],
  BadStatement: (n) => n.attributes,
  Identifier: none,
  IntegerLiteral: none,
  FloatLiteral: none,
  StringLiteral: none,
  StringExpression: (n) => n.parts,
  TextPart: none,
  InterpolatedPart: (n) => [n.expression],
  RegexpLiteral: none,
  DurationLiteral: none,
  DateTimeLiteral: none,
  PipeLiteral: none,
  LabelLiteral: none,
  ArrayExpression: (n) => n.elements,
  DictExpression: (n) => n.elements.flatMap((e) => [e.key, e.value]),
  Property: (n) => (n.value ? [n.key, n.value] : [n.key]),
  RecordExpression: (n) => [...(n.with ? [n.with] : []), ...n.properties],
  FunctionExpression: (n) => [...n.params, n.body],
  CallExpression: (n) => (n.arguments ? [n.callee, n.arguments] : [n.callee]),
  PipeExpression: (n) => [n.argument, n.call],
  MemberExpression: (n) => [n.object, n.property],
  IndexExpression: (n) => [n.array, n.index],
  BinaryExpression: (n) => [n.left, n.right],
  UnaryExpression: (n) => [n.argument],
  LogicalExpression: (n) => [n.left, n.right],
  ConditionalExpression: (n) => [n.test, n.consequent, n.alternate],
  ParenExpression: (n) => [n.expression],
  BadExpression: none,
  TypeExpression: (n) => [n.monotype, ...n.constraints],
  TypeConstraint: (n) => [n.tvar, ...n.kinds],
  NamedType: (n) => [n.name],
  TvarType: (n) => [n.name],
  ArrayType: (n) => [n.element],
  StreamType: (n) => [n.element],
  VectorType: (n) => [n.element],
  DictType: (n) => [n.key, n.value],
  DynamicType: none,
  RecordType: (n) => [...(n.tvar ? [n.tvar] : []), ...n.properties],
  PropertyType: (n) => [n.name, n.monotype],
  FunctionType: (n) => [...n.parameters, n.monotype],
  ParameterType: (n) => [
    ...(n.name ? [n.name] : []),
    n.monotype,
    ...(n.default ? [n.default] : []),
  ],
};

export function children(node: Node): readonly Node[] {
  return visit(node, CHILDREN);
}

/**
 * Depth-first pre-order walk. `enter` returning false skips the node's children; `leave` runs
 * after the children (whether or not they were skipped).
 */
export function walk(
  node: Node,
  enter: (node: Node) => boolean | void,
  leave?: (node: Node) => void,
): void {
  if (enter(node) !== false) {
    for (const child of children(node)) walk(child, enter, leave);
  }
  leave?.(node);
}
