import { describe, expect, it } from 'vitest';
import { MemoryBudget } from '../flux/execute/memory-budget.js';
import { FieldType } from '../lineprotocol/point.js';
import type { SeriesBatch } from '../storage/storage.js';
import { ConstantColumns, seriesAggregateRow, seriesTable } from './series-table.js';

const bounds = { startNs: 0n, stopNs: 100n };

function batch(host: string, field: string, n: number): SeriesBatch {
  return {
    measurement: 'cpu',
    tags: [['host', host]],
    field,
    type: FieldType.Float,
    timestampsNs: BigInt64Array.from({ length: n }, (_, i) => BigInt(i)),
    values: Float64Array.from({ length: n }, (_, i) => i / 2),
  };
}

describe('seriesTable', () => {
  it("has InfluxDB's storage schema and group key", () => {
    const b = batch('a', 'u', 3);
    const t = seriesTable(b, bounds, b.timestampsNs, undefined);
    expect(t.cols.map((c) => `${c.label}:${c.type}`)).toEqual(['_start:time', '_stop:time', '_time:time', '_value:float', '_field:string', '_measurement:string', 'host:string']);
    expect(t.key.cols.map((c) => c.label)).toEqual(['_start', '_stop', '_field', '_measurement', 'host']);
    expect(t.column('host')!.values).toEqual(['a', 'a', 'a']);
  });

  it('shares constant columns between the tables of one read, and charges each table its Table.sizeBytes', () => {
    const constants = new ConstantColumns();
    const budget = new MemoryBudget();
    const b1 = batch('a', 'u', 4);
    const b2 = batch('b', 'u', 4);
    const b3 = batch('a', 'u', 5);
    const t1 = seriesTable(b1, bounds, b1.timestampsNs, budget, constants);
    const t2 = seriesTable(b2, bounds, b2.timestampsNs, budget, constants);
    const t3 = seriesTable(b3, bounds, b3.timestampsNs, budget, constants);
    expect(t2.column('_measurement')).toBe(t1.column('_measurement'));
    expect(t2.column('_start')).toBe(t1.column('_start'));
    expect(t2.column('host')).not.toBe(t1.column('host'));
    expect(t3.column('_measurement')).not.toBe(t1.column('_measurement')); // another length
    expect(t3.column('_measurement')!.length).toBe(5);
    expect(budget.usedBytes).toBe(t1.sizeBytes + t2.sizeBytes + t3.sizeBytes);
  });

  it('gives every length its exact constant columns, whichever order lengths come in (filtered reads: each table its own)', () => {
    const constants = new ConstantColumns();
    const lengths = [3, 5, 2, 7, 5, 1, 7];
    const tables = lengths.map((n, k) => {
      const b = batch(k % 2 === 0 ? 'a' : 'b', 'u', n);
      return seriesTable(b, bounds, b.timestampsNs, undefined, constants);
    });
    tables.forEach((t, k) => {
      const n = lengths[k]!;
      expect(t.length).toBe(n);
      for (const [label, want] of [['host', k % 2 === 0 ? 'a' : 'b'], ['_measurement', 'cpu'], ['_field', 'u']] as const) {
        const c = t.column(label)!;
        expect(c.length).toBe(n);
        expect(c.values, `${label} of table ${k}`).toEqual(new Array(n).fill(want));
      }
      for (const [label, want] of [['_start', bounds.startNs], ['_stop', bounds.stopNs]] as const) {
        const c = t.column(label)!;
        expect(c.length).toBe(n);
        expect([...(c.values as BigInt64Array)], `${label} of table ${k}`).toEqual(new Array(n).fill(want));
      }
    });
  });

  it('an aggregate row has the key columns then _value, no _time', () => {
    const b = { ...batch('a', 'u', 1), type: FieldType.Integer, values: BigInt64Array.of(42n) };
    const t = seriesAggregateRow(b, bounds, undefined);
    expect(t.cols.map((c) => c.label)).toEqual(['_start', '_stop', '_field', '_measurement', 'host', '_value']);
    expect(t.column('_value')!.values).toEqual(BigInt64Array.of(42n));
  });
});
