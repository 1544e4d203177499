import type {
  Identifier,
  MonoType,
  ParameterType,
  PropertyType,
  StringLiteral,
  TypeConstraint,
  TypeExpression,
} from './ast.js';
import type { Parser } from './parser.js';

/**
 * Type expressions of `builtin name : type` statements:
 *
 *     TypeExpression = MonoType ["where" Constraints] .
 *     MonoType = Tvar | BasicType | ArrayType | DictType | StreamType | VectorType | RecordType
 *              | FunctionType | "dynamic" | Label .
 *
 * Works on the statement parser's token stream and error queue, so positions and recovery are
 * the same as for the rest of the file.
 */
export function parseTypeExpression(p: Parser): TypeExpression {
  const monotype = parseMonoType(p);
  const t = p.peek();
  if (t.type === 'IDENT' && t.lit === 'where') {
    p.consume();
    const constraints = [parseConstraint(p)];
    while (p.peek().type === 'COMMA') {
      p.consume();
      constraints.push(parseConstraint(p));
    }
    const last = constraints[constraints.length - 1]!;
    return p.node('TypeExpression', p.span(monotype.loc.start, last.loc.end), { monotype, constraints });
  }
  return p.bare('TypeExpression', monotype.loc, { monotype, constraints: [] });
}

export function parseMonoType(p: Parser): MonoType {
  return p.nested(
    () => parseMonoTypeInner(p),
    () => {
      const t = p.scan();
      return p.node('NamedType', p.tokenLoc(t), { name: p.bare('Identifier', p.tokenLoc(t), { name: t.lit }) });
    },
  );
}

function parseMonoTypeInner(p: Parser): MonoType {
  const t = p.peek();
  switch (t.type) {
    case 'LBRACK': {
      const start = p.open('LBRACK', 'RBRACK');
      const element = parseMonoType(p);
      if (p.peek().type === 'RBRACK') {
        const end = p.close('RBRACK');
        return p.node('ArrayType', p.span(start.start, end.end), { element });
      }
      p.expect('COLON');
      const value = parseMonoType(p);
      const end = p.close('RBRACK');
      return p.node('DictType', p.span(start.start, end.end), { key: element, value });
    }
    case 'LBRACE':
      return parseRecordType(p);
    case 'LPAREN':
      return parseFunctionType(p);
    case 'DOT':
      return p.parseLabel();
    default:
      break;
  }
  if (t.type === 'IDENT' && (t.lit === 'stream' || t.lit === 'vector')) {
    const start = p.expect('IDENT');
    p.open('LBRACK', 'RBRACK');
    const element = parseMonoType(p);
    const end = p.close('RBRACK');
    const loc = p.span(start.start, end.end);
    return t.lit === 'stream' ? p.node('StreamType', loc, { element }) : p.node('VectorType', loc, { element });
  }
  if (t.type === 'IDENT' && t.lit === 'dynamic') {
    const d = p.expect('IDENT');
    return p.node('DynamicType', p.tokenLoc(d), {});
  }
  // Flux tells type variables from named types by length: one character is a variable.
  if ([...t.lit].length === 1) {
    const name = p.parseIdentifier();
    return p.bare('TvarType', name.loc, { name });
  }
  const own = p.takeErrors();
  const name = p.parseIdentifier();
  return p.nodeWith('NamedType', p.tokenLoc(t), { name }, own);
}

function parseFunctionType(p: Parser): MonoType {
  const lparen = p.open('LPAREN', 'RPAREN');
  const parameters: ParameterType[] = [];
  const first = p.peek().type;
  if (first === 'PIPE_RECEIVE' || first === 'QUESTION_MARK' || first === 'IDENT') {
    let last = p.peek().startOffset;
    while (p.more()) {
      parameters.push(parseParameterType(p));
      if (p.peek().type === 'COMMA') p.consume();
      const now = p.peek().startOffset;
      if (now === last) break;
      last = now;
    }
  }
  p.close('RPAREN');
  p.expect('ARROW');
  const monotype = parseMonoType(p);
  return p.node('FunctionType', p.span(lparen.start, monotype.loc.end), { parameters, monotype });
}

function parseParameterType(p: Parser): ParameterType {
  const t = p.peek();
  if (t.type === 'QUESTION_MARK') {
    p.expect('QUESTION_MARK');
    const name = p.parseIdentifier();
    p.expect('COLON');
    const monotype = parseMonoType(p);
    const own = p.takeErrors();
    let dflt = null;
    if (p.peek().type === 'ASSIGN') {
      p.expect('ASSIGN');
      dflt = p.parseLabel();
    }
    return p.nodeWith(
      'ParameterType',
      p.span(t.start, monotype.loc.end),
      { mode: 'optional', name, monotype, default: dflt },
      [...own, ...p.takeErrors()],
    );
  }
  if (t.type === 'PIPE_RECEIVE') {
    p.expect('PIPE_RECEIVE');
    let name: Identifier | null = null;
    if (p.peek().type === 'IDENT') name = p.parseIdentifier();
    p.expect('COLON');
    const monotype = parseMonoType(p);
    return p.node('ParameterType', p.span(t.start, monotype.loc.end), {
      mode: 'pipe',
      name,
      monotype,
      default: null,
    });
  }
  const name = p.parseIdentifier();
  p.expect('COLON');
  const monotype = parseMonoType(p);
  return p.node('ParameterType', p.span(name.loc.start, monotype.loc.end), {
    mode: 'required',
    name,
    monotype,
    default: null,
  });
}

function parseConstraint(p: Parser): TypeConstraint {
  const tvar = p.parseIdentifier();
  p.expect('COLON');
  const kinds = [p.parseIdentifier()];
  while (p.peek().type === 'ADD') {
    p.consume();
    kinds.push(p.parseIdentifier());
  }
  return p.node('TypeConstraint', p.span(tvar.loc.start, kinds[kinds.length - 1]!.loc.end), { tvar, kinds });
}

function parsePropertyKey(p: Parser): Identifier | StringLiteral {
  const t = p.expect('IDENT', 'STRING');
  if (t.type === 'STRING') return p.stringLiteralFrom(t);
  return p.node('Identifier', p.tokenLoc(t), { name: t.lit });
}

function parseRecordType(p: Parser): MonoType {
  const start = p.open('LBRACE', 'RBRACE');
  let tvar: Identifier | null = null;
  let properties: PropertyType[] = [];
  const t = p.peek();
  if (t.type === 'IDENT' || t.type === 'STRING') {
    const key = parsePropertyKey(p);
    const next = p.peek();
    if (key.kind === 'StringLiteral' || next.type === 'COLON') {
      properties = parsePropertyTypeList(p, key);
    } else if (next.type === 'IDENT' && next.lit === 'with') {
      tvar = key;
      p.expect('IDENT');
      properties = parsePropertyTypeList(p, parsePropertyKey(p));
    }
    // Anything else is left for close() to report.
  }
  const end = p.close('RBRACE');
  return p.node('RecordType', p.span(start.start, end.end), { tvar, properties });
}

function parsePropertyTypeList(p: Parser, firstKey: Identifier | StringLiteral): PropertyType[] {
  const properties = [parsePropertyType(p, firstKey)];
  if (p.peek().type === 'COMMA') p.consume();
  let last = p.peek().startOffset;
  while (p.more()) {
    properties.push(parsePropertyType(p, parsePropertyKey(p)));
    if (p.peek().type === 'COMMA') p.consume();
    const now = p.peek().startOffset;
    if (now === last) break;
    last = now;
  }
  return properties;
}

function parsePropertyType(p: Parser, name: Identifier | StringLiteral): PropertyType {
  p.expect('COLON');
  const monotype = parseMonoType(p);
  return p.node('PropertyType', p.span(name.loc.start, monotype.loc.end), { name, monotype });
}
