import { describe, expect, it } from 'vitest';
import { SluiceError } from '../core/errors.js';
import type { Predicate } from '../storage/storage.js';
import { parseDeletePredicate } from './delete-predicate.js';

function show(p: Predicate | undefined): string {
  if (p === undefined) return 'all';
  switch (p.kind) {
    case 'compare':
      return `${p.key}${p.op}${p.value}`;
    case 'and':
    case 'or':
      return `(${show(p.left)} ${p.kind} ${show(p.right)})`;
    default:
      return p.kind;
  }
}

describe('parseDeletePredicate', () => {
  it.each([
    ['', 'all'],
    ['   ', 'all'],
    ['_measurement="cpu"', '_measurement==cpu'],
    ['host = "a b"', 'host==a b'],
    ['host != "a"', 'host!=a'],
    ['_measurement="cpu" AND host="h1"', '(_measurement==cpu and host==h1)'],
    ['_measurement="cpu" and (host="h1" AND region=us)', '(_measurement==cpu and (host==h1 and region==us))'],
    ['"Name"="x"', 'Name==x'],
    ['n = 12', 'n==12'],
    ['d = 10s', 'd==10s'],
    ['b = true', 'b==true'],
    ['s = "with \\"quote\\""', 's==with "quote"'],
  ])('%j → %s', (text, expected) => {
    expect(show(parseDeletePredicate(text))).toBe(expected);
  });

  it.each([
    ['a="x" OR b="y"', 'invalid', 'error decoding json body: the logical operator OR is not supported yet at position 6'],
    ['a=~"x"', 'invalid', 'error decoding json body: operator: "=~" at position: 1 is not supported yet'],
    ['a > 1', 'invalid', 'error decoding json body: operator: ">" at position: 2 is not supported yet'],
    ["a='x'", 'invalid', 'error decoding json body: bad tag value: "x", at position 2'],
    ['_field="usage"', 'not implemented', 'delete by field is not supported'],
    ['a="x" b="y"', 'invalid', 'error decoding json body: extra token "b" at position 6'],
    ['a=', 'invalid', 'error decoding json body: expected a tag value at end of predicate'],
    ['(a="x"', 'invalid', 'error decoding json body: expected ")" at end of predicate'],
    ['a="x', 'invalid', 'error decoding json body: unterminated string at position 2'],
  ])('%j → %s %s', (text, code, message) => {
    try {
      parseDeletePredicate(text);
      expect.fail('should have thrown');
    } catch (e) {
      expect(e).toBeInstanceOf(SluiceError);
      expect([(e as SluiceError).code, (e as Error).message]).toEqual([code, message]);
    }
  });
});
