import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { formatRfc3339Nano } from '../../core/time.js';
import type {
  BinaryOperator,
  CallExpression,
  DurationUnit,
  Expression,
  Identifier,
  Node,
  Property,
  RecordExpression,
  Statement,
  UnaryOperator,
} from './ast.js';
import { identifier, makeNode, NO_LOCATION } from './ast.js';
import { astToJson } from './ast-json.js';
import { formatDiagnostics } from './diagnostic.js';
import { parse } from './parser.js';
import { escapeStringText, formatFloat, print } from './printer.js';

const L = NO_LOCATION;

/** The tree with every ParenExpression replaced by its contents (the printer adds them freely). */
function withoutParens(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutParens);
  if (value === null || typeof value !== 'object') return value;
  const obj = value as Record<string, unknown>;
  if (obj['kind'] === 'ParenExpression') return withoutParens(obj['expression']);
  return Object.fromEntries(Object.entries(obj).map(([k, v]) => [k, withoutParens(v)]));
}

function shape(n: Node): unknown {
  return withoutParens(astToJson(n, { locations: false }));
}

/** Prints `v = <e>` (a label cannot start a statement), parses it back and returns the value. */
function reparseExpression(e: Expression): Expression {
  const src = `v = ${print(e)}`;
  const { file, diagnostics } = parse(src);
  expect(formatDiagnostics(diagnostics), src).toBe('');
  expect(file.body, src).toHaveLength(1);
  const stmt = file.body[0]!;
  if (stmt.kind !== 'VariableAssignment') throw new Error(`not an assignment: ${src}`);
  return stmt.init;
}

// ---------------------------------------------------------------------------------------------
// Random expression trees, built with the factories (no locations, no parentheses).

const names = fc.constantFrom('a', 'b', 'x', 'r', 'tables', '_value', 'αβ', 'with');
const ident: fc.Arbitrary<Identifier> = names.map((n) => identifier(n));
const text = fc.string({ unit: fc.constantFrom('a', ' ', '$', '{', '}', '"', '\\', '\n', '\t', 'é', '日', '/'), maxLength: 8 });

const leaf: fc.Arbitrary<Expression> = fc.oneof(
  ident,
  fc.bigInt({ min: 0n, max: 9223372036854775807n }).map((value) => makeNode('IntegerLiteral', L, { value })),
  fc
    .double({ min: 0, max: 1e300, noNaN: true, noDefaultInfinity: true })
    .map((v) => makeNode('FloatLiteral', L, { value: Math.abs(v) })),
  text.map((value) => makeNode('StringLiteral', L, { value })),
  fc.constantFrom('a/b', '.*', '^x\\d+$', '\\\\', 'a b', 'x\\/', '\\x41', '\\\\/').map((value) => makeNode('RegexpLiteral', L, { value })),
  fc
    .array(
      fc.record({
        magnitude: fc.bigInt({ min: 0n, max: 1000n }),
        unit: fc.constantFrom<DurationUnit>('y', 'mo', 'w', 'd', 'h', 'm', 's', 'ms', 'us', 'ns'),
      }),
      { minLength: 1, maxLength: 3 },
    )
    .map((values) => makeNode('DurationLiteral', L, { values })),
  fc
    .bigInt({ min: 0n, max: 4_000_000_000_000_000_000n })
    .map((value) => makeNode('DateTimeLiteral', L, { value, text: formatRfc3339Nano(value) })),
  fc.constantFrom('x', '_value', 'with space').map((value) => makeNode('LabelLiteral', L, { value })),
);

const BINARY: BinaryOperator[] = ['*', '/', '%', '^', '+', '-', '==', '!=', '<', '<=', '>', '>=', '=~', '!~'];
const UNARY: UnaryOperator[] = ['-', '+', 'not', 'exists'];

const { expr } = fc.letrec<{ expr: Expression }>((tie) => {
  const sub = tie('expr');
  const explicitProps = fc.uniqueArray(fc.tuple(ident, sub), { minLength: 1, maxLength: 3, selector: ([k]) => k.name });
  const properties: fc.Arbitrary<Property[]> = fc.oneof(
    explicitProps.map((ps) => ps.map(([key, value]) => makeNode('Property', L, { key, value }))),
    fc
      .uniqueArray(ident, { minLength: 1, maxLength: 3, selector: (k) => k.name })
      .map((ks) => ks.map((key) => makeNode('Property', L, { key, value: null }))),
  );
  const record = (props: fc.Arbitrary<Property[]>): fc.Arbitrary<RecordExpression> =>
    fc
      .tuple(fc.option(ident), props)
      .map(([w, ps]) => makeNode('RecordExpression', L, { with: w, properties: ps }));
  const call: fc.Arbitrary<CallExpression> = fc
    .tuple(fc.oneof(ident, sub), fc.option(record(explicitProps.map((ps) => ps.map(([key, value]) => makeNode('Property', L, { key, value }))))))
    .map(([callee, args]) =>
      makeNode('CallExpression', L, { callee, arguments: args === null ? null : { ...args, with: null } }),
    );
  const params = fc
    .uniqueArray(fc.tuple(ident, fc.option(fc.oneof(sub, fc.constant(makeNode('PipeLiteral', L, {}) as Expression)))), {
      maxLength: 3,
      selector: ([k]) => k.name,
    })
    .map((ps) => ps.map(([key, value]) => makeNode('Property', L, { key, value })));
  const block = fc
    .tuple(ident, sub, sub)
    .map(([id, init, ret]) =>
      makeNode('Block', L, {
        body: [
          makeNode('VariableAssignment', L, { attributes: [], id, init }) as Statement,
          makeNode('ReturnStatement', L, { attributes: [], argument: ret }),
        ],
      }),
    );
  return {
    expr: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      leaf,
      fc.tuple(fc.constantFrom(...BINARY), sub, sub).map(([operator, left, right]) =>
        makeNode('BinaryExpression', L, { operator, left, right }),
      ),
      fc.tuple(fc.constantFrom<'and' | 'or'>('and', 'or'), sub, sub).map(([operator, left, right]) =>
        makeNode('LogicalExpression', L, { operator, left, right }),
      ),
      fc.tuple(fc.constantFrom(...UNARY), sub).map(([operator, argument]) =>
        makeNode('UnaryExpression', L, { operator, argument }),
      ),
      fc.tuple(sub, sub, sub).map(([test, consequent, alternate]) =>
        makeNode('ConditionalExpression', L, { test, consequent, alternate }),
      ),
      call,
      fc.tuple(sub, call).map(([argument, c]) => makeNode('PipeExpression', L, { argument, call: c })),
      fc.tuple(sub, ident).map(([object, property]) => makeNode('MemberExpression', L, { object, property })),
      fc.tuple(sub, text).map(([object, value]) =>
        makeNode('MemberExpression', L, { object, property: makeNode('StringLiteral', L, { value }) }),
      ),
      fc.tuple(sub, sub).map(([array, index]) => makeNode('IndexExpression', L, { array, index })),
      fc.array(sub, { maxLength: 3 }).map((elements) => makeNode('ArrayExpression', L, { elements })),
      fc
        .array(fc.record({ key: sub, value: sub }), { maxLength: 3 })
        .map((elements) => makeNode('DictExpression', L, { elements })),
      record(properties),
      fc.tuple(params, fc.oneof(sub, block)).map(([ps, body]) => makeNode('FunctionExpression', L, { params: ps, body })),
      fc
        .array(fc.tuple(text.filter((t) => t !== ''), sub), { minLength: 1, maxLength: 2 })
        .map((pairs) =>
          makeNode('StringExpression', L, {
            parts: pairs.flatMap(([t, e]) => [
              makeNode('TextPart', L, { value: t }),
              makeNode('InterpolatedPart', L, { expression: e }),
            ]),
          }),
        ),
    ),
  };
});

describe('print', () => {
  test('property: printing any tree and parsing it back gives the same tree', () => {
    fc.assert(
      fc.property(expr, (e) => {
        expect(shape(reparseExpression(e))).toEqual(shape(e));
      }),
      { numRuns: 400 },
    );
  });

  test('property: printing is stable (print ∘ parse ∘ print = print)', () => {
    fc.assert(
      fc.property(expr, (e) => {
        const once = print(e);
        expect(print(reparseExpression(e))).toBe(once);
      }),
      { numRuns: 200 },
    );
  });

  test.each([
    ['a - (b - c)', 'a - (b - c)'],
    ['(a - b) - c', '(a - b) - c'],
    ['x = (r) => ({r with v: 1})', 'x = (r) => ({r with v: 1})\n'],
    ['a |> b() |> c()', 'a\n    |> b()\n    |> c()'],
    ['f = () => {\nreturn 1\n}', 'f = () => {\n    return 1\n}\n'],
    ['@edition("2022.1")\npackage p\nimport x "y"\nbuiltin f : (<-t: stream[A], ?n: int) => [A: B] where A: Comparable + Equatable', '@edition("2022.1")\npackage p\n\nimport x "y"\n\nbuiltin f : (<-t: stream[A], ?n: int) => [A: B] where A: Comparable + Equatable\n'],
    ['testcase t extends "a.b" { super() }', 'testcase t extends "a.b" {\n    super()\n}\n'],
    ['option a.b = 1', 'option a.b = 1\n'],
  ])('%s', (src, want) => {
    const { file, diagnostics } = parse(src);
    expect(diagnostics).toEqual([]);
    const stmt = file.body[0];
    const out = file.body.length === 1 && stmt?.kind === 'ExpressionStatement' && !file.package ? print(stmt.expression) : print(file);
    expect(out).toBe(want);
  });

  test('code-built trees get the parentheses their shape needs', () => {
    const a = identifier('a');
    const b = identifier('b');
    const sum = makeNode('BinaryExpression', L, { operator: '+', left: a, right: b });
    const product = makeNode('BinaryExpression', L, { operator: '*', left: sum, right: sum });
    expect(print(product)).toBe('(a + b) * (a + b)');
    const fn = makeNode('FunctionExpression', L, { params: [], body: a });
    expect(print(makeNode('CallExpression', L, { callee: fn, arguments: null }))).toBe('(() => a)()');
    const cond = makeNode('ConditionalExpression', L, { test: a, consequent: a, alternate: b });
    expect(print(makeNode('BinaryExpression', L, { operator: '+', left: a, right: cond }))).toBe(
      'a + (if a then a else b)',
    );
  });

  test.each([
    [1, '1.0'],
    [0.5, '0.5'],
    [1e21, '1000000000000000000000.0'],
    [1.5e-7, '0.00000015'],
    [123.456e10, '1234560000000.0'],
  ])('formatFloat(%s)', (v, want) => {
    expect(formatFloat(v)).toBe(want);
    expect(Number(want)).toBe(v);
  });

  test.each([
    ['a${b', 'a\\x24{b'],
    ['$"', '\\x24\\"'],
    ['cost: $5', 'cost: $5'],
    ['tab\t', 'tab\\t'],
  ])('escapeStringText(%j)', (input, want) => {
    expect(escapeStringText(input)).toBe(want);
  });
});
