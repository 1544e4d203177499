import { expect, test } from 'vitest';
import { diagnosticsError, formatDiagnostic, formatDiagnostics } from './diagnostic.js';
import { parse } from './parser.js';

test('Flux format: error FILE@L:C-L:C: message, separated by blank lines', () => {
  const { diagnostics } = parse('a = )', 'q.flux');
  expect(formatDiagnostic(diagnostics[0]!)).toBe('error q.flux@1:5-1:6: invalid expression: invalid token for primary expression: RPAREN');
  expect(formatDiagnostics(diagnostics).split('\n\n')).toHaveLength(2);
  expect(formatDiagnostics([])).toBe('');
});

test('diagnosticsError is an invalid SluiceError carrying the diagnostics', () => {
  const { diagnostics } = parse('x = 1 +');
  const e = diagnosticsError(diagnostics);
  expect(e.code).toBe('invalid');
  expect(e.message).toBe('error @1:8-1:8: invalid expression: invalid token for primary expression: EOF');
  expect(e.details).toEqual({ diagnostics });
});
