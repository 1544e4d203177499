import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ScalarKernel } from '../../execute/row-expr.js';
import { stringsPackage } from './strings.js';

/**
 * hasPrefix, hasSuffix and containsStr declare a pattern (ScalarKernel.pattern) so that a filter
 * on a series column becomes a storage regex predicate: the pattern must match a string exactly
 * when the function returns true, whatever characters the literal holds.
 */

function kernel(name: string): ScalarKernel {
  const k = stringsPackage.builtins?.[name]?.scalar;
  if (k?.pattern === undefined) throw new Error(`strings.${name} declares no pattern`);
  return k;
}

// Characters a regex treats specially, and others (a surrogate pair, a combining mark, a newline).
const charArb = fc.constantFrom('a', 'b', '.', '*', '+', '?', '^', '$', '(', ')', '[', ']', '{', '}', '|', '\\', '/', '-', '\n', '😀', 'é', 'e\u0301', ' ');
const textArb = fc.array(charArb, { maxLength: 6 }).map((cs) => cs.join(''));

describe('strings patterns', () => {
  it.each([
    ['hasPrefix', (v: string, x: string) => v.startsWith(x)],
    ['hasSuffix', (v: string, x: string) => v.endsWith(x)],
    ['containsStr', (v: string, x: string) => v.includes(x)],
  ] as const)('%s: the pattern matches exactly where the function is true', (name, want) => {
    const k = kernel(name);
    fc.assert(
      fc.property(textArb, textArb, textArb, (literal, before, after) => {
        const pattern = k.pattern!([literal])!;
        // Strings built around the literal (hits) and random ones (mostly misses).
        for (const v of [before + literal + after, literal + after, before + literal, before, after, literal]) {
          expect(pattern.test(v), `${JSON.stringify(v)} against ${JSON.stringify(literal)}`).toBe(want(v, literal));
          expect(k.fn(v, literal)).toBe(want(v, literal));
        }
      }),
      { numRuns: 300 },
    );
  });

  it('is only declared by the tests it is exact for', () => {
    const withPattern = Object.entries(stringsPackage.builtins ?? {})
      .filter(([, spec]) => spec.scalar?.pattern !== undefined)
      .map(([name]) => name)
      .sort();
    expect(withPattern).toEqual(['containsStr', 'hasPrefix', 'hasSuffix']);
  });
});
