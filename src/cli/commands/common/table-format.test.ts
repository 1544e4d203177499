import { describe, expect, it } from 'vitest';
import { formatTable } from './table-format.js';

describe('formatTable', () => {
  it.each([
    { name: 'pads all but the last column', headers: ['ID', 'Name'], rows: [['1', 'alpha'], ['22', 'b']], hide: false, out: 'ID\tName\n1 \talpha\n22\tb\n' },
    { name: 'hidden headers', headers: ['ID', 'Name'], rows: [['1', 'x']], hide: true, out: '1\tx\n' },
    { name: 'widths count code points', headers: ['k', 'v'], rows: [['µµ', '1'], ['ab', '2']], hide: false, out: 'k \tv\nµµ\t1\nab\t2\n' },
    { name: 'no rows, hidden headers', headers: ['a'], rows: [], hide: true, out: '' },
    { name: 'trailing empty cells trimmed', headers: ['a', 'b'], rows: [['x', '']], hide: false, out: 'a\tb\nx\n' },
  ])('$name', ({ headers, rows, hide, out }) => {
    expect(formatTable(headers, rows, hide)).toBe(out);
  });
});
