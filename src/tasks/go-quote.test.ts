import { describe, expect, it } from 'vitest';
import { goQuote } from './go-quote.js';

describe('goQuote (Go %q)', () => {
  it.each([
    { in: 'plain', out: '"plain"' },
    { in: 'a "quoted" \\ back', out: '"a \\"quoted\\" \\\\ back"' },
    { in: 'line1\nline2\ttab\r', out: '"line1\\nline2\\ttab\\r"' },
    { in: '\x07\b\f\v', out: '"\\a\\b\\f\\v"' },
    { in: '\x00\x1b\x7f', out: '"\\x00\\x1b\\x7f"' },
    { in: 'µs café 東京 😀', out: '"µs café 東京 😀"' },
    { in: '\u200b', out: '"\\u200b"' },
    { in: 'option task = {name: "t", every: 1h}\nfrom(bucket: "b")', out: '"option task = {name: \\"t\\", every: 1h}\\nfrom(bucket: \\"b\\")"' },
  ])('$in', ({ in: input, out }) => {
    expect(goQuote(input)).toBe(out);
  });
});
