import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { astToJson } from './ast-json.js';
import { parse } from './parser.js';
import { print } from './printer.js';

/** Source-like noise: Flux tokens, fragments and arbitrary characters, glued together. */
const fragment = fc.oneof(
  fc.constantFrom(
    'a', 'x', 'r', '_value', 'with', 'package', 'import', 'option', 'builtin', 'testcase', 'extends', 'return',
    'if', 'then', 'else', 'and', 'or', 'not', 'exists', '1', '0123', '1.5', '.5', '1h30m', '1mo', '2018-01-01',
    '2018-01-01T00:00:00Z', '2018-01-01T00:00:00', '"s"', '"a${b}c"', '"\\x41"', '"\\q"', '"', '${', '/re/', '/',
    '(', ')', '[', ']', '{', '}', ',', ':', '.', '=', '==', '=>', '<-', '|>', '+', '-', '*', '^', '%', '<', '>=',
    '=~', '!~', '!', '?', '@', '@edition', '#', '// c\n', '\n', ' ', '\t', 'µs', '日本', '\u{1F600}',
  ),
  fc.string({ maxLength: 3 }),
);
const source = fc.array(fragment, { maxLength: 40 }).map((parts) => parts.join(''));

describe('parser robustness', () => {
  test('any input parses without throwing; positions stay inside the source; clean parses round-trip', () => {
    fc.assert(
      fc.property(source, (src) => {
        const { file, diagnostics } = parse(src);
        const lines = src.split('\n').length;
        for (const d of diagnostics) {
          expect(d.loc.start.line).toBeGreaterThanOrEqual(1);
          expect(d.loc.end.line).toBeLessThanOrEqual(lines);
          expect(d.message).toBeTypeOf('string');
        }
        // `(a b)` parses without a diagnostic into an <INVALID_OP> node (Flux reports it in
        // semantic analysis); such a tree only round-trips inside its parentheses.
        const invalidOp = JSON.stringify(astToJson(file)).includes('<INVALID_OP>');
        if (diagnostics.length === 0 && !invalidOp) {
          const again = parse(print(file));
          expect(again.diagnostics).toEqual([]);
          expect(astToJson(again.file, { locations: false })).toEqual(astToJson(file, { locations: false }));
        }
      }),
      { numRuns: 1500 },
    );
  });
});
