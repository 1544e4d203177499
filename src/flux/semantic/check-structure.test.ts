import { describe, expect, test } from 'vitest';
import { formatDiagnostics } from '../syntax/diagnostic.js';
import { parse } from '../syntax/parser.js';
import { checkStructure } from './check-structure.js';

function errors(src: string): string {
  const { file, diagnostics } = parse(src);
  expect(formatDiagnostics(diagnostics)).toBe('');
  return formatDiagnostics(checkStructure(file));
}

describe('checkStructure', () => {
  test.each([
    ['well-formed functions', 'f = (tables=<-, n=1) => {\n  x = n\n  tables\n  return x\n}\ng = () => 1', ''],
    ['pipe literal outside a parameter default', 'x = <-', 'error @1:5-1:7: a pipe literal may only be used as a default value for an argument in a function definition'],
    ['two pipe parameters', 'f = (a=<-, b=<-) => a', 'error @1:14-1:16: function types can have at most one pipe parameter'],
    ['missing return', 'f = () => {\n  x = 1\n}', 'error @2:3-2:8: missing return statement in block'],
    ['empty block', 'f = () => {}', 'error @1:11-1:13: missing return statement in block'],
    ['early return', 'f = () => {\n  return 1\n  return 2\n}', 'error @2:3-2:11: invalid return statement in function block'],
    ['option inside a function', 'f = () => {\n  option x = 1\n  return 1\n}', 'error @2:3-2:15: invalid option statement in function block'],
  ])('%s', (_name, src, want) => {
    expect(errors(src)).toBe(want);
  });
});
