import { describe, expect, it } from 'vitest';
import type { ColMeta, ColumnData } from '../flux/execute/column.js';
import { GroupKey } from '../flux/execute/group-key.js';
import { Table } from '../flux/execute/table.js';
import { nullValue, stringValue, type Value } from '../flux/values/value.js';
import { formatPoint } from '../lineprotocol/format-point.js';
import type { Point } from '../lineprotocol/point.js';
import { PointBatch, type ToOptions } from './point-batch.js';

const OPTIONS: ToOptions = { timeColumn: '_time', measurementColumn: '_measurement', tagColumns: undefined, fieldFn: undefined };

/** A storage-shaped table: key _measurement, _field, host; `values` float (null = null row). */
function table(field: string, host: string | null, times: number[], values: (number | null)[]): Table {
  const n = times.length;
  const keyCols: ColMeta[] = [
    { label: '_field', type: 'string' },
    { label: '_measurement', type: 'string' },
    { label: 'host', type: 'string' },
  ];
  const keyValues: Value[] = [stringValue(field), stringValue('cpu'), host === null ? nullValue() : stringValue(host)];
  const valid = values.some((v) => v === null) ? Uint8Array.from({ length: (n + 7) >> 3 }, () => 0) : null;
  values.forEach((v, i) => {
    if (v !== null && valid !== null) valid[i >> 3]! |= 1 << (i & 7);
  });
  const columns: ColumnData[] = [
    { type: 'time', length: n, valid: null, values: BigInt64Array.from(times.map((t) => BigInt(t))) },
    { type: 'float', length: n, valid, values: Float64Array.from(values.map((v) => v ?? 0)) },
    { type: 'string', length: n, valid: null, values: new Array<string>(n).fill(field) },
    { type: 'string', length: n, valid: null, values: new Array<string>(n).fill('cpu') },
    { type: 'string', length: n, valid: host === null ? new Uint8Array((n + 7) >> 3) : null, values: new Array<string>(n).fill(host ?? '') },
  ];
  const cols: ColMeta[] = [{ label: '_time', type: 'time' }, { label: '_value', type: 'float' }, ...keyCols];
  return new Table(new GroupKey(keyCols, keyValues), cols, columns, n);
}

async function linesOf(tables: Table[], options: ToOptions = OPTIONS): Promise<string[]> {
  const batch = new PointBatch();
  for (const t of tables) await batch.addTable(t, options);
  const points: Point[] = batch.take();
  expect(batch.values).toBe(0);
  return points.map((p) => formatPoint(p));
}

describe('PointBatch', () => {
  it('merges the fields of one series with equal times into one point per row', async () => {
    const lines = await linesOf([table('u', 'a', [1, 2], [1.5, 2.5]), table('s', 'a', [1, 2], [3, 4]), table('u', 'b', [1, 2], [5, 6])]);
    expect(lines).toEqual(['cpu,host=a u=1.5,s=3 1', 'cpu,host=a u=2.5,s=4 2', 'cpu,host=b u=5 1', 'cpu,host=b u=6 2']);
  });

  it('keeps apart tables with other times, and a field seen again starts a new group (later writes stay later)', async () => {
    const lines = await linesOf([table('u', 'a', [1, 2], [1, 2]), table('s', 'a', [1, 3], [3, 4]), table('u', 'a', [1, 3], [9, 9])]);
    expect(lines).toEqual(['cpu,host=a u=1 1', 'cpu,host=a u=2 2', 'cpu,host=a s=3,u=9 1', 'cpu,host=a s=4,u=9 3']);
  });

  it('takes rows one by one when values are null (skipped) and merges nothing across that table', async () => {
    const lines = await linesOf([table('u', 'a', [1, 2], [1, 2]), table('s', 'a', [1, 2], [null, 4]), table('x', 'a', [1, 2], [5, 6])]);
    expect(lines).toEqual(['cpu,host=a u=1 1', 'cpu,host=a u=2 2', 'cpu,host=a s=4 2', 'cpu,host=a x=5 1', 'cpu,host=a x=6 2']);
  });

  it('drops a null tag (key value null) as the row path does', async () => {
    expect(await linesOf([table('u', null, [1], [1])])).toEqual(['cpu u=1 1']);
  });

  it('counts the values it holds', async () => {
    const batch = new PointBatch();
    await batch.addTable(table('u', 'a', [1, 2, 3], [1, 2, 3]), OPTIONS);
    await batch.addTable(table('s', 'a', [1, 2, 3], [1, 2, 3]), OPTIONS);
    expect(batch.values).toBe(6);
    expect(batch.take()).toHaveLength(3);
  });

  it.each<[string, ToOptions, string]>([
    ['no time column', { ...OPTIONS, timeColumn: 'when' }, 'no time column detected'],
    ['no measurement column', { ...OPTIONS, measurementColumn: 'm' }, 'no column with label m exists'],
    ['a missing tag column', { ...OPTIONS, tagColumns: ['dc'] }, 'no column with label dc exists'],
  ])('reports %s with InfluxDB\'s message', async (_name, options, message) => {
    await expect(linesOf([table('u', 'a', [1], [1])], options)).rejects.toThrow(message);
  });
});
