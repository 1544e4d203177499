import { ColumnBuilder } from '../../../execute/column-builder.js';
import { isValid, type ColMeta, type ColumnData } from '../../../execute/column.js';
import { sliceColumn, gatherColumn } from '../../../execute/take-rows.js';
import { Table } from '../../../execute/table.js';
import { CallError, type Args, type BuiltinSpec } from '../../../interpreter/index.js';
import { perTable } from './per-table.js';

/** Durations as float nanoseconds (`unit:` arguments); months are not allowed there. */
function unitNs(args: Args, name: string): number {
  const d = args.optDuration(name);
  if (d === undefined) return 1e9;
  if (d.months !== 0) throw new CallError(`${name} must not be a calendar duration`);
  return Number(d.nanoseconds);
}

/** Running sums of numeric columns; a null adds nothing and the row shows the sum so far. */
const cumulativeSum: BuiltinSpec = {
  signature: '(<-tables: stream[A], ?columns: [string]) => stream[B]',
  call(args) {
    const columns = args.optStrings('columns') ?? ['_value'];
    return perTable(args, (t) => {
      const cols = t.columns.map((c, j) => {
        if (!columns.includes(t.cols[j]!.label)) return c;
        switch (c.type) {
          case 'float': {
            const out = new Float64Array(c.length);
            let sum = 0;
            for (let i = 0; i < c.length; i++) out[i] = sum += isValid(c, i) ? c.values[i]! : 0;
            return { type: 'float', length: c.length, valid: null, values: out } as ColumnData;
          }
          case 'int':
          case 'uint': {
            const out = c.type === 'int' ? new BigInt64Array(c.length) : new BigUint64Array(c.length);
            let sum = 0n;
            for (let i = 0; i < c.length; i++) {
              if (isValid(c, i)) sum = c.type === 'int' ? BigInt.asIntN(64, sum + c.values[i]!) : BigInt.asUintN(64, sum + c.values[i]!);
              out[i] = sum;
            }
            return { type: c.type, length: c.length, valid: null, values: out } as ColumnData;
          }
          default:
            return c;
        }
      });
      return new Table(t.key, t.cols, cols, t.length);
    });
  },
};

/**
 * Differences between consecutive non-null values. The first row is dropped unless `keepFirst`;
 * uint columns become int; `nonNegative` turns a negative difference into null (or, with
 * `initialZero`, into the current value, as after a counter reset).
 */
const difference: BuiltinSpec = {
  signature: '(<-tables: stream[T], ?nonNegative: bool, ?columns: [string], ?keepFirst: bool, ?initialZero: bool) => stream[R]',
  call(args) {
    const columns = args.optStrings('columns') ?? ['_value'];
    const nonNegative = args.boolOr('nonNegative', false);
    const keepFirst = args.boolOr('keepFirst', false);
    const initialZero = args.boolOr('initialZero', false);
    return perTable(args, (t) => {
      const first = keepFirst ? 0 : 1;
      const outCols: ColMeta[] = [];
      const outData: ColumnData[] = [];
      for (let j = 0; j < t.cols.length; j++) {
        const meta = t.cols[j]!;
        const c = t.columns[j]!;
        if (!columns.includes(meta.label)) {
          outCols.push(meta);
          outData.push(sliceColumn(c, Math.min(first, c.length), c.length));
          continue;
        }
        if (c.type === 'time') throw new CallError('difference does not support time columns. Try the elapsed function');
        if (c.type !== 'int' && c.type !== 'uint' && c.type !== 'float') {
          throw new CallError(`difference does not support column "${meta.label}" of type "${c.type}"`);
        }
        const type = c.type === 'float' ? 'float' : 'int';
        const b = new ColumnBuilder(type, undefined, Math.max(1, c.length));
        let seen = false;
        let prev: number | bigint = 0;
        for (let i = 0; i < c.length; i++) {
          let out: number | bigint | null = null;
          if (isValid(c, i)) {
            const v: number | bigint = c.values[i]!;
            const p = prev;
            prev = v;
            if (!seen) {
              seen = true;
              out = keepFirst && initialZero ? (type === 'float' ? 0 : 0n) : null;
            } else {
              const diff = c.type === 'float' ? (v as number) - (p as number) : BigInt.asIntN(64, (v as bigint) - (p as bigint));
              if (diff >= 0 || !nonNegative) out = diff;
              else if (initialZero && (c.type === 'uint' ? BigInt.asIntN(64, v as bigint) >= 0n : v >= 0)) {
                out = c.type === 'uint' ? BigInt.asIntN(64, v as bigint) : v;
              }
            }
          }
          if (i < first) continue;
          if (out === null) b.pushNull();
          else if (typeof out === 'number') b.pushFloat(out);
          else b.pushBigInt(out);
        }
        outCols.push({ label: meta.label, type });
        outData.push(b.finish());
      }
      const n = Math.max(0, t.length - first);
      return new Table(t.key, outCols, outData, n);
    });
  },
};

/**
 * Rate of change per `unit` between consecutive non-null values; rows with a time equal to the
 * previous row's are dropped, out-of-order times are an error, the first row is dropped.
 */
const derivative: BuiltinSpec = {
  signature:
    '(<-tables: stream[A], ?unit: duration, ?nonNegative: bool, ?columns: [string], ?timeColumn: string, ?initialZero: bool) => stream[B]',
  call(args) {
    const unit = unitNs(args, 'unit');
    const nonNegative = args.boolOr('nonNegative', false);
    const initialZero = args.boolOr('initialZero', false);
    const columns = args.optStrings('columns') ?? ['_value'];
    const timeColumn = args.stringOr('timeColumn', '_time');
    return perTable(args, (t) => {
      const tj = t.colIndex(timeColumn);
      if (tj < 0) throw new CallError(`no column "${timeColumn}" exists`);
      const tc = t.columns[tj]!;
      if (tc.type !== 'time') throw new CallError(`time column "${timeColumn}" is type ${tc.type} and not time`);
      for (const meta of t.cols) {
        if (columns.includes(meta.label) && !['int', 'uint', 'float'].includes(meta.type)) {
          throw new CallError(`unsupported derivative column type ${meta.label}:${meta.type}`);
        }
      }
      if (t.length === 0) {
        const cols = t.cols.map((c) => (columns.includes(c.label) ? { label: c.label, type: 'float' as const } : c));
        return Table.empty(t.key, cols);
      }
      // Keep the first row and every row whose time moves forward.
      const rows: number[] = [0];
      const times = tc.values;
      const halves = int64Halves(times);
      if (!isValid(tc, 0)) throw new CallError('derivative found null time in time column');
      let last = times[0]!;
      for (let i = 1; i < t.length; i++) {
        if (!isValid(tc, i)) throw new CallError('derivative found null time in time column');
        const ti = times[i]!;
        if (ti < last) throw new CallError('derivative found out-of-order times in time column');
        if (ti === last) continue;
        last = ti;
        rows.push(i);
      }
      const outCols: ColMeta[] = [];
      const outData: ColumnData[] = [];
      // Every row kept (no repeated times, the usual case): the columns as they are.
      const all = rows.length === t.length;
      for (let j = 0; j < t.cols.length; j++) {
        const meta = t.cols[j]!;
        const c = all ? t.columns[j]! : gatherColumn(t.columns[j]!, rows);
        if (!columns.includes(meta.label)) {
          outCols.push(meta);
          outData.push(sliceColumn(c, 1, c.length));
          continue;
        }
        const b = new ColumnBuilder('float', undefined, Math.max(1, rows.length));
        let pt = rows[0]!;
        let pv = 0;
        let have = false;
        if (isValid(c, 0)) {
          pv = Number(c.values[0]!);
          have = true;
        }
        for (let k = 1; k < rows.length; k++) {
          if (!isValid(c, k)) {
            b.pushNull();
            continue;
          }
          const tt = rows[k]!;
          const cv = Number(c.values[k]!);
          if (!have) {
            b.pushNull();
          } else if (nonNegative && pv > cv) {
            if (initialZero) b.pushFloat(0);
            else b.pushNull();
          } else {
            // float64(t - pt) / unit, the int64 difference rounded once (as Flux).
            b.pushFloat((cv - pv) / (nsBetween(times, halves, pt, tt) / unit));
          }
          pt = tt;
          pv = cv;
          have = true;
        }
        outCols.push({ label: meta.label, type: 'float' });
        outData.push(b.finish());
      }
      return new Table(t.key, outCols, outData, rows.length - 1);
    });
  },
};

const TWO_32 = 4294967296;
/** Differences up to this size are exact as doubles, and so is a quotient times the unit. */
const EXACT = 2 ** 52;
const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/** The 32-bit halves of int64 values (low word first), on little-endian machines. */
function int64Halves(values: BigInt64Array): Int32Array | null {
  return LITTLE_ENDIAN ? new Int32Array(values.buffer, values.byteOffset, 2 * values.length) : null;
}

/** times[j] - times[i] as the nearest double: exact from the halves below 2^52, else by bigint. */
function nsBetween(times: BigInt64Array, h: Int32Array | null, i: number, j: number): number {
  if (h !== null) {
    const diff = (h[2 * j + 1]! - h[2 * i + 1]!) * TWO_32 + ((h[2 * j]! >>> 0) - (h[2 * i]! >>> 0));
    if (diff < EXACT && diff > -EXACT) return diff;
  }
  return Number(times[j]! - times[i]!);
}

/**
 * (times[i] - times[i - 1]) / unit for i = 1 … n - 1, truncated toward zero as int64 division
 * is: from the times' 32-bit halves as doubles (no bigint per row), exact while a difference
 * is below 2^52 ns (52 days); beyond that, in bigint.
 */
function elapsedUnits(times: BigInt64Array, n: number, unit: number): BigInt64Array {
  const out = new BigInt64Array(Math.max(0, n - 1));
  const h = int64Halves(times);
  const o = LITTLE_ENDIAN ? new Int32Array(out.buffer) : null;
  const bigUnit = BigInt(unit);
  for (let i = 1; i < n; i++) {
    if (h !== null && o !== null && unit < EXACT) {
      const diff = nsBetween(times, h, i - 1, i);
      if (diff < EXACT && diff > -EXACT) {
        let q = Math.trunc(diff / unit);
        // The double quotient can round across an integer: put q back where int64 division has it.
        const r = diff - q * unit;
        if (diff >= 0 ? r < 0 : r > 0) q += diff >= 0 ? -1 : 1;
        else if (Math.abs(r) >= unit) q += diff >= 0 ? 1 : -1;
        const hi = Math.floor(q / TWO_32);
        o[2 * i - 2] = (q - hi * TWO_32) | 0;
        o[2 * i - 1] = hi | 0;
        continue;
      }
    }
    out[i - 1] = (times[i]! - times[i - 1]!) / bigUnit;
  }
  return out;
}

/** Time between consecutive rows, in `unit`s, as a new int column; the first row is dropped. */
const elapsed: BuiltinSpec = {
  signature: '(<-tables: stream[A], ?unit: duration, ?timeColumn: string, ?columnName: string) => stream[B]',
  call(args) {
    const unit = unitNs(args, 'unit');
    if (unit <= 0) throw new CallError('unit must be positive');
    const timeColumn = args.stringOr('timeColumn', '_time');
    const columnName = args.stringOr('columnName', 'elapsed');
    return perTable(args, (t) => {
      const tj = t.colIndex(timeColumn);
      if (tj < 0) throw new CallError(`column "${timeColumn}" does not exist`);
      const tc = t.columns[tj]!;
      if (tc.type !== 'time') throw new CallError(`column "${timeColumn}" is not of type time`);
      const n = Math.max(0, t.length - 1);
      const out = elapsedUnits(tc.values, t.length, unit);
      const cols = [...t.cols.filter((c) => c.label !== columnName), { label: columnName, type: 'int' as const }];
      const data = [
        ...t.columns.filter((_, j) => t.cols[j]!.label !== columnName).map((c) => sliceColumn(c, Math.min(1, c.length), c.length)),
        { type: 'int', length: n, valid: null, values: out } as ColumnData,
      ];
      return new Table(t.key, cols, data, n);
    });
  },
};

export const runningBuiltins: Record<string, BuiltinSpec> = { cumulativeSum, difference, derivative, elapsed };
