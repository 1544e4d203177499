import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FieldType } from '../../lineprotocol/point.js';
import type { StoredBlock } from '../compaction/stored-block.js';
import type { Aggregate } from '../storage.js';
import { ColumnCache } from './column-cache.js';
import { sliceColumn, type Column } from './column.js';
import { lowerBound } from './time-search.js';
import { aggregateColumn, type AggregateRows } from './window-aggregate.js';
import { aggregateWindows } from './window-memo.js';

const S = 1_000_000_000n;
const T0 = 1_767_225_600n * S;
const block = {} as StoredBlock;

/** The entry's points in `[startNs, stopNs)`, as a read hands them out (a view, or the entry itself). */
function restrict(col: Column, startNs: bigint, stopNs: bigint): Column {
  const i = lowerBound(col.timestampsNs, startNs);
  return sliceColumn(col, i, lowerBound(col.timestampsNs, stopNs, i));
}

function plain(rows: AggregateRows | undefined): unknown {
  if (rows === undefined) return undefined;
  return {
    type: rows.type,
    times: [...rows.timestampsNs],
    values: Array.from(rows.values as ArrayLike<unknown>),
    starts: [...rows.windowStartsNs],
    stops: [...rows.windowStopsNs],
  };
}

/** `n` points from T0, `stepS` seconds apart, with a gap in the middle when `gap`. */
function series(n: number, stepS: number, gap: boolean, type: FieldType): Column {
  const ts = BigInt64Array.from({ length: n }, (_, i) => T0 + BigInt(i * stepS + (gap && i >= n / 2 ? 600 : 0)) * S);
  const values = type === FieldType.Float ? Float64Array.from({ length: n }, (_, i) => Math.sin(i) * 100 + i / 7) : BigInt64Array.from({ length: n }, (_, i) => BigInt((i * 37) % 101) - 50n);
  return { type, timestampsNs: ts, values };
}

describe('aggregateWindows (window aggregates kept with cached blocks)', () => {
  it('gives the rows of the direct path, on first and later reads, for ranges that cut windows or not', () => {
    const aggregates: Aggregate[] = ['count', 'sum', 'mean', 'min', 'max', 'first', 'last'];
    fc.assert(
      fc.property(
        fc.record({
          n: fc.integer({ min: 1, max: 400 }),
          stepS: fc.constantFrom(1, 7, 10, 30),
          gap: fc.boolean(),
          float: fc.boolean(),
          aggregate: fc.constantFrom(...aggregates),
          everyS: fc.constantFrom(10, 60, 300, 3600),
          offsetS: fc.constantFrom(0, 5, 45),
          ranges: fc.array(fc.tuple(fc.integer({ min: -100, max: 13_000 }), fc.integer({ min: 0, max: 13_000 })), { minLength: 1, maxLength: 5 }),
        }),
        ({ n, stepS, gap, float, aggregate, everyS, offsetS, ranges }) => {
          const entry = series(n, stepS, gap, float ? FieldType.Float : FieldType.Integer);
          const cache = new ColumnCache(64 * 1024 * 1024);
          cache.set(block, 'k', entry);
          const window = { everyNs: BigInt(everyS) * S, offsetNs: BigInt(offsetS) * S };
          for (const [from, len] of [[-100, 20_000] as const, ...ranges]) {
            const startNs = T0 + BigInt(from) * S;
            const stopNs = startNs + BigInt(len) * S;
            const col = restrict(entry, startNs, stopNs);
            if (col.timestampsNs.length === 0) continue;
            const want = plain(aggregateColumn(col, aggregate, startNs, stopNs, window));
            for (let pass = 0; pass < 2; pass++) expect(plain(aggregateWindows(cache, col, aggregate, startNs, stopNs, window))).toEqual(want);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('keeps the windows with the entry, counted in the cache, and answers a repeated read from them', () => {
    const entry = series(8640, 10, false, FieldType.Float);
    const cache = new ColumnCache(64 * 1024 * 1024);
    cache.set(block, 'k', entry);
    const bytes = cache.sizeBytes;
    const window = { everyNs: 300n * S, offsetNs: 0n };
    const stopNs = T0 + 86_400n * S;
    const first = aggregateWindows(cache, entry, 'mean', T0, stopNs, window)!;
    expect(first.values.length).toBe(288);
    expect(cache.sizeBytes).toBeGreaterThan(bytes + 288 * 20);
    const again = aggregateWindows(cache, entry, 'mean', T0, stopNs, window)!;
    expect(again.values).toBe(first.values);
    // A range moved by 15 minutes and a second (the entry ends first): all but the cut window come from the memo.
    const startNs = T0 + 901n * S;
    const moved = aggregateWindows(cache, restrict(entry, startNs, stopNs + 901n * S), 'mean', startNs, stopNs + 901n * S, window)!;
    expect(moved.values.length).toBe(285);
    expect(moved.windowStartsNs[0]).toBe(startNs);
    expect((moved.values as Float64Array)[1]).toBe((first.values as Float64Array)[4]);
  });

  it('keeps nothing for a read of a small part of an entry, or for windows of about one point', () => {
    const entry = series(8640, 10, false, FieldType.Float);
    const cache = new ColumnCache(64 * 1024 * 1024);
    cache.set(block, 'k', entry);
    const bytes = cache.sizeBytes;
    const startNs = T0 + 80_000n * S;
    const stopNs = T0 + 86_400n * S;
    aggregateWindows(cache, restrict(entry, startNs, stopNs), 'mean', startNs, stopNs, { everyNs: 300n * S, offsetNs: 0n });
    expect(cache.sizeBytes).toBe(bytes);
    aggregateWindows(cache, entry, 'mean', T0, stopNs, { everyNs: 20n * S, offsetNs: 0n });
    // Only the marker that says not to try again.
    expect(cache.sizeBytes).toBeLessThan(bytes + 100);
  });

  it('leaves a column that is not from the cache to the direct path', () => {
    const entry = series(1000, 10, false, FieldType.Float);
    const cache = new ColumnCache(64 * 1024 * 1024);
    const copy: Column = { type: entry.type, timestampsNs: entry.timestampsNs.slice(), values: entry.values.slice() };
    cache.set(block, 'k', entry);
    const bytes = cache.sizeBytes;
    const window = { everyNs: 300n * S, offsetNs: 0n };
    const stopNs = T0 + 10_000n * S;
    expect(plain(aggregateWindows(cache, copy, 'sum', T0, stopNs, window))).toEqual(plain(aggregateColumn(copy, 'sum', T0, stopNs, window)));
    expect(cache.sizeBytes).toBe(bytes);
  });
});

describe('ColumnCache.source', () => {
  it('finds the entry of a view into its values, and nothing for other memory', () => {
    const entry = series(100, 10, false, FieldType.Float);
    const cache = new ColumnCache(1024 * 1024);
    cache.set(block, 'k', entry);
    const view = sliceColumn(entry, 10, 60);
    const src = cache.source(view.values)!;
    expect(src.offset).toBe(10);
    expect(src.length).toBe(100);
    expect(src.timeAt(10)).toBe(view.timestampsNs[0]);
    expect(src.whole().values).toBe(entry.values);
    expect(cache.source(new Float64Array(50))).toBeUndefined();
    // The same buffer seen as another type is not the entry's values.
    expect(cache.source(new BigInt64Array((entry.values as Float64Array).buffer, 0, 10))).toBeUndefined();
  });

  it('counts what is kept with an entry, at most four results, and drops them with it', () => {
    const cache = new ColumnCache(1024 * 1024);
    const entry = series(100, 10, false, FieldType.Float);
    cache.set(block, 'k', entry);
    const base = cache.sizeBytes;
    const src = cache.source(entry.values)!;
    for (let k = 0; k < 6; k++) src.remember(`r${k}`, k, 1000);
    expect(cache.sizeBytes).toBe(base + 4000);
    expect(src.recall('r0')).toBeUndefined();
    expect(src.recall('r5')).toBe(5);
    cache.set(block, 'k', series(100, 10, false, FieldType.Float));
    expect(cache.sizeBytes).toBe(base);
    expect(src.recall('r5')).toBeUndefined();
  });

  it('gives up what it keeps with entries before it refuses, compacts or evicts an entry', () => {
    // Regular times, kept whole while there is room: 16 bytes a point and 64 of overhead.
    const entryBytes = 100 * 16 + 64;
    const cache = new ColumnCache(8 * entryBytes);
    const first = series(100, 7, false, FieldType.Float);
    cache.set(block, 'e0', first);
    for (let k = 1; k < 7; k++) cache.set(block, `e${k}`, series(100, 7, false, FieldType.Float));
    expect(cache.sizeBytes).toBe(7 * entryBytes);
    const src = cache.source(first.values)!;
    const each = Math.floor((src.room() - 100) / 4);
    for (let k = 0; k < 4; k++) src.remember(`r${k}`, k, each);
    expect(cache.sizeBytes).toBe(7 * entryBytes + 4 * each);
    cache.set(block, 'e7', series(100, 7, false, FieldType.Float));
    for (let k = 0; k < 8; k++) expect(cache.get(block, `e${k}`)).toBeDefined();
    expect(src.recall('r3')).toBeUndefined();
    expect(cache.sizeBytes).toBe(8 * entryBytes);
  });
});
