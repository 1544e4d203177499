import { FieldType, type FieldValue } from '../../lineprotocol/point.js';
import type { ColumnValues } from '../storage.js';
import { allocValues, type Column } from '../read/column.js';
import type { HeadArena } from './head-arena.js';
import { gather8, timeOrder } from './time-order.js';
import { anchorShapes } from '../../core/shape-anchors.js';

const INITIAL_CAPACITY = 64;

/**
 * The in-memory points of one field series in one partition: growable typed arrays, appended in
 * write order. Out-of-order or repeated timestamps are allowed on append and resolved lazily by
 * `normalize()` (stable sort, the last write of a timestamp wins), so the ingest hot path is two
 * typed-array stores and no allocation.
 *
 * With an arena, the typed arrays are carved from the head generation's pooled slabs (see
 * head-arena.ts): they live exactly as long as the generation, and views handed out by `view()`
 * are valid only until the arena's frozen heads are written (readers use them synchronously).
 */
export class HeadColumn {
  private ts: BigInt64Array;
  private vals: ColumnValues;
  private n = 0;
  /** Timestamps strictly increasing over [0, n). */
  private ordered = true;

  constructor(
    readonly type: FieldType,
    capacity = INITIAL_CAPACITY,
    /** Where the arrays come from; without one, plain (garbage-collected) typed arrays. */
    private readonly arena?: HeadArena,
  ) {
    const cap = Math.max(INITIAL_CAPACITY, capacity);
    this.ts = this.allocTimestamps(cap);
    this.vals = this.allocValues(cap);
  }

  get length(): number {
    return this.n;
  }

  /** Approximate heap bytes held. */
  get sizeBytes(): number {
    return this.ts.byteLength + (Array.isArray(this.vals) ? this.vals.length * 8 : this.vals.byteLength);
  }

  append(timestampNs: bigint, value: FieldValue): void {
    const i = this.n;
    if (i === this.ts.length) this.grow();
    if (i > 0 && this.ordered && timestampNs <= this.ts[i - 1]!) this.ordered = false;
    this.ts[i] = timestampNs;
    switch (this.type) {
      case FieldType.Float:
        (this.vals as Float64Array)[i] = value as number;
        break;
      case FieldType.Integer:
        (this.vals as BigInt64Array)[i] = value as bigint;
        break;
      case FieldType.Unsigned:
        (this.vals as BigUint64Array)[i] = value as bigint;
        break;
      case FieldType.String:
        (this.vals as string[])[i] = value as string;
        break;
      case FieldType.Boolean:
        (this.vals as Uint8Array)[i] = value === true ? 1 : 0;
        break;
    }
    this.n = i + 1;
  }

  /**
   * The column in time order with duplicates resolved. The result shares memory with this column
   * until the next append; callers that keep it across an await must copy.
   */
  view(): Column {
    if (!this.ordered) this.normalize();
    return { type: this.type, timestampsNs: this.ts.subarray(0, this.n), values: this.valuesView() };
  }

  /** Removes points with `startNs <= t <= stopNs`. Returns how many were removed. */
  deleteRange(startNs: bigint, stopNs: bigint): number {
    if (!this.ordered) this.normalize();
    let w = 0;
    for (let r = 0; r < this.n; r++) {
      const t = this.ts[r]!;
      if (t >= startNs && t <= stopNs) continue;
      if (w !== r) {
        this.ts[w] = t;
        this.vals[w] = this.vals[r]!;
      }
      w++;
    }
    const removed = this.n - w;
    this.n = w;
    return removed;
  }

  private valuesView(): ColumnValues {
    return Array.isArray(this.vals) ? this.vals.slice(0, this.n) : this.vals.subarray(0, this.n);
  }

  private grow(): void {
    const cap = this.ts.length * 2;
    const ts = this.allocTimestamps(cap);
    ts.set(this.ts);
    this.ts = ts;
    if (Array.isArray(this.vals)) {
      this.vals.length = cap;
    } else {
      const v = this.allocValues(cap) as Float64Array;
      v.set(this.vals as Float64Array);
      this.vals = v;
    }
  }

  private allocTimestamps(n: number): BigInt64Array {
    if (this.arena === undefined) return new BigInt64Array(n);
    const r = this.arena.alloc(n * 8);
    return new BigInt64Array(r.buffer, r.byteOffset, n);
  }

  /** Values of this column's type with room for `n` (contents unspecified but for strings). */
  private allocValues(n: number): ColumnValues {
    if (this.arena === undefined || this.type === FieldType.String) return allocValues(this.type, n);
    const width = this.type === FieldType.Boolean ? 1 : 8;
    const r = this.arena.alloc(n * width);
    switch (this.type) {
      case FieldType.Float:
        return new Float64Array(r.buffer, r.byteOffset, n);
      case FieldType.Integer:
        return new BigInt64Array(r.buffer, r.byteOffset, n);
      case FieldType.Unsigned:
        return new BigUint64Array(r.buffer, r.byteOffset, n);
      default:
        return new Uint8Array(r.buffer, r.byteOffset, n);
    }
  }

  /** Sorts by time; of equal timestamps keeps the last appended (`timeOrder`). */
  private normalize(): void {
    const n = this.n;
    const ts = this.ts;
    const order = timeOrder(ts, n);
    const newTs = this.allocTimestamps(Math.max(INITIAL_CAPACITY, this.ts.length));
    const newVals = this.allocValues(newTs.length);
    const w = order.length;
    gather8(ts, order, newTs);
    const vals = this.vals;
    if (vals instanceof Float64Array || vals instanceof BigInt64Array || vals instanceof BigUint64Array) {
      gather8(vals, order, newVals as Float64Array | BigInt64Array | BigUint64Array);
    } else {
      for (let k = 0; k < w; k++) newVals[k] = vals[order[k]!]!;
    }
    this.ts = newTs;
    this.vals = newVals;
    this.n = w;
    this.ordered = true;
  }
}

// A flush empties the head, and its columns die: one kept alive keeps their map (shape-anchors.ts).
anchorShapes(new HeadColumn(FieldType.Float));
