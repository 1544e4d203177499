import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { filterTable } from './filter-table.js';
import { GroupKey } from './group-key.js';
import { MemoryBudget } from './memory-budget.js';
import { TableBuilder } from './table-builder.js';
import type { Table } from './table.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

async function collect(budget: MemoryBudget): Promise<void> {
  for (let k = 0; k < 20 && budget.usedBytes > 0; k++) {
    gc();
    await new Promise((r) => setTimeout(r, 5));
  }
}

function build(rows: number, budget: MemoryBudget): Table {
  const b = new TableBuilder(GroupKey.EMPTY, budget);
  const j = b.addColumn('_value', 'float');
  for (let i = 0; i < rows; i++) {
    b.column(j).pushFloat(i);
    b.endRow();
  }
  return b.build();
}

describe('MemoryBudget live accounting', () => {
  it('releases a table once its columns are garbage', async () => {
    const budget = new MemoryBudget(1e12);
    let t: Table | undefined = build(10_000, budget);
    expect(budget.usedBytes).toBeGreaterThanOrEqual(80_000);
    let f: Table | undefined = filterTable(t, (i) => i % 2 === 0, budget);
    expect(f.length).toBe(5000);
    expect(budget.usedBytes).toBeGreaterThanOrEqual(120_000);
    t = undefined;
    f = undefined;
    await collect(budget);
    expect(budget.usedBytes).toBe(0);
    expect(budget.peakBytes).toBeGreaterThanOrEqual(120_000);
  });

  it('lets a stream pass far more data than the limit when tables are dropped', async () => {
    const budget = new MemoryBudget(4_000_000);
    let rowsSeen = 0;
    for (let k = 0; k < 30; k++) {
      rowsSeen += build(100_000, budget).length; // ~1-2 MB each, dropped at once
      await collect(budget);
    }
    expect(rowsSeen).toBe(3_000_000);
  });

  it('still refuses what is alive at the same time', () => {
    const budget = new MemoryBudget(4_000_000);
    const alive: Table[] = [];
    expect(() => {
      for (let k = 0; k < 30; k++) alive.push(build(100_000, budget));
    }).toThrow(/memory allocation limit reached/);
    expect(alive.length).toBeLessThan(5);
  });

  it('does not follow owners without a limit: charges stay counted after collection', async () => {
    const budget = new MemoryBudget();
    let t: Table | undefined = build(10_000, budget);
    const charged = budget.usedBytes;
    expect(charged).toBeGreaterThanOrEqual(80_000);
    t = undefined;
    for (let k = 0; k < 3; k++) {
      gc();
      await new Promise((r) => setTimeout(r, 5));
    }
    expect(t).toBeUndefined();
    expect(budget.usedBytes).toBe(charged);
    budget.release(charged);
    expect(budget.usedBytes).toBe(0);
    expect(budget.peakBytes).toBe(charged);
  });

  it('moves a hold to a new owner', () => {
    const budget = new MemoryBudget(100);
    const h = budget.hold({});
    h.charge(40);
    h.moveTo({});
    expect(budget.usedBytes).toBe(40);
    h.releaseAll();
    expect(budget.usedBytes).toBe(0);
    expect(h.bytes).toBe(0);
  });
});
