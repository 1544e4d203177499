import { describe, expect, test } from 'vitest';
import { formatDiagnostics } from '../syntax/diagnostic.js';
import { parse } from '../syntax/parser.js';
import { importName, packageExports, resolveNames, type ScopeDescription } from './resolve-names.js';

const scope: ScopeDescription = {
  universe: ['true', 'false', 'from', 'range', 'filter', 'map', 'now', 'yield'],
  packages: new Map([
    ['strings', ['toUpper']],
    ['influxdata/influxdb/v1', ['fieldsAsCols']],
    ['testing', ['diff', 'load']],
  ]),
};

function errors(src: string): string {
  const { file, diagnostics } = parse(src);
  expect(formatDiagnostics(diagnostics)).toBe('');
  return formatDiagnostics(resolveNames(file, scope));
}

describe('resolveNames', () => {
  test.each([
    ['universe, imports by last segment and alias', 'import "influxdata/influxdb/v1"\nimport s "strings"\nx = v1.fieldsAsCols() |> map(fn: (r) => ({r with u: s.toUpper(v: r.a)}))', ''],
    ['use before definition', 'x = y\ny = 1', 'error @1:5-1:6: undefined identifier y'],
    ['each use is reported', 'x = y + y', 'error @1:5-1:6: undefined identifier y\n\nerror @1:9-1:10: undefined identifier y'],
    ['a function does not see itself', 'f = (n) => f(n: n)', 'error @1:12-1:13: undefined identifier f'],
    ['parameters are scoped to the body', 'f = (a, b=a) => a + b\nc = a', 'error @1:11-1:12: undefined identifier a\n\nerror @2:5-2:6: undefined identifier a'],
    ['block bodies scope their assignments', 'f = () => {\n  x = 1\n  return x\n}\ny = x', 'error @5:5-5:6: undefined identifier x'],
    ['shorthand properties are references', 'a = 1\nr = {a, b}\nc = from(a, z)', 'error @2:9-2:10: undefined identifier b\n\nerror @3:13-3:14: undefined identifier z'],
    ['with-records reference their base', 'x = {q with a: 1}', 'error @1:6-1:7: undefined identifier q'],
    ['keys, members and labels are not references', 'r = {a: 1}\nx = r.zz\ny = r["k"]\nz = .label', ''],
    ['string interpolation', 'x = "v=${v}"', 'error @1:10-1:11: undefined identifier v'],
    ['options define names; qualified options need the import', 'option o = 1\nx = o\noption q.z = 2', 'error @3:8-3:9: undefined identifier q'],
    ['builtins define names', 'builtin b : int\nx = b', ''],
    ['testcases see the package block; super only with extends',
      'import "testing"\nw = 1\ntestcase a { testing.diff(got: w, want: w) }\ntestcase b extends "x.a" { super() }\ntestcase c { super() }',
      'error @5:14-5:19: undefined identifier super'],
    ['unknown import path', 'import "nope/pkg"\nx = pkg.a', 'error @1:1-1:18: invalid import path nope/pkg'],
    ['return in the file block', 'return 1', 'error @1:1-1:9: return not valid in file block'],
  ])('%s', (_name, src, want) => {
    expect(errors(src)).toBe(want);
  });

  test('without a package list every import is accepted', () => {
    const { file } = parse('import "any/thing"\nx = thing.y');
    expect(resolveNames(file, { universe: [] })).toEqual([]);
  });

  test('diagnostics carry the file name and a stable code', () => {
    const { file } = parse('x = y', 'a.flux');
    const [d] = resolveNames(file, scope);
    expect(d).toMatchObject({ code: 'undefined-identifier', file: 'a.flux' });
    expect(formatDiagnostics(resolveNames(file, scope))).toBe('error a.flux@1:5-1:6: undefined identifier y');
  });

  test('packageExports lists top-level variables, options and builtins', () => {
    const { file } = parse('package p\nbuiltin a : int\nb = 1\noption c = 2\noption d.e = 3\nf()\n');
    expect(packageExports(file)).toEqual(['a', 'b', 'c']);
    expect([importName('influxdata/influxdb/v1', null), importName('strings', 's')]).toEqual(['v1', 's']);
  });
});
