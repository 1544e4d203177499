import { readFile } from 'node:fs/promises';
import { parseRfc3339Ns } from '../../../core/time.js';
import { GroupKey } from '../../execute/group-key.js';
import { TableBuilder } from '../../execute/table-builder.js';
import { streamOf } from '../../execute/table-stream.js';
import type { Table } from '../../execute/table.js';
import { CallError, type BuiltinSpec } from '../../interpreter/index.js';
import type { ColumnType } from '../../values/mono-type.js';
import { NULL, boolValue, floatValue, stringValue, streamValue, timeValue, type Value } from '../../values/value.js';

interface V1Series {
  name?: string;
  tags?: Record<string, string>;
  columns?: string[];
  values?: unknown[][];
}

/**
 * InfluxDB 1.x JSON query results as Flux tables: every series column but `time` becomes one
 * table keyed on `_measurement`, the series tags and `_field`, with rows `_time, _value` (JSON
 * numbers are floats). Times may be RFC3339 strings or epoch nanoseconds.
 */
export function v1JsonTables(text: string): Table[] {
  let doc: { results?: { series?: V1Series[]; error?: string }[]; error?: string };
  try {
    doc = JSON.parse(text) as typeof doc;
  } catch (e) {
    throw new CallError(`invalid InfluxDB 1.x JSON: ${(e as Error).message}`);
  }
  if (doc.error !== undefined) throw new CallError(doc.error);
  const tables: Table[] = [];
  for (const result of doc.results ?? []) {
    if (result.error !== undefined) throw new CallError(result.error);
    for (const series of result.series ?? []) {
      const columns = series.columns ?? [];
      const timeIdx = columns.indexOf('time');
      const rows = series.values ?? [];
      const tags = Object.entries(series.tags ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      for (const [c, field] of columns.entries()) {
        if (c === timeIdx) continue;
        const sample = rows.map((r) => r[c]).find((v) => v !== null && v !== undefined);
        const type: ColumnType = typeof sample === 'string' ? 'string' : typeof sample === 'boolean' ? 'bool' : 'float';
        const key = GroupKey.of([
          [{ label: '_measurement', type: 'string' }, stringValue(series.name ?? '')],
          ...tags.map(([k, v]) => [{ label: k, type: 'string' as const }, stringValue(v)] as const),
          [{ label: '_field', type: 'string' }, stringValue(field)],
        ]);
        const b = new TableBuilder(key);
        b.addColumn('_time', 'time');
        b.addColumn('_measurement', 'string');
        for (const [k] of tags) b.addColumn(k, 'string');
        b.addColumn('_field', 'string');
        b.addColumn('_value', type);
        for (const r of rows) {
          const t = timeIdx < 0 ? null : r[timeIdx];
          b.appendRow([
            t === null || t === undefined ? NULL : timeValue(typeof t === 'number' ? BigInt(t) : parseRfc3339Ns(String(t))),
            stringValue(series.name ?? ''),
            ...tags.map(([, v]) => stringValue(v)),
            stringValue(field),
            cell(r[c], type),
          ]);
        }
        tables.push(b.build());
      }
    }
  }
  return tables;
}

function cell(v: unknown, type: ColumnType): Value {
  if (v === null || v === undefined) return NULL;
  if (type === 'float' && typeof v === 'number') return floatValue(v);
  if (type === 'string' && typeof v === 'string') return stringValue(v);
  if (type === 'bool' && typeof v === 'boolean') return boolValue(v);
  throw new CallError(`mixed value types in one InfluxDB 1.x column: ${JSON.stringify(v)} in a ${type} column`);
}

/** `v1.json(json:|file:)`. */
export const v1Json: BuiltinSpec = {
  signature: '(?json: string, ?file: string) => stream[A]',
  call(args) {
    const json = args.optString('json');
    const file = args.optString('file');
    if ((json === undefined) === (file === undefined)) throw new CallError('must provide exactly one of the parameters json or file');
    return streamValue(
      args.output(async function* () {
        let text = json;
        if (text === undefined) {
          try {
            text = await readFile(file!, 'utf8');
          } catch (e) {
            throw new CallError((e as Error).message);
          }
        }
        yield* streamOf(v1JsonTables(text));
      }),
    );
  },
};
