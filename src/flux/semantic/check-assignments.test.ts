import { describe, expect, test } from 'vitest';
import { formatDiagnostics } from '../syntax/diagnostic.js';
import { parse } from '../syntax/parser.js';
import { checkAssignments } from './check-assignments.js';

function errors(src: string): string {
  const { file, diagnostics } = parse(src);
  expect(formatDiagnostics(diagnostics)).toBe('');
  return formatDiagnostics(checkAssignments(file));
}

describe('checkAssignments', () => {
  test.each([
    ['distinct names are fine', 'option a = 1\nb = 2\nf = (x) => {\n  y = x\n  return y\n}\ng = (x) => x', ''],
    ['option reassigned', 'option a = 1\noption a = 2', 'error @2:1-2:13: option "a" reassigned'],
    ['qualified option reassigned', 'import "p"\noption p.x = 1\noption p.x = 2', 'error @3:1-3:15: option "p.x" reassigned'],
    ['variable reassigned in the package block', 'a = 1\na = 2', 'error @2:1-2:6: variable "a" reassigned'],
    ['variable named like an option', 'option a = 1\na = 2', 'error @2:1-2:6: variable "a" conflicts with option of same name'],
    ['shadowing in a function is allowed', 'a = 1\nf = () => {\n  a = 2\n  return a\n}', ''],
    ['a parameter counts as assigned', 'f = (a) => {\n  a = 2\n  return a\n}', 'error @2:3-2:8: variable "a" reassigned'],
    ['reassigned inside a function block', 'f = () => {\n  b = 1\n  b = 2\n  return b\n}', 'error @3:3-3:8: variable "b" reassigned'],
    ['testcases are blocks of their own', 'a = 1\ntestcase t {\n  a = 2\n  a = 3\n}', 'error @4:3-4:8: variable "a" reassigned'],
    ['option depending on an option', 'option a = 1\noption b = a + 1', 'error @2:12-2:13: option "b" depends on option "a", which is defined in the same package'],
    ['a parameter shadows the option', 'option a = 1\noption f = (a) => a', ''],
    ['nested functions', 'f = () => {\n  g = (x) => {\n    x = 1\n    return x\n  }\n  return g\n}', 'error @3:5-3:10: variable "x" reassigned'],
  ])('%s', (_name, src, want) => {
    expect(errors(src)).toBe(want);
  });

  test('every problem is reported, not only the first', () => {
    expect(errors('a = 1\na = 2\noption o = 1\noption o = 2').split('\n\n')).toHaveLength(2);
  });
});
