import { describe, expect, it } from 'vitest';
import {
  escapeFieldKey,
  escapeMeasurement,
  escapeStringValue,
  escapeTag,
  unescapeFieldKey,
  unescapeMeasurement,
  unescapeStringValue,
  unescapeTag,
} from './escape.js';

describe('escaping', () => {
  it.each<[(s: string) => string, string, string]>([
    [escapeMeasurement, 'c p,u=x"\\', 'c\\ p\\,u=x"\\'],
    [escapeTag, 'k e,y=x"\\', 'k\\ e\\,y\\=x"\\'],
    [escapeFieldKey, 'k e,y=x"\\', 'k\\ e\\,y\\=x\\"\\'],
    [escapeStringValue, 'a "b" \\c\n', 'a \\"b\\" \\\\c\n'],
    [escapeTag, 'plain', 'plain'],
  ])('%#: %j → %j', (fn, input, output) => {
    expect(fn(input)).toBe(output);
  });

  it.each<[(s: string) => string, string, string]>([
    [unescapeMeasurement, 'c\\ p\\,u\\=x\\"\\n', 'c p,u\\=x\\"\\n'],
    [unescapeTag, 'k\\ e\\,y\\=x\\"\\n', 'k e,y=x\\"\\n'],
    [unescapeFieldKey, 'k\\ e\\,y\\=x\\"\\n', 'k e,y=x"\\n'],
    // A backslash before an escaped separator stays: `\\,` is a backslash and a comma.
    [unescapeTag, 'a\\\\,b', 'a\\,b'],
    [unescapeTag, 'trailing\\', 'trailing\\'],
    [unescapeStringValue, 'a\\"b\\\\c\\n\\', 'a"b\\c\\n\\'],
    [unescapeStringValue, '\\\\\\"', '\\"'],
  ])('%#: %j → %j', (fn, input, output) => {
    expect(fn(input)).toBe(output);
  });

  it('unescapes a slice of a string value', () => {
    expect(unescapeStringValue('x"a\\"b"y', 2, 6)).toBe('a"b');
  });
});
