import type { ColumnBuilder } from '../../../execute/column-builder.js';
import type { ColumnData } from '../../../execute/column.js';
import type { ColumnType } from '../../../values/mono-type.js';
import { sumInt64, validCount } from './int64-sum.js';
import { TDigest } from './tdigest.js';

/**
 * A column reducer: one value per run of rows. `reduce` reads rows [from, to) of `col` and
 * appends exactly one value (possibly null) to `out`. Kernels read the typed arrays directly and
 * allocate nothing per row; they are shared by the plain aggregates (one run = the table) and
 * aggregateWindow (one run per window of time-sorted rows).
 */
export interface AggregateKernel {
  /** The output type for an input column type, or undefined when Flux rejects the type. */
  outType(t: ColumnType): ColumnType | undefined;
  reduce(col: ColumnData, from: number, to: number, out: ColumnBuilder): void;
}

const NUMERIC = new Set<ColumnType>(['int', 'uint', 'float']);

function valid(bits: Uint8Array | null, i: number): boolean {
  return bits === null || (bits[i >>> 3]! & (1 << (i & 7))) !== 0;
}

/** count: rows, nulls included (Flux counts the column's length). */
export const countKernel: AggregateKernel = {
  outType: (t) => (t === 'time' || t === 'duration' ? undefined : 'int'),
  reduce(_col, from, to, out) {
    out.pushBigInt(BigInt(to - from));
  },
};

/** sum: non-null values, same type as the input (int/uint wrap at 64 bits as in Go); null if none. */
export const sumKernel: AggregateKernel = {
  outType: (t) => (NUMERIC.has(t) ? t : undefined),
  reduce(col, from, to, out) {
    const bits = col.valid;
    let seen = false;
    if (col.type === 'float') {
      const v = col.values;
      let s = 0;
      if (bits === null) {
        for (let i = from; i < to; i++) s += v[i]!;
        seen = to > from;
      } else {
        for (let i = from; i < to; i++) {
          if (valid(bits, i)) {
            s += v[i]!;
            seen = true;
          }
        }
      }
      if (seen) out.pushFloat(s);
      else out.pushNull();
      return;
    }
    if (col.type === 'int' || col.type === 'uint') {
      if (validCount(bits, from, to) === 0) out.pushNull();
      else out.pushBigInt(sumInt64(col.values, from, to, col.type === 'int', bits));
      return;
    }
    out.pushNull();
  },
};

/** Calls `f` with each non-null numeric value of rows [from, to) as a float. */
function forEachNumber(col: ColumnData, from: number, to: number, f: (x: number) => void): void {
  const bits = col.valid;
  if (col.type === 'float') {
    const v = col.values;
    for (let i = from; i < to; i++) if (valid(bits, i)) f(v[i]!);
  } else if (col.type === 'int' || col.type === 'uint') {
    const v = col.values;
    for (let i = from; i < to; i++) if (valid(bits, i)) f(Number(v[i]!));
  }
}

/** mean: float from int/uint/float; null when no non-null value. */
export const meanKernel: AggregateKernel = {
  outType: (t) => (NUMERIC.has(t) ? 'float' : undefined),
  reduce(col, from, to, out) {
    const bits = col.valid;
    let n = 0;
    let s = 0;
    if (col.type === 'float') {
      const v = col.values;
      if (bits === null) {
        for (let i = from; i < to; i++) s += v[i]!;
        n = to - from;
      } else {
        for (let i = from; i < to; i++) {
          if (valid(bits, i)) {
            s += v[i]!;
            n++;
          }
        }
      }
    } else if (col.type === 'int' || col.type === 'uint') {
      // The exact (wrapping) integer sum, as Go sums int64, divided once.
      n = validCount(bits, from, to);
      if (n > 0) s = Number(sumInt64(col.values, from, to, col.type === 'int', bits));
    }
    if (n === 0) out.pushNull();
    else out.pushFloat(s / n);
  },
};

/** spread: max - min, same type as the input; null when no non-null value. */
export const spreadKernel: AggregateKernel = {
  outType: (t) => (NUMERIC.has(t) ? t : undefined),
  reduce(col, from, to, out) {
    const bits = col.valid;
    if (col.type === 'float') {
      const v = col.values;
      let lo = Infinity;
      let hi = -Infinity;
      let seen = false;
      for (let i = from; i < to; i++) {
        if (!valid(bits, i)) continue;
        const x = v[i]!;
        if (!seen || x < lo) lo = x;
        if (!seen || x > hi) hi = x;
        seen = true;
      }
      if (seen) out.pushFloat(hi - lo);
      else out.pushNull();
    } else if (col.type === 'int' || col.type === 'uint') {
      const v = col.values;
      let lo = 0n;
      let hi = 0n;
      let seen = false;
      for (let i = from; i < to; i++) {
        if (!valid(bits, i)) continue;
        const x = v[i]!;
        if (!seen || x < lo) lo = x;
        if (!seen || x > hi) hi = x;
        seen = true;
      }
      if (!seen) out.pushNull();
      else out.pushBigInt(col.type === 'int' ? BigInt.asIntN(64, hi - lo) : hi - lo);
    } else out.pushNull();
  },
};

/** stddev (Welford): `sample` divides by n-1 (NaN for one value), `population` by n. */
export function stddevKernel(mode: 'sample' | 'population'): AggregateKernel {
  return {
    outType: (t) => (NUMERIC.has(t) ? 'float' : undefined),
    reduce(col, from, to, out) {
      let n = 0;
      let mean = 0;
      let m2 = 0;
      forEachNumber(col, from, to, (x) => {
        n++;
        const d = x - mean;
        mean += d / n;
        m2 += d * (x - mean);
      });
      if (n === 0) return out.pushNull();
      const div = mode === 'sample' ? n - 1 : n;
      out.pushFloat(div < 1 ? NaN : Math.sqrt(m2 / div));
    },
  };
}

/** skew: population skewness (online moments); NaN below two values, null with none. */
export const skewKernel: AggregateKernel = {
  outType: (t) => (NUMERIC.has(t) ? 'float' : undefined),
  reduce(col, from, to, out) {
    let n = 0;
    let m1 = 0;
    let m2 = 0;
    let m3 = 0;
    forEachNumber(col, from, to, (x) => {
      const n0 = n;
      n++;
      const d = x - m1;
      const dn = d / n;
      const t = d * dn * n0;
      m3 += t * dn * (n - 2) - 3 * dn * m2;
      m2 += t;
      m1 += dn;
    });
    if (n === 0) return out.pushNull();
    out.pushFloat(n < 2 ? NaN : (Math.sqrt(n) * m3) / Math.pow(m2, 1.5));
  },
};

/** The non-null numeric values of rows [from, to), sorted ascending. */
export function sortedNumbers(col: ColumnData, from: number, to: number): Float64Array {
  const buf = new Float64Array(to - from);
  let n = 0;
  forEachNumber(col, from, to, (x) => {
    buf[n++] = x;
  });
  return buf.subarray(0, n).sort();
}

/** exact_mean quantile: linear interpolation between the two closest ranks (index q·(n-1)). */
export function exactMeanQuantile(sorted: Float64Array, q: number): number {
  const x = q * (sorted.length - 1);
  const x0 = Math.floor(x);
  const x1 = Math.ceil(x);
  if (x0 === x1) return sorted[x0]!;
  return sorted[x0]! * (x1 - x) + sorted[x1]! * (x - x0);
}

/** quantile aggregate (exact_mean / estimate_tdigest): float output; null when no value. */
export function quantileKernel(q: number, method: 'exact_mean' | 'estimate_tdigest', compression = 1000): AggregateKernel {
  return {
    outType: (t) => (NUMERIC.has(t) ? 'float' : undefined),
    reduce(col, from, to, out) {
      if (method === 'exact_mean') {
        const sorted = sortedNumbers(col, from, to);
        if (sorted.length === 0) return out.pushNull();
        return out.pushFloat(exactMeanQuantile(sorted, q));
      }
      const digest = new TDigest(compression);
      let n = 0;
      forEachNumber(col, from, to, (x) => {
        digest.add(x);
        n++;
      });
      if (n === 0) out.pushNull();
      else out.pushFloat(digest.quantile(q));
    },
  };
}
