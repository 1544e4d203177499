import type { Position } from './ast.js';

/**
 * Token types. The string values are the names Flux prints in its parse errors
 * ("expected RPAREN, got EOF"), so messages need no translation table.
 */
export type TokenType =
  | 'ILLEGAL'
  | 'EOF'
  | 'AND'
  | 'OR'
  | 'NOT'
  | 'IMPORT'
  | 'PACKAGE'
  | 'RETURN'
  | 'OPTION'
  | 'BUILTIN'
  | 'TESTCASE'
  | 'IF'
  | 'THEN'
  | 'ELSE'
  | 'EXISTS'
  | 'IDENT'
  | 'INT'
  | 'FLOAT'
  | 'STRING'
  | 'REGEX'
  | 'TIME'
  | 'DURATION'
  | 'ADD'
  | 'SUB'
  | 'MUL'
  | 'DIV'
  | 'MOD'
  | 'POW'
  | 'EQ'
  | 'LT'
  | 'GT'
  | 'LTE'
  | 'GTE'
  | 'NEQ'
  | 'REGEXEQ'
  | 'REGEXNEQ'
  | 'ASSIGN'
  | 'ARROW'
  | 'LPAREN'
  | 'RPAREN'
  | 'LBRACK'
  | 'RBRACK'
  | 'LBRACE'
  | 'RBRACE'
  | 'COMMA'
  | 'DOT'
  | 'COLON'
  | 'PIPE_FORWARD'
  | 'PIPE_RECEIVE'
  | 'QUOTE'
  | 'STRINGEXPR'
  | 'TEXT'
  | 'QUESTION_MARK'
  | 'ATTRIBUTE';

export interface Token {
  readonly type: TokenType;
  /** The source text of the token. */
  readonly lit: string;
  /** UTF-16 offsets into the source string, end exclusive. */
  readonly startOffset: number;
  readonly endOffset: number;
  readonly start: Position;
  readonly end: Position;
}

export const KEYWORDS: ReadonlyMap<string, TokenType> = new Map<string, TokenType>([
  ['and', 'AND'],
  ['or', 'OR'],
  ['not', 'NOT'],
  ['import', 'IMPORT'],
  ['package', 'PACKAGE'],
  ['return', 'RETURN'],
  ['option', 'OPTION'],
  ['builtin', 'BUILTIN'],
  ['testcase', 'TESTCASE'],
  ['if', 'IF'],
  ['then', 'THEN'],
  ['else', 'ELSE'],
  ['exists', 'EXISTS'],
]);
