import type {
  ArrayExpression,
  DictExpression,
  DictItem,
  Expression,
  Identifier,
  InterpolatedPart,
  Property,
  RecordExpression,
  StringLiteral,
  TextPart,
} from './ast.js';
import { decodeDateTime, decodeDuration, decodeInteger, decodeRegex, decodeText } from './literals.js';
import type { Message } from './messages.js';
import { messages } from './messages.js';
import type { Parser } from './parser.js';
import type { Token } from './token.js';

/**
 * Primary expressions: literals, strings with interpolation, arrays and dicts, records and
 * property lists (also used for call arguments), and everything that starts with `(`:
 * parenthesised expressions and function literals. Works on the statement parser's token stream
 * and error queue, with Flux's recovery, like the rest of the parser.
 */
export function parsePrimaryExpression(p: Parser): Expression {
  const t = p.peekWithRegex();
  switch (t.type) {
    case 'IDENT':
      return p.parseIdentifier();
    case 'INT': {
      p.consume();
      const v = decodeInteger(t.lit);
      if (!v.ok) p.error(messages.literal(v.error));
      return p.node('IntegerLiteral', p.tokenLoc(t), { value: v.ok ? v.value : 0n });
    }
    case 'FLOAT': {
      p.consume();
      const value = Number(t.lit);
      if (!Number.isFinite(value)) return p.badExpression(t);
      return p.node('FloatLiteral', p.tokenLoc(t), { value });
    }
    case 'STRING':
      return p.parseStringLiteral();
    case 'QUOTE':
      return parseStringExpression(p);
    case 'REGEX': {
      p.consume();
      const v = decodeRegex(t.lit);
      if (!v.ok) p.error(messages.literal(v.error));
      return p.node('RegexpLiteral', p.tokenLoc(t), { value: v.ok ? v.value : '' });
    }
    case 'TIME': {
      p.consume();
      const v = decodeDateTime(t.lit);
      if (!v.ok) return p.badExpression(t, messages.missingTimeOffset());
      return p.node('DateTimeLiteral', p.tokenLoc(t), { value: v.value, text: t.lit });
    }
    case 'DURATION': {
      p.consume();
      const v = decodeDuration(t.lit);
      if (!v.ok) return p.badExpression(t);
      return p.node('DurationLiteral', p.tokenLoc(t), { values: v.value });
    }
    case 'PIPE_RECEIVE':
      p.consume();
      return p.node('PipeLiteral', p.tokenLoc(t), {});
    case 'LBRACK':
      return parseArrayOrDict(p, p.open('LBRACK', 'RBRACK'));
    case 'LBRACE':
      return parseRecord(p);
    case 'LPAREN':
      return parseParen(p);
    case 'DOT':
      return p.parseLabel();
    default:
      // Not consumed: callers decide whether to skip it.
      return p.badExpression(t);
  }
}

function parseStringExpression(p: Parser): Expression {
  const start = p.expect('QUOTE');
  const parts: (TextPart | InterpolatedPart)[] = [];
  for (;;) {
    const t = p.scanner.scan('stringExpr');
    if (t.type === 'TEXT') {
      const v = decodeText(t.lit);
      if (!v.ok) return p.badExpression(t);
      parts.push(p.node('TextPart', p.tokenLoc(t), { value: v.value }));
    } else if (t.type === 'STRINGEXPR') {
      const expression = p.parseExpression();
      const end = p.expect('RBRACE');
      parts.push(p.node('InterpolatedPart', p.span(t.start, end.end), { expression }));
    } else if (t.type === 'QUOTE') {
      return p.node('StringExpression', p.span(start.start, t.end), { parts });
    } else {
      p.error(messages.unexpectedInString(p.fileName, p.tokenLoc(t), t.type));
      return p.node('StringExpression', p.span(start.start, t.end), { parts: [] });
    }
  }
}

function parseArrayOrDict(p: Parser, start: Token): Expression {
  const next = p.peek().type;
  if (next === 'COLON') {
    p.consume();
    const end = p.close('RBRACK');
    return p.node('DictExpression', p.span(start.start, end.end), { elements: [] });
  }
  if (next === 'RBRACK') {
    const end = p.close('RBRACK');
    return p.node('ArrayExpression', p.span(start.start, end.end), { elements: [] });
  }
  const first = p.parseExpression();
  if (p.peek().type === 'COLON') {
    p.consume();
    const value = p.parseExpression();
    return parseDictRest(p, start, { key: first, value });
  }
  return parseArrayRest(p, start, first);
}

function parseArrayRest(p: Parser, start: Token, first: Expression): ArrayExpression {
  const elements = [first];
  if (p.peek().type !== 'RBRACK') {
    p.expect('COMMA');
    let last = p.peek().startOffset;
    while (p.more()) {
      elements.push(p.parseExpression());
      if (p.peek().type === 'COMMA') p.scan();
      const now = p.peek().startOffset;
      if (now === last) break;
      last = now;
    }
  }
  const end = p.close('RBRACK');
  return p.node('ArrayExpression', p.span(start.start, end.end), { elements });
}

function parseDictRest(p: Parser, start: Token, first: DictItem): DictExpression {
  const elements = [first];
  if (p.peek().type !== 'RBRACK') {
    p.expect('COMMA');
    let last = p.peek().startOffset;
    while (p.more()) {
      const key = p.parseExpression();
      p.expect('COLON');
      const value = p.parseExpression();
      elements.push({ key, value });
      if (p.peek().type === 'COMMA') p.scan();
      const now = p.peek().startOffset;
      if (now === last) break;
      last = now;
    }
  }
  const end = p.close('RBRACK');
  return p.node('DictExpression', p.span(start.start, end.end), { elements });
}

function parseRecord(p: Parser): RecordExpression {
  const start = p.open('LBRACE', 'RBRACE');
  let withId: Identifier | null = null;
  let properties: Property[];
  const t = p.peek();
  if (t.type === 'IDENT') {
    const id = p.parseIdentifier();
    const next = p.peek();
    if (next.type === 'IDENT') {
      if (next.lit !== 'with') p.error(messages.expectedWith());
      p.consume();
      withId = id;
      properties = parsePropertyList(p);
    } else {
      properties = parsePropertyListSuffix(p, id);
    }
  } else if (t.type === 'STRING') {
    properties = parsePropertyListSuffix(p, p.parseStringLiteral());
  } else {
    properties = parsePropertyList(p);
  }
  const end = p.close('RBRACE');
  return p.node('RecordExpression', p.span(start.start, end.end), { with: withId, properties });
}

function parsePropertyListSuffix(p: Parser, key: Identifier | StringLiteral): Property[] {
  const props = [parsePropertySuffix(p, key)];
  if (!p.more()) return props;
  const t = p.peek();
  if (t.type !== 'COMMA') p.error(messages.commaInPropertyList(t.type));
  else p.consume();
  props.push(...parsePropertyList(p));
  return props;
}

export function parsePropertyList(p: Parser): Property[] {
  const params: Property[] = [];
  const errs: Message[] = [];
  let last = p.peek().startOffset;
  while (p.more()) {
    const t = p.peek();
    let prop: Property;
    if (t.type === 'IDENT') prop = parsePropertySuffix(p, p.parseIdentifier());
    else if (t.type === 'STRING') prop = parsePropertySuffix(p, p.parseStringLiteral());
    else prop = parseInvalidProperty(p);
    if (p.more()) {
      const sep = p.peek();
      if (sep.type !== 'COMMA') errs.push(messages.commaInPropertyList(sep.type));
      else p.consume();
    }
    params.push(prop);
    const now = p.peek().startOffset;
    if (now === last) break;
    last = now;
  }
  for (const e of errs) p.error(e);
  return params;
}

function parsePropertySuffix(p: Parser, key: Identifier | StringLiteral): Property {
  let value: Expression | null = null;
  if (p.peek().type === 'COLON') {
    p.consume();
    value = parsePropertyValue(p);
  }
  return p.node('Property', p.span(key.loc.start, (value ?? key).loc.end), { key, value });
}

function parseInvalidProperty(p: Parser): Property {
  const errs: Message[] = [];
  let value: Expression | null = null;
  const t = p.peek();
  if (t.type === 'COLON') {
    errs.push(messages.missingPropertyKey());
    p.consume();
    value = parsePropertyValue(p);
  } else if (t.type === 'COMMA') {
    errs.push(messages.missingProperty());
  } else {
    errs.push(messages.unexpectedPropertyKey(t));
    p.parseExpressionWhileMore(['COMMA', 'COLON']);
    if (p.peek().type === 'COLON') {
      p.consume();
      value = parsePropertyValue(p);
    }
  }
  for (const e of errs) p.error(e);
  const endPos = p.peek().start;
  const own = p.takeErrors();
  const key = p.bare('StringLiteral', p.span(t.start, t.start), { value: '<invalid>' });
  return p.nodeWith('Property', p.span(t.start, endPos), { key, value }, own);
}

function parsePropertyValue(p: Parser): Expression | null {
  const v = p.parseExpressionWhileMore(['COMMA', 'COLON']);
  if (v === null) p.error(messages.missingPropertyValue());
  return v;
}

function parseParen(p: Parser): Expression {
  const lparen = p.open('LPAREN', 'RPAREN');
  const t = p.peek();
  if (t.type === 'RPAREN') {
    const rparen = p.close('RPAREN');
    return parseFunction(p, lparen, rparen, []);
  }
  if (t.type === 'IDENT') return parseParenIdent(p, lparen, p.parseIdentifier());
  const expr = p.parseExpressionWhileMore([]) ?? p.bare('BadExpression', p.tokenLoc(t), { text: t.lit });
  const rparen = p.close('RPAREN');
  return p.node('ParenExpression', p.span(lparen.start, rparen.end), { expression: expr });
}

/** After `(ident`: a parameter list (function literal) or a parenthesised expression. */
function parseParenIdent(p: Parser, lparen: Token, key: Identifier): Expression {
  const t = p.peek();
  if (t.type === 'RPAREN') {
    const rparen = p.close('RPAREN');
    if (p.peek().type === 'ARROW') {
      const param = p.node('Property', key.loc, { key, value: null });
      return parseFunction(p, lparen, rparen, [param]);
    }
    return p.node('ParenExpression', p.span(lparen.start, rparen.end), { expression: key });
  }
  if (t.type === 'ASSIGN') {
    p.consume();
    const value = p.parseExpression();
    const params = [p.node('Property', p.span(key.loc.start, value.loc.end), { key, value })];
    if (p.peek().type === 'COMMA') {
      p.scan();
      params.push(...parseParameterList(p));
    }
    const rparen = p.close('RPAREN');
    return parseFunction(p, lparen, rparen, params);
  }
  if (t.type === 'COMMA') {
    p.consume();
    const params = [p.node('Property', key.loc, { key, value: null })];
    params.push(...parseParameterList(p));
    const rparen = p.close('RPAREN');
    return parseFunction(p, lparen, rparen, params);
  }
  let expr = p.parseExpressionSuffix(key);
  let last = p.peek().startOffset;
  while (p.more()) {
    const rhs = p.parseExpression();
    if (rhs.kind === 'BadExpression') {
      p.skipInvalidToken();
      continue;
    }
    expr = p.invalidBinary(expr, rhs);
    const now = p.peek().startOffset;
    if (now === last) break;
    last = now;
  }
  const rparen = p.close('RPAREN');
  return p.node('ParenExpression', p.span(lparen.start, rparen.end), { expression: expr });
}

function parseParameterList(p: Parser): Property[] {
  const params: Property[] = [];
  let last = p.peek().startOffset;
  while (p.more()) {
    const key = p.parseIdentifier();
    let prop: Property;
    if (p.peek().type === 'ASSIGN') {
      p.scan();
      const value = p.parseExpression();
      prop = p.node('Property', p.span(key.loc.start, value.loc.end), { key, value });
    } else {
      prop = p.node('Property', key.loc, { key, value: null });
    }
    if (p.peek().type === 'COMMA') p.scan();
    params.push(prop);
    const now = p.peek().startOffset;
    if (now === last) break;
    last = now;
  }
  return params;
}

function parseFunction(p: Parser, lparen: Token, _rparen: Token, params: Property[]): Expression {
  p.expectOrSkip('ARROW');
  const body = p.peek().type === 'LBRACE' ? p.parseBlock() : p.parseExpression();
  return p.node('FunctionExpression', p.span(lparen.start, body.loc.end), { params, body });
}
