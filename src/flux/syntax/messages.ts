import type { SourceLocation } from './ast.js';
import type { Token, TokenType } from './token.js';

/**
 * The catalog of front-end messages. Each has a stable id (`code`) for programs and the text
 * Flux's own parser prints for the same problem, so users see familiar errors.
 */
export interface Message {
  readonly code: string;
  readonly message: string;
}

const m = (code: string, message: string): Message => ({ code, message });

const at = (fileName: string, loc: SourceLocation): string =>
  `${fileName}@${loc.start.line}:${loc.start.column}-${loc.end.line}:${loc.end.column}`;

/** Flux lists several expected tokens as `` `A`, `B` or `C` `` (with a leading space). */
function oneOf(expected: readonly TokenType[]): string {
  if (expected.length === 1) return expected[0]!;
  return expected
    .map((e, i) => `${i === 0 ? '' : i < expected.length - 1 ? ',' : ' or'} \`${e}\``)
    .join('');
}

export const messages = {
  expectedGotEof: (expected: readonly TokenType[]) => m('expected-token', `expected ${oneOf(expected)}, got EOF`),
  expectedGot: (expected: readonly TokenType[], got: Token) =>
    m(
      'expected-token',
      `expected ${oneOf(expected)}, got ${got.type} (${got.lit}) at ${got.start.line}:${got.start.column}`,
    ),
  expectedClose: (end: TokenType, got: TokenType) => m('unclosed', `expected ${end}, got ${got}`),
  nestedTooDeep: () => m('nested-too-deep', 'Program is nested too deep'),
  invalidExpressionToken: (fileName: string, loc: SourceLocation, lit: string) =>
    m('invalid-expression-token', `invalid expression ${at(fileName, loc)}: ${lit}`),
  pipeDestination: () => m('pipe-destination', 'pipe destination must be a function call'),
  noIndexExpression: () => m('empty-index', 'no expression included in brackets'),
  unexpectedInString: (fileName: string, loc: SourceLocation, type: TokenType) =>
    m('string-expression-token', `got unexpected token in string expression ${at(fileName, loc)}: ${type}`),
  literal: (message: string) => m('invalid-literal', message),
  /** Flux reports an unexpected identifier where `with` belongs with an empty message. */
  expectedWith: () => m('expected-with', ''),
  commaInPropertyList: (got: TokenType) => m('expected-comma', `expected comma in property list, got ${got}`),
  commaInAttributeParams: (got: TokenType) =>
    m('expected-comma', `expected comma in attribute parameter list, got ${got}`),
  missingPropertyKey: () => m('missing-property-key', 'missing property key'),
  missingProperty: () => m('missing-property', 'missing property in property list'),
  unexpectedPropertyKey: (t: Token) =>
    m('unexpected-property-key', `unexpected token for property key: ${t.type} (${t.lit})`),
  missingPropertyValue: () => m('missing-property-value', 'missing property value'),
  multipleAttributeLists: () => m('multiple-attribute-lists', 'found multiple attribute lists'),
  invalidStatement: (text: string) => m('invalid-statement', `invalid statement: ${text}`),
  invalidExpression: (text: string) => m('invalid-expression', `invalid expression: ${text}`),
  badPrimary: (type: TokenType) => `invalid token for primary expression: ${type}`,
  missingTimeOffset: () => 'invalid date time literal, missing time offset',
  extraAttributes: () => 'extra attributes not associated with anything',
  stringKeyNeedsValue: (key: string) => m('string-key-value', `string literal key ${key} must have a value`),
  mixedProperties: () => m('mixed-properties', 'cannot mix implicit and explicit properties'),
  singleExpression: () => m('single-expression', 'expected a single expression'),
} as const;
