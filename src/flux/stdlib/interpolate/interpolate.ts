import { columnValue, isValid } from '../../execute/column.js';
import { TableBuilder } from '../../execute/table-builder.js';
import { floorDiv } from '../../../core/time.js';
import { CallError, type BuiltinSpec, type PackageDef } from '../../interpreter/index.js';
import { floatValue, streamValue, timeValue, type Value } from '../../values/value.js';

/**
 * `interpolate.linear(every)`: per table (rows in time order), inserts a row at every multiple
 * of `every` strictly between two consecutive rows, with `_value` interpolated linearly and the
 * other columns copied from the earlier row. Rows with a null `_time` or `_value` are kept as
 * they are and do not anchor an interpolation.
 */
const linear: BuiltinSpec = {
  signature: '(<-tables: stream[{T with _time: time, _value: float}], every: duration) => stream[{T with _time: time, _value: float}]',
  call(args) {
    const every = args.duration('every');
    if (every.months !== 0 || every.nanoseconds <= 0n) throw new CallError('every must be a positive duration without months');
    const step = every.nanoseconds;
    const input = args.stream('tables');
    return streamValue(
      args.output(async function* () {
        for await (const t of input) {
          const tj = t.colIndex('_time');
          const vj = t.colIndex('_value');
          if (tj < 0 || vj < 0) throw new CallError('interpolate.linear needs _time and _value columns');
          const times = t.columns[tj]!;
          const values = t.columns[vj]!;
          if (values.type !== 'float') throw new CallError(`_value must be float, got ${values.type}`);
          const b = new TableBuilder(t.key, args.ctx.budget);
          for (const c of t.cols) b.addColumn(c.label, c.type);
          let prev = -1;
          for (let i = 0; i < t.length; i++) {
            const ok = isValid(times, i) && isValid(values, i);
            if (ok && prev >= 0) {
              const t0 = times.values[prev] as bigint;
              const t1 = times.values[i] as bigint;
              const v0 = values.values[prev]!;
              const v1 = values.values[i]!;
              const row: Value[] = t.cols.map((_, j) => columnValue(t.columns[j]!, prev));
              for (let x = (floorDiv(t0, step) + 1n) * step; x < t1; x += step) {
                row[tj] = timeValue(x);
                row[vj] = floatValue(v0 + ((v1 - v0) * Number(x - t0)) / Number(t1 - t0));
                b.appendRow(row);
              }
            }
            b.appendTable(t, [i]);
            if (ok) prev = i;
          }
          yield b.build();
        }
      }),
    );
  },
};

export const interpolatePackage: PackageDef = { path: 'interpolate', builtins: { linear } };
