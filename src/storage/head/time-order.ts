/** Whether this machine stores int64 low word first (then a timestamp's halves read as int32s). */
const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/**
 * The rows of `ts[0, n)` in time order, each timestamp once: of rows with equal timestamps the
 * last appended (last write wins), as a stable sort followed by keeping the last of each run of
 * equals would give. A head column is appended in ascending runs — each write request's points of a
 * series are usually in time order, and concurrent requests commit in any order — so this is a
 * natural merge sort: find the ascending runs, merge neighbours until one is left, O(n log runs).
 * Timestamps are compared as their two 32-bit halves, never read as BigInt (a BigInt64Array read
 * allocates, which made `Array#sort` with a comparator the larger part of a flush).
 */
export function timeOrder(ts: BigInt64Array, n: number): Int32Array {
  if (!LITTLE_ENDIAN) return bigIntOrder(ts, n);
  let order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  if (n < 2) return order;
  const h = new Int32Array(ts.buffer, ts.byteOffset, 2 * n);
  // Run starts, then n: run k is [starts[k], starts[k + 1]). A run is non-decreasing (equal
  // neighbours stay in one run: their order is already the append order).
  let starts: number[] = [0];
  for (let i = 1; i < n; i++) if (before(h, i, i - 1)) starts.push(i);
  starts.push(n);
  let other = new Int32Array(n);
  while (starts.length > 2) {
    const next: number[] = [];
    let k = 0;
    for (; k + 2 < starts.length; k += 2) {
      const lo = starts[k]!;
      const mid = starts[k + 1]!;
      const hi = starts[k + 2]!;
      merge(h, order, other, lo, mid, hi);
      next.push(lo);
    }
    if (k + 1 < starts.length) {
      // An odd run out: copied as it is.
      const lo = starts[k]!;
      other.set(order.subarray(lo, n), lo);
      next.push(lo);
    }
    next.push(n);
    const t = order;
    order = other;
    other = t;
    starts = next;
  }
  // Of equal timestamps (adjacent now, in append order) the last one stays.
  let w = 0;
  for (let k = 0; k < n; k++) {
    const i = order[k]!;
    if (k + 1 < n && same(h, order[k + 1]!, i)) continue;
    order[w++] = i;
  }
  return order.subarray(0, w);
}

function same(h: Int32Array, a: number, b: number): boolean {
  return h[2 * a] === h[2 * b] && h[2 * a + 1] === h[2 * b + 1];
}

/** Whether row `a`'s time is before row `b`'s (halves: high word signed, low word unsigned). */
function before(h: Int32Array, a: number, b: number): boolean {
  const ha = h[2 * a + 1]!;
  const hb = h[2 * b + 1]!;
  if (ha !== hb) return ha < hb;
  return h[2 * a]! >>> 0 < h[2 * b]! >>> 0;
}

/** Merges order[lo, mid) and order[mid, hi) into out[lo, hi); on equal times the left run's row first. */
function merge(h: Int32Array, order: Int32Array, out: Int32Array, lo: number, mid: number, hi: number): void {
  let i = lo;
  let j = mid;
  let w = lo;
  while (i < mid && j < hi) {
    const a = order[i]!;
    const b = order[j]!;
    if (before(h, b, a)) {
      out[w++] = b;
      j++;
    } else {
      out[w++] = a;
      i++;
    }
  }
  while (i < mid) out[w++] = order[i++]!;
  while (j < hi) out[w++] = order[j++]!;
}

/** The same rows on a big-endian machine: a stable sort comparing the BigInts. */
function bigIntOrder(ts: BigInt64Array, n: number): Int32Array {
  const order = Array.from({ length: n }, (_, i) => i);
  order.sort((a, b) => (ts[a]! < ts[b]! ? -1 : ts[a]! > ts[b]! ? 1 : a - b));
  return Int32Array.from(order.filter((i, k) => k + 1 === n || ts[order[k + 1]!] !== ts[i]));
}

/** dst[k] = src[order[k]] for every k, for 8-byte elements, copied as int32 halves (no BigInt made). */
export function gather8(src: BigInt64Array | BigUint64Array | Float64Array, order: Int32Array, dst: BigInt64Array | BigUint64Array | Float64Array): void {
  const s = new Int32Array(src.buffer, src.byteOffset, 2 * src.length);
  const d = new Int32Array(dst.buffer, dst.byteOffset, 2 * dst.length);
  for (let k = 0; k < order.length; k++) {
    const i = order[k]!;
    d[2 * k] = s[2 * i]!;
    d[2 * k + 1] = s[2 * i + 1]!;
  }
}
