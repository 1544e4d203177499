import { describe, expect, it } from 'vitest';
import { formatRfc3339Nano } from '../../core/time.js';
import type { ColMeta, ColumnData } from '../execute/column.js';
import { GroupKey } from '../execute/group-key.js';
import { streamOf } from '../execute/table-stream.js';
import { Table } from '../execute/table.js';
import { stringValue } from '../values/value.js';
import { ANNOTATED_DIALECT } from './csv-dialect.js';
import { encodeResults } from './result-encoder.js';
import { ChunkBuffer } from './chunk-buffer.js';
import { TimeColumnText } from './time-column-text.js';

const T0 = 1_767_225_600_000_000_000n;

function timeArray(n: number, stepNs: bigint, from = T0): BigInt64Array {
  const a = new BigInt64Array(n);
  for (let i = 0; i < n; i++) a[i] = from + BigInt(i + 1) * stepNs;
  return a;
}

function textOf(c: TimeColumnText, i: number): string {
  return c.cellText(i);
}

/** A windowed-aggregate table: `_time` (given array, first `n` rows), `_value`, and one tag in the key. */
function table(host: string, times: BigInt64Array, n: number, seed: number): Table {
  const cols: ColMeta[] = [
    { label: '_time', type: 'time' },
    { label: '_value', type: 'float' },
    { label: 'host', type: 'string' },
  ];
  const values = new Float64Array(n);
  for (let i = 0; i < n; i++) values[i] = (seed + i) * 1.1;
  const columns: ColumnData[] = [
    { type: 'time', length: n, valid: null, values: times },
    { type: 'float', length: n, valid: null, values },
    { type: 'string', length: n, valid: null, values: new Array<string>(n).fill(host) },
  ];
  return new Table(GroupKey.of([[cols[2]!, stringValue(host)]]), cols, columns, n);
}

async function encode(tables: Table[]): Promise<string> {
  const parts: Buffer[] = [];
  await encodeResults([{ name: '_result', tables: streamOf(tables) }], { bytes: (c) => void parts.push(Buffer.from(c)) }, ANNOTATED_DIALECT);
  return Buffer.concat(parts).toString('utf8');
}

describe('TimeColumnText', () => {
  it('formats a column the second time the same array comes, and only that array', () => {
    const c = new TimeColumnText();
    const a = timeArray(5, 300_000_000_000n);
    expect(c.of(a, 5)).toBeUndefined();
    const got = c.of(a, 5);
    expect(got).toBe(c);
    expect([0, 1, 2, 3, 4].map((i) => textOf(c, i))).toEqual([...a].map((t) => formatRfc3339Nano(t)));
    // Fewer rows of the same array: still the cache; an equal copy is another array.
    expect(c.of(a, 3)).toBe(c);
    expect(c.of(a.slice(), 5)).toBeUndefined();
  });

  it('built() answers only from a cache already made, and never makes one', () => {
    const c = new TimeColumnText();
    const a = timeArray(4, 10_000_000_000n);
    expect(c.of(a, 4)).toBeUndefined();
    // The same table's later rows: no build, however often asked.
    expect(c.built(a, 4)).toBeUndefined();
    expect(c.built(a, 4)).toBeUndefined();
    expect(c.of(a, 4)).toBe(c);
    expect(c.built(a, 4)).toBe(c);
    expect(c.built(a, 5)).toBeUndefined();
    expect(c.built(a.slice(), 4)).toBeUndefined();
  });

  it('copies cells of any length to any position, as their text, growing the buffer', () => {
    const c = new TimeColumnText();
    // Lengths 20 to 30 (fractions of 1 to 9 digits): not all a whole number of words.
    const a = BigInt64Array.from({ length: 40 }, (_, i) => T0 + BigInt(i) * 1_000_000_000n + (i % 10 === 9 ? 0n : 10n ** BigInt(i % 10)));
    c.of(a, 40);
    expect(c.of(a, 40)).toBe(c);
    const out = new ChunkBuffer(16);
    let want = '';
    for (let i = 0; i < 40; i++) {
      out.ensure(1);
      out.buf[out.pos++] = 124; // '|', one byte: every alignment comes up
      want += '|';
      c.copyCell(out, i);
      want += formatRfc3339Nano(a[i]!);
    }
    expect(out.buf.toString('latin1', 0, out.pos)).toBe(want);
    expect(new Set([...c.lengths]).size).toBe(10);
  });

  it('rebuilds at once when the same array comes with more rows than it holds', () => {
    const c = new TimeColumnText();
    const a = timeArray(6, 1_500_000_001n, T0 - 86_400_000_000_000n);
    c.of(a, 2);
    expect(c.of(a, 2)).toBe(c);
    expect(c.of(a, 6)).toBe(c);
    expect([0, 1, 2, 3, 4, 5].map((i) => textOf(c, i))).toEqual([...a].map((t) => formatRfc3339Nano(t)));
  });
});

describe('encoding tables that share a _time array', () => {
  it('writes the same bytes as tables with their own arrays', async () => {
    // Times across midnight with fractions, so both the day prefix and the fraction digits vary.
    const shared = timeArray(700, 123_456_789_001n, T0 - 3_600_000_000_000n);
    const hosts = ['a', 'b', 'c', 'd'];
    const withShared = hosts.map((h, k) => table(h, shared, k === 2 ? 650 : 700, k * 1000));
    const withOwn = hosts.map((h, k) => table(h, shared.slice(), k === 2 ? 650 : 700, k * 1000));
    const got = await encode(withShared);
    expect(got).toBe(await encode(withOwn));
    expect(got).toContain(`${formatRfc3339Nano(shared[699]!)},`);
    expect(got.split('\r\n').filter((l) => l.startsWith(',,')).length).toBe(700 * 3 + 650);
  });

  it('writes a table larger than a chunk (its rows after a flush without the cache) as with its own arrays', async () => {
    const shared = timeArray(5000, 1_000_000_001n);
    const got = await encode([table('a', shared, 5000, 1), table('b', shared, 5000, 2)]);
    expect(got.length).toBeGreaterThan(2 * 64 * 1024);
    expect(got).toBe(await encode([table('a', shared.slice(), 5000, 1), table('b', shared.slice(), 5000, 2)]));
  });
});
