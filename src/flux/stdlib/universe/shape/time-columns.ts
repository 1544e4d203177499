import { floorDiv } from '../../../../core/time.js';
import { isValid, type ColumnData, type TimeColumn } from '../../../execute/column.js';
import { GroupKey } from '../../../execute/group-key.js';
import { filterTable } from '../../../execute/filter-table.js';
import { Table } from '../../../execute/table.js';
import { CallError, type BuiltinSpec } from '../../../interpreter/index.js';
import { timeValue } from '../../../values/value.js';
import { addFluxDuration as addDuration } from '../../date/calendar.js';
import { perTable } from './per-table.js';
import { locationArg, locationOption } from '../../timezone/location.js';
import { checkInterval, truncateInLocation, wallClock } from '../../date/date-math.js';

/** A time column with `fn` applied to every non-null slot (nulls stay null). */
function mapTimes(col: TimeColumn, fn: (t: bigint) => bigint): TimeColumn {
  const out = new BigInt64Array(col.length);
  for (let i = 0; i < col.length; i++) if (isValid(col, i)) out[i] = fn(col.values[i]!);
  return { type: 'time', length: col.length, valid: col.valid, values: out };
}

/** A table with the listed time columns (and their key values) transformed by `fn`. */
function transformTimes(t: Table, labels: readonly string[], fn: (ns: bigint) => bigint, strict: boolean): Table {
  const columns: ColumnData[] = [...t.columns];
  let changed = false;
  for (const l of labels) {
    const j = t.colIndex(l);
    if (j < 0) continue;
    const col = t.columns[j]!;
    if (col.type !== 'time') {
      if (strict) throw new CallError(`column ${l} is not of type time`);
      continue;
    }
    columns[j] = mapTimes(col, fn);
    changed = true;
  }
  if (!changed) return t;
  const key = new GroupKey(
    t.key.cols,
    t.key.values.map((v, i) => (labels.includes(t.key.cols[i]!.label) && v.kind === 'time' ? timeValue(fn(v.value)) : v)),
  );
  return new Table(key, t.cols, columns, t.length);
}

/** `truncateTimeColumn(timeColumn:, unit:)`: times truncated to the start of their `unit` window. */
export const truncateTimeColumn: BuiltinSpec = {
  signature: '(<-tables: stream[A], unit: duration, ?timeColumn: string) => stream[A]',
  call(args) {
    const unit = args.duration('unit');
    const label = args.stringOr('timeColumn', '_time');
    checkInterval(unit);
    // As Flux's definition (date.truncate), in the `location` option's time.
    const location = locationOption(args.ctx);
    return perTable(args, (t) => transformTimes(t, [label], (ns) => truncateInLocation(ns, unit, location), true));
  },
};

/** `timeShift(duration:, columns:)`: adds `duration` to the listed time columns and key values. */
export const timeShift: BuiltinSpec = {
  signature: '(<-tables: stream[A], duration: duration, ?columns: [string]) => stream[A]',
  call(args) {
    const d = args.duration('duration');
    const labels = args.optStrings('columns') ?? ['_start', '_stop', '_time'];
    return perTable(args, (t) => transformTimes(t, labels, (ns) => addDuration(ns, d), true));
  },
};

/**
 * `hourSelection(start:, stop:, location:, timeColumn:)`: rows whose hour of day (in the
 * location's fixed offset) lies in [start, stop], wrapping past midnight when start > stop.
 */
export const hourSelection: BuiltinSpec = {
  signature:
    '(<-tables: stream[A], start: int, stop: int, ?location: {zone: string, offset: duration}, ?timeColumn: string) => stream[A]',
  call(args) {
    const start = Number(args.int('start'));
    const stop = Number(args.int('stop'));
    if (start < 0 || start > 23) throw new CallError('start must be between 0 and 23');
    if (stop < 0 || stop > 23) throw new CallError('stop must be between 0 and 23');
    const location = locationArg(args);
    const label = args.stringOr('timeColumn', '_time');
    const hourNs = 3_600_000_000_000n;
    return perTable(args, (t) => {
      const col = t.column(label);
      if (col === undefined) throw new CallError(`column "${label}" does not exist`);
      if (col.type !== 'time') throw new CallError(`column "${label}" is not of type time`);
      const out = filterTable(t, (i) => {
        if (!isValid(col, i)) return false;
        const h = Number(((floorDiv(wallClock(col.values[i]!, location), hourNs) % 24n) + 24n) % 24n);
        return (h >= start && h <= stop) || (start > stop && (h >= start || h <= stop));
      });
      return out;
    });
  },
};
