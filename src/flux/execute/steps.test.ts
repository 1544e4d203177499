import { describe, expect, it } from 'vitest';
import type { ColumnData } from './column.js';
import { concatTables, concatTablesSteps } from './concat-tables.js';
import { GroupKey } from './group-key.js';
import { sortTable, sortTableSteps } from './sort-table.js';
import { runSteps, runStepsBreathing, type Steps } from './steps.js';
import { Table } from './table.js';

/** More rows than the sort's shared scratch arrays hold (2^20): such a sort works in arrays of its own. */
const BIG = (1 << 20) + 5;

/** A table of `n` rows: `v` pseudo-random floats (seeded), `t` descending times, `s` one of a few strings. */
function table(n: number, seed: number): Table {
  const v = new Float64Array(n);
  const t = new BigInt64Array(n);
  const s = new Array<string>(n);
  let x = seed;
  for (let i = 0; i < n; i++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    v[i] = (x % 100_000) / 7;
    t[i] = BigInt(n - i) * 1000n;
    s[i] = `host_${x % 13}`;
  }
  const columns: ColumnData[] = [
    { type: 'float', length: n, valid: null, values: v },
    { type: 'time', length: n, valid: null, values: t },
    { type: 'string', length: n, valid: null, values: s },
  ];
  return new Table(
    GroupKey.of([]),
    [
      { label: '_value', type: 'float' },
      { label: '_time', type: 'time' },
      { label: 's', type: 'string' },
    ],
    columns,
    n,
  );
}

function countSteps<T>(steps: Steps<T>): { value: T; steps: number } {
  let n = 0;
  for (;;) {
    const r = steps.next();
    if (r.done === true) return { value: r.value, steps: n };
    n++;
  }
}

/** Same cells (compared in a loop: deep equality of million-element arrays takes seconds). */
function sameRows(a: Table, b: Table): void {
  expect(a.length).toBe(b.length);
  for (let j = 0; j < a.columns.length; j++) {
    const x = a.columns[j]!.values;
    const y = b.columns[j]!.values;
    let differ = -1;
    for (let i = 0; i < a.length && differ < 0; i++) if (!Object.is(x[i], y[i])) differ = i;
    expect(differ, `column ${a.cols[j]!.label}: first differing row`).toBe(-1);
  }
}

describe('kernels in steps', () => {
  it('a sort in steps gives what the one-piece sort gives, and pauses between radix passes only when its arrays are its own', () => {
    const small = table(50_000, 7);
    const big = table(BIG, 11);
    const smallRun = countSteps(sortTableSteps(small, ['_value']));
    const bigRun = countSteps(sortTableSteps(big, ['_value']));
    sameRows(smallRun.value, sortTable(small, ['_value']));
    sameRows(bigRun.value, sortTable(big, ['_value']));
    // Small: one step after the sort column, one per gathered column; big: the radix passes too.
    expect(smallRun.steps).toBe(1 + 3);
    expect(bigRun.steps).toBeGreaterThan(1 + 3 + 2);
  });

  it('sorts of other tables run during a sort’s pauses do not disturb it (shared scratch arrays)', async () => {
    for (const n of [30_000, BIG]) {
      const t = table(n, 3);
      const expected = sortTable(t, ['_value', '_time']);
      let pauses = 0;
      const sorted = await runStepsBreathing(sortTableSteps(t, ['_value', '_time']), () => {
        pauses++;
        // Another query's sort, between two steps of this one.
        sortTable(table(20_000 + pauses, 100 + pauses), ['_value']);
        return new Promise<void>((resolve) => setImmediate(resolve));
      });
      expect(pauses).toBeGreaterThan(2);
      sameRows(sorted, expected);
    }
  });

  it('a breather that rejects stops the kernel where it stands', async () => {
    const t = table(BIG, 5);
    let pauses = 0;
    const stop = new Error('query canceled');
    let finished = false;
    const steps = (function* (): Steps<Table> {
      const out = yield* sortTableSteps(t, ['_value']);
      finished = true;
      return out;
    })();
    await expect(
      runStepsBreathing(steps, () => {
        pauses++;
        return pauses === 2 ? Promise.reject(stop) : undefined;
      }),
    ).rejects.toBe(stop);
    expect(pauses).toBe(2);
    expect(finished).toBe(false);
    expect(steps.next().done).toBe(true); // closed
  });

  it('concatenation pauses after each column and gives what the one-piece concatenation gives', () => {
    const parts = [table(1000, 1), table(2000, 2), table(3, 3)];
    const run = countSteps(concatTablesSteps(GroupKey.of([]), parts));
    expect(run.steps).toBe(3);
    sameRows(run.value, concatTables(GroupKey.of([]), parts));
    expect(run.value.length).toBe(3003);
    expect(runSteps(concatTablesSteps(GroupKey.of([]), parts)).columns[2]!.values).toEqual([
      ...(parts[0]!.columns[2]!.values as string[]),
      ...(parts[1]!.columns[2]!.values as string[]),
      ...(parts[2]!.columns[2]!.values as string[]),
    ]);
  });
});
