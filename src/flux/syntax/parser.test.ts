import { describe, expect, test } from 'vitest';
import type { Expression, Node, Statement } from './ast.js';
import { formatDiagnostics } from './diagnostic.js';
import { parse, parseExpression } from './parser.js';

/** A compact prefix form of an expression, to state tree shapes in tables. */
function sexpr(n: Node): string {
  switch (n.kind) {
    case 'Identifier':
      return n.name;
    case 'IntegerLiteral':
      return `${n.value}`;
    case 'FloatLiteral':
      return `${n.value}f`;
    case 'StringLiteral':
      return JSON.stringify(n.value);
    case 'RegexpLiteral':
      return `/${n.value}/`;
    case 'DurationLiteral':
      return n.values.map((v) => `${v.magnitude}${v.unit}`).join('');
    case 'DateTimeLiteral':
      return `t${n.value}`;
    case 'PipeLiteral':
      return '<-';
    case 'LabelLiteral':
      return `.${n.value}`;
    case 'BinaryExpression':
    case 'LogicalExpression':
      return `(${n.operator} ${sexpr(n.left)} ${sexpr(n.right)})`;
    case 'UnaryExpression':
      return `(${n.operator} ${sexpr(n.argument)})`;
    case 'ConditionalExpression':
      return `(if ${sexpr(n.test)} ${sexpr(n.consequent)} ${sexpr(n.alternate)})`;
    case 'PipeExpression':
      return `(|> ${sexpr(n.argument)} ${sexpr(n.call)})`;
    case 'CallExpression':
      return `(call ${sexpr(n.callee)}${n.arguments ? ` ${sexpr(n.arguments)}` : ''})`;
    case 'MemberExpression':
      return `(. ${sexpr(n.object)} ${n.property.kind === 'Identifier' ? n.property.name : JSON.stringify(n.property.value)})`;
    case 'IndexExpression':
      return `([] ${sexpr(n.array)} ${sexpr(n.index)})`;
    case 'ParenExpression':
      return `(paren ${sexpr(n.expression)})`;
    case 'FunctionExpression':
      return `(fn (${n.params.map(sexpr).join(' ')}) ${sexpr(n.body)})`;
    case 'Property':
      return n.value === null ? sexpr(n.key) : `${sexpr(n.key)}:${sexpr(n.value)}`;
    case 'RecordExpression':
      return `{${n.with ? `${n.with.name} with ` : ''}${n.properties.map(sexpr).join(' ')}}`;
    case 'ArrayExpression':
      return `[${n.elements.map(sexpr).join(' ')}]`;
    case 'DictExpression':
      return `[dict${n.elements.map((e) => ` ${sexpr(e.key)}:${sexpr(e.value)}`).join('')}]`;
    case 'StringExpression':
      return `(str ${n.parts.map((p) => (p.kind === 'TextPart' ? JSON.stringify(p.value) : `\${${sexpr(p.expression)}}`)).join(' ')})`;
    case 'Block':
      return `{block ${n.body.map(sexpr).join('; ')}}`;
    case 'ReturnStatement':
      return `return ${sexpr(n.argument)}`;
    case 'VariableAssignment':
      return `${n.id.name} = ${sexpr(n.init)}`;
    case 'ExpressionStatement':
      return sexpr(n.expression);
    default:
      return `<${n.kind}>`;
  }
}

function onlyExpression(src: string): string {
  const { file, diagnostics } = parse(src);
  expect(formatDiagnostics(diagnostics)).toBe('');
  expect(file.body).toHaveLength(1);
  const stmt = file.body[0]! as Statement;
  if (stmt.kind !== 'ExpressionStatement') throw new Error(`not an expression: ${stmt.kind}`);
  return sexpr(stmt.expression as Expression);
}

describe('parse: precedence and associativity (SPEC operator table)', () => {
  test.each([
    // 1: call, index, member bind tightest
    ['a.b(c: 1)[0].d', '(. ([] (call (. a b) {c:1}) 0) d)'],
    ['a["b"]', '(. a "b")'],
    ['-a.b', '(- (. a b))'],
    // 2: pipe binds tighter than arithmetic; unary minus tighter than pipe
    ['a + b |> c()', '(+ a (|> b (call c)))'],
    ['-a |> f()', '(|> (- a) (call f))'],
    ['a |> f() |> g(x: 1)', '(|> (|> a (call f)) (call g {x:1}))'],
    ['a |> f() ^ 2', '(^ (|> a (call f)) 2)'],
    // 4: exponent, left-associative, tighter than * / %
    ['a ^ b ^ c', '(^ (^ a b) c)'],
    ['a * b ^ c', '(* a (^ b c))'],
    ['-a ^ b', '(^ (- a) b)'],
    // 5, 6: multiplicative over additive, both left-associative
    ['a + b * c', '(+ a (* b c))'],
    ['a * b + c', '(+ (* a b) c)'],
    ['a - b - c', '(- (- a b) c)'],
    ['2 * 3 % 4 / 5', '(/ (% (* 2 3) 4) 5)'],
    // 7: comparison, left-associative
    ['a == b + c', '(== a (+ b c))'],
    ['a < b == c', '(== (< a b) c)'],
    ['a =~ /x/ or b !~ /y\\/z/', '(or (=~ a /x/) (!~ b /y/z/))'],
    ['a <= b and c >= d and e != f and g > h', '(and (and (and (<= a b) (>= c d)) (!= e f)) (> g h))'],
    // 8: not and exists, looser than comparison
    ['not a == b', '(not (== a b))'],
    ['not not a', '(not (not a))'],
    ['exists r.x and r.x > 0', '(and (exists (. r x)) (> (. r x) 0))'],
    // 9, 10: and over or
    ['a or b and c', '(or a (and b c))'],
    ['not a and b', '(and (not a) b)'],
    ['a and b or c and d', '(or (and a b) (and c d))'],
    // 11: conditional loosest
    ['if a then b else c or d', '(if a b (or c d))'],
    ['if a then b else if c then d else e', '(if a b (if c d e))'],
    ['if a or b then 1 else 2', '(if (or a b) 1 2)'],
    // parentheses and function literals
    ['(a + b) * c', '(* (paren (+ a b)) c)'],
    ['(x) => x + 1', '(fn (x) (+ x 1))'],
    ['(tables=<-, n=1, fn) => tables', '(fn (tables:<- n:1 fn) tables)'],
    ['() => ({a: 1})', '(fn () (paren {a:1}))'],
    ['(r) => { y = r + 1\n return y }', '(fn (r) {block y = (+ r 1); return y})'],
    ['((x) => x)(x: 1)', '(call (paren (fn (x) x)) {x:1})'],
    ['f(fn: (r) => r._value > 0)', '(call f {fn:(fn (r) (> (. r _value) 0))})'],
  ])('%s', (src, want) => {
    expect(onlyExpression(src)).toBe(want);
  });
});

describe('parse: literals and composites', () => {
  test.each([
    ['42', '42'],
    ['1.5', '1.5f'],
    ['.26', '0.26f'],
    ['"a\\tb"', '"a\\tb"'],
    ['"x = ${x + 1}!"', '(str "x = " ${(+ x 1)} "!")'],
    ['"\\${not}"', '"${not}"'],
    ['1h30m', '1h30m'],
    ['-1mo5d', '(- 1mo5d)'],
    ['2y3mo1w2d3h4m5s6ms7us8ns', '2y3mo1w2d3h4m5s6ms7us8ns'],
    ['2018-01-01', 't1514764800000000000'],
    ['2018-01-01T00:00:00.5+01:00', 't1514761200500000000'],
    ['/\\/api\\/v2/', '//api/v2/'],
    ['[1, 2, 3]', '[1 2 3]'],
    ['[]', '[]'],
    ['[:]', '[dict]'],
    ['["a": 1, "b": 2]', '[dict "a":1 "b":2]'],
    ['[a: 1]', '[dict a:1]'],
    ['{a: 1, "b c": 2}', '{a:1 "b c":2}'],
    ['{a, b}', '{a b}'],
    ['{r with x: 5, y: 6}', '{r with x:5 y:6}'],
    ['{o with a, b}', '{o with a b}'],
    ['{}', '{}'],
    ['f(a, b)', '(call f {a b})'],
    ['x = .mylabel', '<unexpected>'],
  ])('%s', (src, want) => {
    if (want === '<unexpected>') {
      const { file, diagnostics } = parse(src);
      expect(diagnostics).toEqual([]);
      expect(sexpr(file.body[0]!)).toBe('x = .mylabel');
      return;
    }
    expect(onlyExpression(src)).toBe(want);
  });

  test('a regex is read where an operand starts, division elsewhere', () => {
    expect(onlyExpression('a / b / c')).toBe('(/ (/ a b) c)');
    expect(onlyExpression('r =~ /a/ and 4 / 2 > 1')).toBe('(and (=~ r /a/) (> (/ 4 2) 1))');
    expect(onlyExpression('/a b/')).toBe('/a b/');
  });
});

describe('parse: statements', () => {
  test('package, imports, options, builtins, testcases, attributes', () => {
    const src = [
      '@edition("2022.1")',
      'package foo_test',
      'import "testing"',
      'import s "strings"',
      '@deprecated',
      'option now = () => 2030-01-01T00:00:00Z',
      'option s.tz = "UTC"',
      'builtin from : (bucket: string, ?host: string) => stream[A] where A: Record',
      'testcase t extends "flux/x_test.y" { super() }',
    ].join('\n');
    const { file, diagnostics } = parse(src, 'foo_test.flux');
    expect(diagnostics).toEqual([]);
    expect(file.package?.name.name).toBe('foo_test');
    expect(file.package?.attributes.map((a) => [a.name, a.params.map(sexpr)])).toEqual([['edition', ['"2022.1"']]]);
    expect(file.imports.map((i) => [i.alias?.name ?? null, i.path.value])).toEqual([
      [null, 'testing'],
      ['s', 'strings'],
    ]);
    const [now, tz, builtin, tc] = file.body;
    expect(now).toMatchObject({ kind: 'OptionStatement', attributes: [{ name: 'deprecated', params: [] }] });
    expect(now?.kind === 'OptionStatement' && now.assignment.kind).toBe('VariableAssignment');
    expect(tz).toMatchObject({
      kind: 'OptionStatement',
      assignment: { kind: 'MemberAssignment', member: { object: { name: 's' }, property: { name: 'tz' } } },
    });
    expect(builtin).toMatchObject({
      kind: 'BuiltinStatement',
      id: { name: 'from' },
      type: {
        monotype: {
          kind: 'FunctionType',
          parameters: [{ mode: 'required', name: { name: 'bucket' } }, { mode: 'optional', name: { name: 'host' } }],
          monotype: { kind: 'StreamType', element: { kind: 'TvarType' } },
        },
        constraints: [{ tvar: { name: 'A' }, kinds: [{ name: 'Record' }] }],
      },
    });
    expect(tc).toMatchObject({ kind: 'TestCaseStatement', id: { name: 't' }, extends: { value: 'flux/x_test.y' } });
    expect(file.loc).toEqual({ start: { line: 1, column: 1 }, end: { line: 9, column: 47 } });
  });

  test('statements are not split by newlines: a call may continue on the next line', () => {
    const { file } = parse('a = b\n(c: 1)');
    expect(file.body.map(sexpr)).toEqual(['a = (call b {c:1})']);
  });
});

describe('parse: errors are collected, positioned and worded as Flux words them', () => {
  test.each([
    ['a = )', ['error @1:5-1:6: invalid expression: invalid token for primary expression: RPAREN', 'error @1:5-1:6: invalid statement: )']],
    ['x = 1 +', ['error @1:8-1:8: invalid expression: invalid token for primary expression: EOF']],
    ['x = 0123', ['error @1:5-1:9: invalid integer literal "0123": nonzero value cannot start with 0']],
    ['x = 99999999999999999999', ['error @1:5-1:25: invalid integer literal "99999999999999999999": value out of range']],
    ['a = b |> c', ['error @1:10-1:11: pipe destination must be a function call']],
    ['x = [1, 2', ['error @1:5-1:10: expected RBRACK, got EOF']],
    ['a = 2018-01-01T00:00:00', ['error @1:5-1:24: invalid expression: invalid date time literal, missing time offset']],
    ['"abc', ['error @1:1-1:5: got unexpected token in string expression @1:5-1:5: EOF']],
    ['f(a: 1 b: 2)', ['error @1:1-1:13: expected comma in property list, got COLON', 'error @1:9-1:12: missing property key']],
    ['(a, b) a + b', ['error @1:8-1:9: expected ARROW, got IDENT (a) at 1:8']],
    ['a[b)]', ['error @1:1-1:6: invalid expression @1:4-1:5: )']],
    ['a[]', ['error @1:1-1:4: no expression included in brackets']],
    ['(@)', ['error @1:1-1:4: invalid expression @1:2-1:3: @', 'error @1:2-1:3: invalid expression: @']],
    ['{a, b: 1}', ['error @1:1-1:10: cannot mix implicit and explicit properties']],
    ['{"a"}', ['error @1:1-1:6: string literal key a must have a value']],
    ['x.\n\nbuiltin y : int', ['error @3:1-3:1: expected IDENT, got BUILTIN (builtin) at 3:1']],
    ['option =\nbuckets()', ['error @1:8-1:8: expected IDENT, got ASSIGN (=) at 1:8']],
    ['f(fn: (r) => ({ r with v: if true then 1}))', ['error @1:27-1:41: expected ELSE, got RBRACE (}) at 1:41']],
    ['@edition("2022.1")', ['error @1:1-1:19: invalid statement: extra attributes not associated with anything']],
    ['import', ['error @1:7-1:7: expected STRING, got EOF', 'error @1:7-1:7: invalid string literal']],
    // The string stops at the bad escape; `qb` is then a statement and `"` opens a new string.
    ['x = "a\\qb"', [
      'error @1:5-1:8: got unexpected token in string expression @1:7-1:8: ILLEGAL',
      'error @1:10-1:11: got unexpected token in string expression @1:11-1:11: EOF',
    ]],
  ])('%s', (src, want) => {
    expect(formatDiagnostics(parse(src).diagnostics)).toBe(want.join('\n\n'));
  });

  test('every error in the file is reported, each with its own position and a stable code', () => {
    // Newlines do not end statements: `1 +` continues with `c` on the next line.
    const src = 'a = )\nb = 1 +\nc = [1, 2\n';
    const { diagnostics, file } = parse(src, 'q.flux');
    expect(diagnostics.map((d) => [d.code, `${d.loc.start.line}:${d.loc.start.column}`])).toEqual([
      ['invalid-expression', '1:5'],
      ['invalid-statement', '1:5'],
      ['invalid-statement', '3:3'],
      ['unclosed', '3:5'],
    ]);
    expect(file.body.map((s) => s.kind)).toEqual(['VariableAssignment', 'BadStatement', 'VariableAssignment', 'BadStatement', 'ExpressionStatement']);
    expect(formatDiagnostics(diagnostics)).toContain('error q.flux@1:5-1:6: ');
  });

  test('a tree deeper than Flux checks is an error even when it parses', () => {
    const { diagnostics } = parse(`x = ${Array.from({ length: 200 }, () => 'a').join(' + ')}`);
    // Like Flux, each branch that crosses the limit is reported (here the last left operand and its sibling).
    expect(diagnostics.map((d) => d.message)).toEqual(['Program is nested too deep', 'Program is nested too deep']);
    expect(parse(`x = ${Array.from({ length: 150 }, () => 'a').join(' + ')}`).diagnostics).toEqual([]);
  });

  test.each([
    ['prefix operators', `x = ${'- '.repeat(5000)}1`],
    ['not', `x = ${'not '.repeat(5000)}a`],
    ['type expressions', `builtin b : ${'['.repeat(5000)}int${']'.repeat(5000)}`],
    ['records', `x = ${'{a: '.repeat(5000)}1${'}'.repeat(5000)}`],
    ['calls', `x = ${'f(a: '.repeat(5000)}1${')'.repeat(5000)}`],
  ])('hostile nesting (%s) is an error, not a stack overflow', (_name, src) => {
    const { diagnostics } = parse(src);
    expect(diagnostics.some((d) => d.message === 'Program is nested too deep')).toBe(true);
  });

  test('deep nesting is an error, not a stack overflow', () => {
    const src = `x = ${'('.repeat(200)}1${')'.repeat(200)}`;
    const { diagnostics } = parse(src);
    expect(diagnostics.some((d) => d.message === 'Program is nested too deep')).toBe(true);
  });
});

describe('parseExpression', () => {
  test('one expression', () => {
    const { expression, diagnostics } = parseExpression('r._value > 0', 'e.flux');
    expect(diagnostics).toEqual([]);
    expect(sexpr(expression)).toBe('(> (. r _value) 0)');
  });

  test.each([
    ['a = 1', 'error @1:1-1:6: expected a single expression'],
    ['a b', 'error @1:1-1:4: expected a single expression'],
    ['1 +', 'error @1:4-1:4: invalid expression: invalid token for primary expression: EOF'],
  ])('%s is not one expression', (src, want) => {
    const { expression, diagnostics } = parseExpression(src);
    expect(expression.kind).toBe('BadExpression');
    expect(formatDiagnostics(diagnostics)).toBe(want);
  });
});
