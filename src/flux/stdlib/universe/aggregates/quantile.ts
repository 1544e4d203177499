import type { ColumnData } from '../../../execute/column.js';
import { CallError, type Args, type BuiltinSpec } from '../../../interpreter/index.js';
import { streamValue, type StreamValue } from '../../../values/value.js';
import { quantileKernel } from './aggregate-kernels.js';
import { aggregateTable } from './aggregate-table.js';
import { selectRow, type RowSelector } from './selectors.js';
import { regroupOf } from '../../../execute/group-tables.js';

function valid(bits: Uint8Array | null, i: number): boolean {
  return bits === null || (bits[i >>> 3]! & (1 << (i & 7))) !== 0;
}

/**
 * exact_selector: the row at index ceil(q·n)-1 (0 for q = 0) of the non-null values in a stable
 * ascending order — the value at least a fraction q of the values are less than or equal to.
 */
export function exactQuantileSelector(q: number): RowSelector {
  return {
    check(col) {
      if (col.type === 'duration') throw new CallError(`unsupported type for quantile: ${col.type}`);
    },
    select(col: ColumnData, from: number, to: number) {
      if (col.type === 'duration') return -1;
      if (col.type === 'float') {
        const row = floatQuantileRow(col.values, col.valid, from, to, q);
        if (row !== undefined) return row;
      }
      const rows: number[] = [];
      for (let i = from; i < to; i++) if (valid(col.valid, i)) rows.push(i);
      if (rows.length === 0) return -1;
      const v = col.values as ArrayLike<number | bigint | string>;
      rows.sort((a, b) => (v[a]! < v[b]! ? -1 : v[a]! > v[b]! ? 1 : a - b));
      let index = Math.ceil(q * rows.length);
      if (index > 0) index--;
      return rows[index]!;
    },
  };
}

/**
 * exactQuantileSelector's row for floats without NaN, without sorting row indexes through a
 * comparator: the values are sorted natively, the selected value x read at the rank, and the row
 * is the occurrence of x (in row order: the stable order's tie-break) at the rank less the count
 * of values below x. -0 and 0 are one value to both (`<` and `===`). Undefined with a NaN (the
 * comparator's order is then not a total order: the general path reproduces it).
 */
function floatQuantileRow(values: Float64Array, bits: Uint8Array | null, from: number, to: number, q: number): number | undefined {
  const sorted = new Float64Array(to - from);
  let m = 0;
  for (let i = from; i < to; i++) {
    if (!valid(bits, i)) continue;
    const x = values[i]!;
    if (x !== x) return undefined;
    sorted[m++] = x;
  }
  if (m === 0) return -1;
  const live = sorted.subarray(0, m).sort();
  let index = Math.ceil(q * m);
  if (index > 0) index--;
  const x = live[index]!;
  let below = 0;
  for (let k = 0; k < m; k++) if (live[k]! < x) below++;
  let nth = index - below;
  for (let i = from; i < to; i++) {
    if (valid(bits, i) && values[i] === x && nth-- === 0) return i;
  }
  return undefined;
}

/** The stream of `quantile(q:)` with the call's method, compression and column arguments. */
function quantileOutput(args: Args, q: number): StreamValue {
  if (!(q >= 0 && q <= 1)) throw new CallError('quantile must be between 0 and 1');
  const method = args.stringOr('method', 'estimate_tdigest');
  const compression = args.optFloat('compression') ?? 0;
  if (compression > 0 && method !== 'estimate_tdigest') {
    throw new CallError('compression parameter is only valid for method estimate_tdigest');
  }
  if (method !== 'estimate_tdigest' && method !== 'exact_mean' && method !== 'exact_selector') {
    throw new CallError(`unknown method ${method}`);
  }
  const column = args.stringOr('column', '_value');
  const input = args.stream();
  const budget = args.ctx.budget;
  if (method === 'exact_selector') {
    const selector = exactQuantileSelector(q);
    return streamValue(
      args.output(async function* () {
        for await (const t of input) {
          if (t.colIndex(column) < 0) throw new CallError(`no column "${column}" exists`);
          yield selectRow(t, column, selector);
        }
      }),
    );
  }
  const kernel = quantileKernel(q, method, compression > 0 ? compression : DEFAULT_COMPRESSION);
  // An aggregate (not the selector above): after group(), only the new key and `column` are built.
  const grouped = regroupOf(args.get('tables'))?.([column]) ?? input;
  return streamValue(
    args.output(async function* () {
      for await (const t of grouped) yield aggregateTable(t, column, kernel, budget);
    }),
  );
}

/** Flux's default t-digest compression. */
export const DEFAULT_COMPRESSION = 1000;

/** `quantile(q:, method:, compression:, column:)`. */
export const quantile: BuiltinSpec = {
  signature: '(<-tables: stream[A], ?column: string, q: float, ?compression: float, ?method: string) => stream[A]',
  call: (args: Args) => quantileOutput(args, args.float('q')),
};

/**
 * `median(method:, compression:, column:)` = `quantile(q: 0.5, ...)`. A builtin (not Flux
 * source) so aggregateWindow(fn: median) takes the kernel fast path.
 */
export const median: BuiltinSpec = {
  signature: '(<-tables: stream[A], ?method: string, ?compression: float, ?column: string) => stream[A]',
  call: (args: Args) => quantileOutput(args, 0.5),
};

/** median's kernel with default arguments (estimate_tdigest, compression 1000). */
export const medianKernel = quantileKernel(0.5, 'estimate_tdigest', DEFAULT_COMPRESSION);
