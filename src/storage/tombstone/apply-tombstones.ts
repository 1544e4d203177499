import { allocValues, type Column } from '../read/column.js';

/** An inclusive time range `[startNs, stopNs]` to remove. */
export interface DeletedRange {
  readonly startNs: bigint;
  readonly stopNs: bigint;
}

/** `col` without the points inside any of `ranges` (a new column; `col` is untouched). */
export function removeRanges(col: Column, ranges: readonly DeletedRange[]): Column {
  if (ranges.length === 0) return col;
  const ts = col.timestampsNs;
  const n = ts.length;
  const keep = new Uint8Array(n);
  let kept = 0;
  for (let i = 0; i < n; i++) {
    const t = ts[i]!;
    let deleted = false;
    for (const r of ranges) {
      if (t >= r.startNs && t <= r.stopNs) {
        deleted = true;
        break;
      }
    }
    if (!deleted) {
      keep[i] = 1;
      kept++;
    }
  }
  if (kept === n) return col;
  const outTs = new BigInt64Array(kept);
  const outVals = allocValues(col.type, kept);
  let w = 0;
  for (let i = 0; i < n; i++) {
    if (keep[i] === 0) continue;
    outTs[w] = ts[i]!;
    outVals[w++] = col.values[i]!;
  }
  return { type: col.type, timestampsNs: outTs, values: outVals };
}
