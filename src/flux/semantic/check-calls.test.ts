import { describe, expect, test } from 'vitest';
import { formatDiagnostics } from '../syntax/diagnostic.js';
import { parse } from '../syntax/parser.js';
import { checkCalls, signaturesOf, type SignatureScope } from './check-calls.js';

const prelude = parse(
  [
    'builtin filter : (<-tables: stream[A], fn: (r: A) => bool, ?onEmpty: string) => stream[A] where A: Record',
    'builtin now : () => time',
    'builtin answer : int',
    'range = (tables=<-, start, stop=now()) => tables',
  ].join('\n'),
).file;
const strings = parse('package strings\nbuiltin toUpper : (v: string) => string').file;
const scope: SignatureScope = {
  universe: signaturesOf(prelude),
  packages: new Map([['strings', signaturesOf(strings)]]),
};

function errors(src: string): string {
  const { file, diagnostics } = parse(src);
  expect(formatDiagnostics(diagnostics)).toBe('');
  return formatDiagnostics(checkCalls(file, scope));
}

describe('checkCalls', () => {
  test('signatures come from builtin types and function literals', () => {
    expect(Object.fromEntries(signaturesOf(prelude))).toEqual({
      filter: { required: ['fn'], optional: ['onEmpty'], pipe: 'tables' },
      now: { required: [], optional: [], pipe: null },
      range: { required: ['start'], optional: ['stop'], pipe: 'tables' },
    });
  });

  test.each([
    ['well-formed calls', 'import "strings"\nx = data |> range(start: -1h) |> filter(fn: (r) => true)\ny = strings.toUpper(v: "a")\nz = filter(tables: x, fn: (r) => true)', ''],
    ['unexpected and missing, as Flux orders them', 'f = (a, b) => a + b\nf(a: 0, c: 1)',
      'error @2:12-2:13: found unexpected argument c (Expected `b`)\n\nerror @2:1-2:14: missing required argument b'],
    ['several expected names', 'f = (a, b, c) => a + b + c\nf(d: 1)',
      'error @2:6-2:7: found unexpected argument d (Expected one of `a`, `b` or `c`)\n\nerror @2:1-2:8: missing required argument a\n\nerror @2:1-2:8: missing required argument b\n\nerror @2:1-2:8: missing required argument c'],
    ['shorthand arguments count by name', 'f = (o) => o\nr = 1\nx = f(r)', 'error @3:7-3:8: found unexpected argument r (Expected `o`)\n\nerror @3:5-3:9: missing required argument o'],
    ['package functions', 'import s "strings"\nx = s.toUpper(w: "a")', 'error @2:18-2:21: found unexpected argument w (Expected `v`)\n\nerror @2:5-2:22: missing required argument v'],
    ['missing pipe argument', 'x = filter(fn: (r) => true)', 'error @1:5-1:28: missing pipe argument'],
    ['prelude builtins that are not functions are not checked', 'x = answer', ''],
    ['a parameter shadows a known function', 'f = (filter) => filter(anything: 1)', ''],
    ['a non-function variable shadows a known function', 'now = 5\nx = now(v: 1)', ''],
    ['names bound later are not known yet', 'x = g(a: 1)\ng = (b) => b', ''],
    ['testcases and functions open scopes', 'testcase t {\n  f = (a) => a\n  f(b: 1)\n}\ny = f(b: 1)',
      'error @3:8-3:9: found unexpected argument b (Expected `a`)\n\nerror @3:3-3:10: missing required argument a'],
  ])('%s', (_name, src, want) => {
    expect(errors(src)).toBe(want);
  });
});
