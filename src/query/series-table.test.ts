import { describe, expect, it } from 'vitest';
import { MemoryBudget } from '../flux/execute/memory-budget.js';
import { FieldType } from '../lineprotocol/point.js';
import type { SeriesBatch } from '../storage/storage.js';
import { StringFills } from '../flux/execute/string-fills.js';
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

  // Tables of one read whose tag keys or value types change from series to series: the schema
  // reused from the previous table must be exactly the one a fresh build gives.
  const shapes: { tags: [string, string][]; type: FieldType; values: SeriesBatch['values'] }[] = [
    { tags: [['host', 'a']], type: FieldType.Float, values: Float64Array.of(1) },
    { tags: [['host', 'b']], type: FieldType.Float, values: Float64Array.of(2) },
    { tags: [['rack', 'b']], type: FieldType.Float, values: Float64Array.of(3) },
    { tags: [['host', 'a']], type: FieldType.Integer, values: BigInt64Array.of(4n) },
    { tags: [['host', 'a'], ['rack', 'r']], type: FieldType.Integer, values: BigInt64Array.of(5n) },
    { tags: [['host', 'a'], ['zone', 'r']], type: FieldType.Integer, values: BigInt64Array.of(6n) },
    { tags: [], type: FieldType.String, values: ['x'] },
    { tags: [['host', 'c']], type: FieldType.Float, values: Float64Array.of(7) },
  ];
  const shapeBatch = (k: number): SeriesBatch => ({ measurement: 'cpu', field: 'f', tags: shapes[k]!.tags, type: shapes[k]!.type, timestampsNs: BigInt64Array.of(10n), values: shapes[k]!.values });
  const describeTable = (t: ReturnType<typeof seriesTable>): string[] => [
    ...t.cols.map((c) => `${c.label}:${c.type}`),
    `key ${t.key.cols.map((c) => c.label).join(',')}`,
    ...t.cols.map((c) => `${c.label}=${String(t.column(c.label)!.values[0])}`),
  ];
  it.each([
    ['seriesTable', (b: SeriesBatch, c?: ConstantColumns) => seriesTable(b, bounds, b.timestampsNs, undefined, c)],
    ['seriesAggregateRow', (b: SeriesBatch, c?: ConstantColumns) => seriesAggregateRow(b, bounds, undefined, c)],
  ] as const)('%s: a schema reused across tables is the one a fresh build gives, and is shared only by same tag keys and type', (_, make) => {
    const constants = new ConstantColumns();
    const tables = shapes.map((_s, k) => make(shapeBatch(k), constants));
    tables.forEach((t, k) => expect(describeTable(t), `table ${k}`).toEqual(describeTable(make(shapeBatch(k)))));
    expect(tables[1]!.cols).toBe(tables[0]!.cols);
    expect(tables[1]!.key.cols).toBe(tables[0]!.key.cols);
    expect(tables[7]!.cols).toBe(tables[0]!.cols); // the same shape again, after others
    for (const k of [2, 3, 4, 5, 6]) expect(tables[k]!.cols, `table ${k}`).not.toBe(tables[k - 1]!.cols);
  });

  it('an aggregate row uses the one-element value array storage gives, and copies only the first of a longer one', () => {
    const one = { ...batch('a', 'u', 1), type: FieldType.Integer, values: BigInt64Array.of(42n) };
    expect(seriesAggregateRow(one, bounds, undefined).column('_value')!.values).toBe(one.values);
    const more = { ...batch('a', 'u', 1), type: FieldType.Integer, values: BigInt64Array.of(7n, 8n) };
    const v = seriesAggregateRow(more, bounds, undefined).column('_value')!;
    expect([v.length, ...(v.values as BigInt64Array)]).toEqual([1, 7n]);
  });

  it('each storage read counts as one read of the fills', () => {
    const fills = new StringFills(10, 0);
    const a = new ConstantColumns(fills).string('a', 6).values;
    new ConstantColumns(fills).string('b', 4);
    // A third read: 'a' (read 1) is stale when staleReads is 0, 'b' (read 2) too.
    const c = new ConstantColumns(fills);
    expect(c.string('c', 6).values).toEqual(new Array(6).fill('c'));
    expect(fills.heldSlots).toBe(6);
    expect(c.string('a', 6).values).not.toBe(a);
  });

  it('string columns come from the fills given, shared by the reads using them', () => {
    const fills = new StringFills(1000);
    const a = new ConstantColumns(fills);
    const b = new ConstantColumns(fills);
    expect(a.string('cpu', 4).values).toEqual(['cpu', 'cpu', 'cpu', 'cpu']);
    expect(b.string('cpu', 4).values).toBe(a.string('cpu', 4).values);
    expect(b.string('cpu', 2).values).toEqual(['cpu', 'cpu']);
    expect(fills.heldSlots).toBe(6);
  });

  it('string fills hand the same array to every read asking for the same value and length', () => {
    const fills = new StringFills(1000);
    const first = [fills.get('cpu', 7), fills.get('cpu', 3), fills.get('host-1', 3)];
    [fills.get('cpu', 7), fills.get('cpu', 3), fills.get('host-1', 3)].forEach((a, k) => expect(a, `again ${k}`).toBe(first[k]));
    first.forEach((a, k) => expect(new ConstantColumns(fills).string(a[0]!, a.length).values, `array ${k}`).toBe(a));
    expect(fills.heldSlots).toBe(13);
  });
});
