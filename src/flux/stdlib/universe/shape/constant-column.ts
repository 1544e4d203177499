import type { TimeColumn } from '../../../execute/column.js';

/**
 * A time column holding `valueNs` in all `n` rows (window and range bounds). Filled by doubling
 * `copyWithin` from one element: `BigInt64Array.fill` with a bigint is a slow per-element path.
 */
export function constantTimeColumn(valueNs: bigint | null, n: number): TimeColumn {
  const values = new BigInt64Array(n);
  if (valueNs === null) return { type: 'time', length: n, valid: new Uint8Array((n + 7) >>> 3), values };
  if (n > 0) {
    values[0] = valueNs;
    for (let k = 1; k < n; k *= 2) values.copyWithin(k, 0, Math.min(k, n - k));
  }
  return { type: 'time', length: n, valid: null, values };
}

/**
 * A time column of `n` rows holding `valueNs`, as a view of `buffer` from `offset` (several
 * constant columns share one buffer: one allocation instead of one per table).
 */
export function fillTimes(buffer: BigInt64Array, offset: number, n: number, valueNs: bigint): TimeColumn {
  const values = buffer.subarray(offset, offset + n);
  if (n > 0) {
    values[0] = valueNs;
    for (let k = 1; k < n; k *= 2) values.copyWithin(k, 0, Math.min(k, n - k));
  }
  return { type: 'time', length: n, valid: null, values };
}
