import { expect, test } from 'vitest';
import { formatDiagnostics } from '../syntax/diagnostic.js';
import { parse } from '../syntax/parser.js';
import { signaturesOf } from './check-calls.js';
import { checkFile } from './check-file.js';

test('checkFile runs every semantic check and reports all problems', () => {
  const prelude = parse('builtin range : (<-tables: stream[A], start: time) => stream[A]').file;
  const { file, diagnostics } = parse('option a = 1\noption a = 2\nx = y\nz = from() |> range(stat: 1)');
  expect(diagnostics).toEqual([]);
  const out = checkFile(file, { names: { universe: ['range'] }, signatures: { universe: signaturesOf(prelude) } });
  expect(formatDiagnostics(out)).toBe(
    [
      'error @2:1-2:13: option "a" reassigned',
      'error @3:5-3:6: undefined identifier y',
      'error @4:5-4:9: undefined identifier from',
      'error @4:27-4:28: found unexpected argument stat (Expected `start`)',
      'error @4:15-4:29: missing required argument start',
    ].join('\n\n'),
  );
  expect(checkFile(file, { names: { universe: ['range', 'from', 'y'] } }).map((d) => d.code)).toEqual(['option-reassigned']);
});

test('operands side by side are an invalid operator, found after parsing', () => {
  const { file, diagnostics } = parse('x = (a b)');
  expect(diagnostics).toEqual([]);
  expect(formatDiagnostics(checkFile(file, { names: { universe: ['a', 'b'] } }))).toBe(
    'error @1:6-1:9: invalid binary operator <INVALID_OP>',
  );
});
