import { ColumnBuilder } from '../../execute/column-builder.js';
import { isValid } from '../../execute/column.js';
import { Table } from '../../execute/table.js';
import { CallError, type BuiltinSpec, type PackageDef } from '../../interpreter/index.js';
import { streamValue } from '../../values/value.js';

/**
 * `contrib/tomhollingworth/events.duration()`: how long each event lasted, in `unit`s (int,
 * truncated): the time to the next row of the table, and for the last row the time to `stop`
 * (or that row's `stopColumn` value). The result is appended as column `columnName`.
 */
const duration: BuiltinSpec = {
  signature: '(<-tables: stream[A], ?unit: duration, ?timeColumn: string, ?columnName: string, ?stopColumn: string, ?stop: time) => stream[B]',
  call(args) {
    const unit = args.has('unit') ? args.duration('unit') : { months: 0, nanoseconds: 1_000_000_000n, negative: false };
    if (unit.months !== 0 || unit.nanoseconds <= 0n) throw new CallError('unit must be a positive duration without months');
    const timeColumn = args.stringOr('timeColumn', '_time');
    const columnName = args.stringOr('columnName', 'duration');
    const stopColumn = args.stringOr('stopColumn', '_stop');
    const stop = args.optTime('stop');
    const input = args.stream('tables');
    return streamValue(
      args.output(async function* () {
        for await (const t of input) {
          const tj = t.colIndex(timeColumn);
          if (tj < 0) throw new CallError(`column "${timeColumn}" does not exist`);
          const times = t.columns[tj]!;
          const sj = t.colIndex(stopColumn);
          if (stop === undefined && sj < 0 && t.length > 0) throw new CallError(`column "${stopColumn}" does not exist`);
          const out = new ColumnBuilder('int');
          for (let i = 0; i < t.length; i++) {
            const end = i + 1 < t.length ? times : undefined;
            let endNs: bigint | undefined;
            if (end !== undefined) endNs = isValid(end, i + 1) ? (end.values[i + 1] as bigint) : undefined;
            else endNs = stop ?? (isValid(t.columns[sj]!, i) ? (t.columns[sj]!.values[i] as bigint) : undefined);
            if (endNs === undefined || !isValid(times, i)) out.pushNull();
            else out.pushBigInt((endNs - (times.values[i] as bigint)) / unit.nanoseconds);
          }
          yield new Table(t.key, [...t.cols, { label: columnName, type: 'int' }], [...t.columns, out.finish(t.length)], t.length);
        }
      }),
    );
  },
};

export const eventsPackage: PackageDef = { path: 'contrib/tomhollingworth/events', builtins: { duration } };
