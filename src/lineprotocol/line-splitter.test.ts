import { describe, expect, it } from 'vitest';
import { lineEnd, outsideQuotesAfter } from './line-splitter.js';

describe('lineEnd', () => {
  it.each<[string, number, string]>([
    ['m v=1\nnext', 0, 'm v=1'],
    ['m v=1', 0, 'm v=1'],
    ['m s="a\nb" 1\nnext', 0, 'm s="a\nb" 1'],
    ['m s="a\\"\nb" 1\nnext', 0, 'm s="a\\"\nb" 1'],
    // Quotes before the first space are text.
    ['m,t="a v=1\nnext', 0, 'm,t="a v=1'],
    ['"m v=1\nnext', 0, '"m v=1'],
    // A quote in a field key (as many `=` as `,` so far) is text.
    ['m a=1,b"c=2\nnext', 0, 'm a=1,b"c=2'],
    // A backslash escapes the newline.
    ['m,t=a\\\nb v=1\nnext', 0, 'm,t=a\\\nb v=1'],
    ['m v=1\\\\\nnext', 0, 'm v=1\\\\'],
    // An unclosed quote runs to the end of the body.
    ['m s="open\nm v=1\n', 0, 'm s="open\nm v=1\n'],
    // Leading whitespace starts the field state at once: here the tag's quote counts.
    [' m=x,t="a v=1\nb" 2\nnext', 0, ' m=x,t="a v=1\nb" 2'],
    ['skip\nm v=1\nx', 5, 'm v=1'],
  ])('%j from %i', (body, pos, line) => {
    expect(body.slice(pos, lineEnd(body, pos))).toBe(line);
  });
});

describe('outsideQuotesAfter', () => {
  it.each<[string, boolean]>([
    ['cpu,host=a ', true],
    ['cpu,t="x" ', true],
    ['c\\\\ p=u,t="x ', false],
    ['c\\\\ p=u,t="x" ', true],
  ])('%j → %s', (keyText, outside) => {
    expect(outsideQuotesAfter(keyText)).toBe(outside);
  });
});
