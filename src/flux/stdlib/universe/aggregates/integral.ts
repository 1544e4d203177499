import { isValid } from '../../../execute/column.js';
import { CallError, type BuiltinSpec } from '../../../interpreter/index.js';
import { streamValue } from '../../../values/value.js';
import { aggregateRow } from './aggregate-table.js';

/**
 * `integral(unit:, timeColumn:, column:, interpolate:)`: trapezoidal area under the non-null
 * points of each table, in `unit`s of time. Times must be ascending (a repeated time keeps its
 * first row). With `interpolate: "linear"` the first and last segments are extended to the
 * table's `_start`/`_stop` along their slopes. No point gives 0; one point gives 0, or with
 * interpolation value × (stop - start), as Flux does. Output: key columns, then `column` (float).
 */
export const integral: BuiltinSpec = {
  signature: '(<-tables: stream[A], ?unit: duration, ?timeColumn: string, ?column: string, ?interpolate: string) => stream[B]',
  call(args) {
    const unitD = args.optDuration('unit');
    if (unitD !== undefined && unitD.months !== 0) throw new CallError('integral: unit cannot be in months');
    const unit = Number(unitD?.nanoseconds ?? 1_000_000_000n);
    const timeColumn = args.stringOr('timeColumn', '_time');
    const column = args.stringOr('column', '_value');
    const interp = args.stringOr('interpolate', '');
    if (interp !== '' && interp !== 'linear') throw new CallError(`interpolate must be one of "" or "linear", got "${interp}"`);
    const interpolate = interp === 'linear';
    const input = args.stream();
    const budget = args.ctx.budget;
    return streamValue(
      args.output(async function* () {
        for await (const t of input) {
          const ks = t.key.value('_start');
          const ke = t.key.value('_stop');
          if (ks === undefined) throw new CallError('integral function needs _start column to be part of group key');
          if (ke === undefined) throw new CallError('integral function needs _stop column to be part of group key');
          const start = ks.kind === 'time' ? ks.value : 0n;
          const stop = ke.kind === 'time' ? ke.value : 0n;
          const vj = t.colIndex(column);
          if (vj < 0) throw new CallError(`column "${column}" does not exist`);
          if (t.key.has(column)) throw new CallError('cannot aggregate columns that are part of the group key');
          const vcol = t.columns[vj]!;
          if (vcol.type !== 'float' && vcol.type !== 'int' && vcol.type !== 'uint') {
            throw new CallError(`cannot perform integral over ${vcol.type}`);
          }
          const tj = t.colIndex(timeColumn);
          if (tj < 0) throw new CallError(`no column "${timeColumn}" exists`);
          const tcol = t.columns[tj]!;
          if (tcol.type !== 'time') throw new CallError(`integral: time column "${timeColumn}" is not of type time`);
          for (let i = 0; i < t.length; i++) if (!isValid(tcol, i)) throw new CallError('integral found null time in time column');
          let points = 0;
          let t0 = 0n;
          let t1 = 0n;
          let v0 = 0;
          let v1 = 0;
          let sum = 0;
          let prev = 0n;
          const vals = vcol.values as ArrayLike<number | bigint>;
          for (let i = 0; i < t.length; i++) {
            const tm = tcol.values[i]!;
            if (prev > tm) throw new CallError('integral found out-of-order times in time column');
            if (prev === tm && i !== 0) continue;
            prev = tm;
            if (!isValid(vcol, i)) continue;
            const v = Number(vals[i]!);
            if (points === 0) {
              t0 = tm;
              v0 = v;
              points = 1;
            } else if (points === 1) {
              sum += (0.5 * (v + v0) * Number(tm - t0)) / unit;
              t1 = tm;
              v1 = v;
              points = 2;
              if (interpolate && start < t0) {
                const m = (v1 - v0) / Number(t1 - t0);
                const y = v0 - m * Number(t0 - start);
                sum += (0.5 * (y + v0) * Number(t0 - start)) / unit;
              }
            } else {
              sum += (0.5 * (v + v1) * Number(tm - t1)) / unit;
              t0 = t1;
              v0 = v1;
              t1 = tm;
              v1 = v;
            }
          }
          let result = 0;
          if (points === 1) result = interpolate ? (v0 * Number(stop - start)) / unit : 0;
          else if (points >= 2) {
            if (interpolate) {
              const m = (v1 - v0) / Number(t1 - t0);
              const y = v1 + m * Number(stop - t1);
              sum += (0.5 * (y + v1) * Number(stop - t1)) / unit;
            }
            result = sum;
          }
          yield aggregateRow(t.key, column, 'float', (out) => out.pushFloat(result), budget);
        }
      }),
    );
  },
};
