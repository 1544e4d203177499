import { isValid, type ColumnData } from '../../../execute/column.js';
import { RowCursor } from '../../../execute/row-cursor.js';
import { Table } from '../../../execute/table.js';
import { compileRowPredicate } from '../../../execute/row-expr.js';
import { CallError, rowFunctionIR, type BuiltinSpec } from '../../../interpreter/index.js';
import { streamValue, type Value } from '../../../values/value.js';

/**
 * `stateTracking`: for each row, how many consecutive rows (count) and how long (duration, in
 * `durationUnit`) the predicate has held, or -1 outside the state.
 */
const stateTracking: BuiltinSpec = {
  signature:
    '(<-tables: stream[A], fn: (r: A) => bool, ?countColumn: string, ?durationColumn: string, ?durationUnit: duration, ?timeColumn: string) => stream[B]',
  call(args) {
    const input = args.stream();
    const fn = args.fn('fn');
    const countColumn = args.optString('countColumn');
    const durationColumn = args.optString('durationColumn');
    const unitD = args.optDuration('durationUnit');
    const unit = unitD === undefined ? 1_000_000_000n : unitD.nanoseconds;
    if (unit <= 0n) throw new CallError('state tracking duration unit must be greater than zero');
    const timeColumn = args.stringOr('timeColumn', '_time');
    const param = fn.type.parameters[0]?.name ?? 'r';
    // A body filter() could compile (`r._value > 90.0`) runs as a kernel over the columns.
    const ir = rowFunctionIR(fn);
    return streamValue(
      args.output(async function* () {
        for await (const t of input) {
          const tj = t.colIndex(timeColumn);
          if (tj < 0) throw new CallError(`column "${timeColumn}" does not exist`);
          const tc = t.columns[tj]!;
          const counts = new BigInt64Array(t.length);
          const durations = new BigInt64Array(t.length);
          let count = -1n;
          let duration = -1n;
          let inCount = false;
          let inDuration = false;
          let start = 0n;
          let prev: bigint | undefined;
          const kernel = ir?.kind === 'expr' ? compileRowPredicate(t, ir.expr) : undefined;
          const cursor = new RowCursor(t);
          const fnArgs = new Map<string, Value>([[param, cursor.view()]]);
          for (let i = 0; i < t.length; i++) {
            let match: boolean;
            if (kernel !== undefined) match = kernel(i);
            else {
              cursor.row = i;
              let r = fn.call(fnArgs);
              if (r instanceof Promise) r = await r;
              match = r.kind === 'bool' && r.value;
            }
            if (durationColumn !== undefined) {
              if (!isValid(tc, i)) throw new CallError('got a null timestamp');
              const ts = tc.values[i] as bigint;
              if (prev !== undefined && prev > ts) throw new CallError('got an out-of-order timestamp');
              prev = ts;
              if (match) {
                if (!inDuration) {
                  inDuration = true;
                  start = ts;
                  duration = 0n;
                } else {
                  duration = (ts - start) / unit;
                }
              } else {
                inDuration = false;
                duration = -1n;
              }
            }
            if (countColumn !== undefined) {
              if (match) {
                count = inCount ? count + 1n : 1n;
                inCount = true;
              } else {
                inCount = false;
                count = -1n;
              }
            }
            counts[i] = count;
            durations[i] = duration;
          }
          const cols = [...t.cols];
          const data = [...t.columns];
          const add = (label: string, values: BigInt64Array): void => {
            const col: ColumnData = { type: 'int', length: t.length, valid: null, values };
            const j = cols.findIndex((c) => c.label === label);
            if (j >= 0) {
              cols[j] = { label, type: 'int' };
              data[j] = col;
            } else {
              cols.push({ label, type: 'int' });
              data.push(col);
            }
          };
          if (countColumn !== undefined) add(countColumn, counts);
          if (durationColumn !== undefined) add(durationColumn, durations);
          yield new Table(t.key, cols, data, t.length);
        }
      }),
    );
  },
};

export const stateTrackingBuiltins: Record<string, BuiltinSpec> = { stateTracking };
