import { invalid } from '../../core/errors.js';
import { formatType, type ColumnType } from '../values/mono-type.js';
import { typeOf, type Value } from '../values/value.js';
import { isValid, type ColumnData } from './column.js';
import { MemoryBudget, type MemoryHold } from './memory-budget.js';
import { gatherWords } from './take-rows.js';
import { anchorShapes } from '../../core/shape-anchors.js';

type Storage = Float64Array | BigInt64Array | BigUint64Array | Uint8Array | string[];

const INITIAL_CAPACITY = 16;
/** Up to this many rows, pushFrom copies typed values in a loop rather than through a subarray. */
const SMALL_COPY = 16;

/**
 * An append-only column under construction. Buffers grow by doubling and each growth is charged
 * to the budget. The validity bitmap is allocated only when the first null arrives. Typed
 * appenders (`pushFloat`, ...) do no type checks: the caller must match `type`; `pushValue`
 * checks and is the safe path.
 */
export class ColumnBuilder {
  readonly type: ColumnType;
  #values: Storage;
  #valid: Uint8Array | null = null;
  #length = 0;
  /** Charges for this builder's buffers; moved to the finished column (see MemoryBudget). */
  readonly #budget: MemoryHold | undefined;

  constructor(type: ColumnType, budget?: MemoryBudget, capacity = INITIAL_CAPACITY) {
    this.type = type;
    this.#budget = budget?.hold(this);
    this.#values = allocate(type, capacity);
    this.#budget?.charge(bytesFor(type, capacity));
  }

  get length(): number {
    return this.#length;
  }

  #grow(min: number): void {
    const cap = this.#capacity();
    if (min <= cap) return;
    const next = Math.max(min, cap * 2, INITIAL_CAPACITY);
    this.#budget?.charge(bytesFor(this.type, next - cap) + ((next - cap) >>> 3));
    if (this.#values instanceof Array) {
      // Plain arrays grow by themselves; capacity is notional for strings.
    } else {
      const bigger = allocate(this.type, next) as Float64Array;
      bigger.set(this.#values as Float64Array);
      this.#values = bigger;
    }
    if (this.#valid !== null) {
      const v = new Uint8Array((next + 7) >>> 3);
      v.set(this.#valid);
      this.#valid = v;
    }
    this.#stringCapacity = next;
  }

  #stringCapacity = INITIAL_CAPACITY;

  #capacity(): number {
    return this.#values instanceof Array ? this.#stringCapacity : this.#values.length;
  }

  /** Marks row `i` null, creating the bitmap (all earlier rows valid) on first use. */
  #setNull(i: number): void {
    if (this.#valid === null) {
      const v = new Uint8Array((this.#capacity() + 7) >>> 3);
      v.fill(0xff);
      this.#valid = v;
    }
    this.#valid[i >>> 3]! &= ~(1 << (i & 7));
  }

  #setValid(i: number): void {
    if (this.#valid !== null) this.#valid[i >>> 3]! |= 1 << (i & 7);
  }

  pushNull(): void {
    const i = this.#length;
    this.#grow(i + 1);
    if (this.#values instanceof Array) this.#values[i] = '';
    this.#setNull(i);
    this.#length = i + 1;
  }

  /** Appends `n` nulls (used to back-fill a column that appears mid-table). */
  pushNulls(n: number): void {
    for (let k = 0; k < n; k++) this.pushNull();
  }

  pushFloat(v: number): void {
    const i = this.#length;
    this.#grow(i + 1);
    (this.#values as Float64Array)[i] = v;
    this.#setValid(i);
    this.#length = i + 1;
  }

  /** int, time or duration (ns) columns. */
  pushBigInt(v: bigint): void {
    const i = this.#length;
    this.#grow(i + 1);
    (this.#values as BigInt64Array)[i] = v;
    this.#setValid(i);
    this.#length = i + 1;
  }

  pushUint(v: bigint): void {
    this.pushBigInt(v);
  }

  pushBool(v: boolean): void {
    const i = this.#length;
    this.#grow(i + 1);
    (this.#values as Uint8Array)[i] = v ? 1 : 0;
    this.#setValid(i);
    this.#length = i + 1;
  }

  pushString(v: string): void {
    const i = this.#length;
    this.#grow(i + 1);
    this.#budget?.charge(2 * v.length);
    (this.#values as string[])[i] = v;
    this.#setValid(i);
    this.#length = i + 1;
  }

  /**
   * Appends a Value, which must be null or of this column's type (an int may go into a float
   * column? no: Flux never coerces column values, so neither do we).
   */
  pushValue(v: Value): void {
    if (v.kind === 'null') return this.pushNull();
    if (v.kind !== this.type) {
      throw invalid(`type conflict: column of type ${this.type} cannot hold a value of type ${formatType(typeOf(v))}`);
    }
    switch (v.kind) {
      case 'float':
        return this.pushFloat(v.value);
      case 'int':
      case 'uint':
      case 'time':
        return this.pushBigInt(v.value);
      case 'duration':
        if (v.value.months !== 0) throw invalid('a duration with months cannot be stored in a table column');
        return this.pushBigInt(v.value.nanoseconds);
      case 'bool':
        return this.pushBool(v.value);
      case 'string':
        return this.pushString(v.value);
    }
  }

  /** Appends row `row` of a column of the same type (one cell; no Value is made). */
  pushCell(src: ColumnData, row: number): void {
    if (src.type !== this.type) throw invalid(`type conflict: cannot append ${src.type} rows to a ${this.type} column`);
    if (!isValid(src, row)) return this.pushNull();
    switch (src.type) {
      case 'float':
        return this.pushFloat(src.values[row]!);
      case 'string':
        return this.pushString(src.values[row]!);
      case 'bool':
        return this.pushBool(src.values[row] === 1);
      default:
        return this.pushBigInt(src.values[row]!);
    }
  }

  /** Appends rows `from` (optionally only those listed in `rows`) of a column of the same type. */
  pushFrom(src: ColumnData, rows?: ArrayLike<number>, count = rows === undefined ? src.length : rows.length): void {
    if (src.type !== this.type) throw invalid(`type conflict: cannot append ${src.type} rows to a ${this.type} column`);
    const base = this.#length;
    this.#grow(base + count);
    const out = this.#values;
    const vals = src.values;
    if (rows === undefined && !(out instanceof Array)) {
      // A few rows (the one-row tables of a per-series aggregate) are copied one by one: a
      // subarray view per column costs more than the copy.
      if (count <= SMALL_COPY) for (let k = 0; k < count; k++) (out as Float64Array)[base + k] = (vals as Float64Array)[k]!;
      else (out as Float64Array).set((vals as Float64Array).subarray(0, count), base);
    } else if (out instanceof Array) {
      const sv = vals as readonly string[];
      let chars = 0;
      for (let k = 0; k < count; k++) {
        const s = sv[rows === undefined ? k : rows[k]!]!;
        chars += s.length;
        out[base + k] = s;
      }
      this.#budget?.charge(2 * chars);
    } else if (out instanceof Float64Array || out instanceof Uint8Array) {
      const v = vals as Float64Array;
      for (let k = 0; k < count; k++) out[base + k] = v[rows![k]!]!;
    } else {
      gatherWords(vals as BigInt64Array, out, rows!, count, base);
    }
    if (src.valid !== null) {
      for (let k = 0; k < count; k++) {
        const r = rows === undefined ? k : rows[k]!;
        if (!isValid(src, r)) this.#setNull(base + k);
        else this.#setValid(base + k);
      }
    } else if (this.#valid !== null) {
      for (let k = 0; k < count; k++) this.#setValid(base + k);
    }
    this.#length = base + count;
  }

  /**
   * The finished column, padded with nulls to `length` rows. The builder must not be used after
   * (its buffers now belong to the column).
   */
  finish(length = this.#length): ColumnData {
    const column = this.#finish(length);
    this.#budget?.moveTo(column);
    return column;
  }

  #finish(length: number): ColumnData {
    if (length > this.#length) this.pushNulls(length - this.#length);
    const valid = this.#valid === null ? null : this.#valid.subarray(0, (length + 7) >>> 3);
    const v = this.#values;
    switch (this.type) {
      case 'float':
        return { type: 'float', length, valid, values: (v as Float64Array).subarray(0, length) };
      case 'int':
        return { type: 'int', length, valid, values: (v as BigInt64Array).subarray(0, length) };
      case 'uint':
        return { type: 'uint', length, valid, values: (v as BigUint64Array).subarray(0, length) };
      case 'time':
        return { type: 'time', length, valid, values: (v as BigInt64Array).subarray(0, length) };
      case 'duration':
        return { type: 'duration', length, valid, values: (v as BigInt64Array).subarray(0, length) };
      case 'bool':
        return { type: 'bool', length, valid, values: (v as Uint8Array).subarray(0, length) };
      case 'string': {
        const s = v as string[];
        s.length = length;
        return { type: 'string', length, valid, values: s };
      }
    }
  }
}

// Builders (and their budget holds) live only while a query runs: one kept alive keeps their maps (shape-anchors.ts).
anchorShapes(new ColumnBuilder('float', new MemoryBudget()));

function allocate(type: ColumnType, n: number): Storage {
  switch (type) {
    case 'float':
      return new Float64Array(n);
    case 'int':
    case 'time':
    case 'duration':
      return new BigInt64Array(n);
    case 'uint':
      return new BigUint64Array(n);
    case 'bool':
      return new Uint8Array(n);
    case 'string':
      return [];
  }
}

function bytesFor(type: ColumnType, n: number): number {
  return type === 'bool' ? n : 8 * n;
}
