import type { FloatSeries } from './numeric-input.js';

/** The exponential moving average of a series, as Flux computes it (see `emaSeries`). */
export interface EmaResult {
  /** One value per input row from row n-1 on (empty when there are fewer than n rows). */
  readonly out: FloatSeries;
  /** Sum and count of the non-null values among the first n rows (the short-input fallback). */
  readonly sum: number;
  readonly count: number;
}

/**
 * Flux's exponential moving average over `n` points, multiplier 2/(n+1):
 * - the first output (at row n-1) is the mean of the non-null values among the first n rows, or
 *   null when they are all null;
 * - after that a non-null value v gives v·k + previous·(1-k), or v itself when no value has been
 *   seen yet; a null row repeats the previous average (null while nothing has been seen).
 * Sums are taken in row order so results match Flux bit for bit.
 */
export function emaSeries(xs: Float64Array, valid: Uint8Array, n: number): EmaResult {
  const len = xs.length;
  const k = 2 / (n + 1);
  let sum = 0;
  let count = 0;
  const head = Math.min(n, len);
  for (let i = 0; i < head; i++) {
    if (valid[i] === 0) continue;
    sum += xs[i]!;
    count++;
  }
  if (len < n) return { out: { values: new Float64Array(0), valid: new Uint8Array(0) }, sum, count };
  const values = new Float64Array(len - n + 1);
  const ok = new Uint8Array(len - n + 1);
  let prev = 0;
  if (count > 0) {
    prev = sum / count;
    values[0] = prev;
    ok[0] = 1;
  }
  let seen = count > 0;
  for (let i = n; i < len; i++) {
    const o = i - n + 1;
    if (valid[i] === 0) {
      if (seen) {
        values[o] = prev;
        ok[o] = 1;
      }
      continue;
    }
    const v = xs[i]!;
    prev = seen ? v * k + prev * (1.0 - k) : v;
    seen = true;
    values[o] = prev;
    ok[o] = 1;
  }
  return { out: { values, valid: ok }, sum, count };
}
