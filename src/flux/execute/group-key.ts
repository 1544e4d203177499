import { invalid } from '../../core/errors.js';
import { compareStrings, compareValues } from '../values/compare-values.js';
import { stringOf } from '../values/format-value.js';
import { columnMonoType } from '../values/mono-type.js';
import { nullValue, type Value } from '../values/value.js';
import type { ColMeta } from './column.js';

/**
 * A table's group key: an ordered list of columns and the value every row of the table has in
 * each. Within one stream, each table's key is unique (tables with equal keys must be merged).
 * Immutable. `id` is a canonical string: two keys are equal exactly when their ids are equal, so
 * it can key a Map.
 */
export class GroupKey {
  static readonly EMPTY = new GroupKey([], []);

  readonly cols: readonly ColMeta[];
  readonly values: readonly Value[];
  #id: string | undefined;
  #index: Map<string, number> | undefined;
  #sorted: number[] | undefined;

  constructor(cols: readonly ColMeta[], values: readonly Value[]) {
    if (cols.length !== values.length) throw invalid('group key: columns and values differ in length');
    this.cols = cols;
    this.values = values;
  }

  /** Builds a key from labelled values; each value must be null or of the column's type. */
  static of(entries: readonly (readonly [ColMeta, Value])[]): GroupKey {
    return new GroupKey(
      entries.map(([c]) => c),
      entries.map(([c, v]) => (v.kind === 'null' ? nullValue(columnMonoType(c.type)) : v)),
    );
  }

  get size(): number {
    return this.cols.length;
  }

  /** Key column indices in label order: key identity and order ignore column order, as Flux's. */
  get sorted(): readonly number[] {
    if (this.#sorted === undefined) {
      this.#sorted = this.cols.map((_, i) => i).sort((a, b) => compareStrings(this.cols[a]!.label, this.cols[b]!.label));
    }
    return this.#sorted;
  }

  get id(): string {
    if (this.#id === undefined) {
      let s = '';
      for (const i of this.sorted) s += keyPart(this.cols[i]!, this.values[i]!);
      this.#id = s;
    }
    return this.#id;
  }

  /** Position of the column in the key, or -1. */
  indexOf(label: string): number {
    const cols = this.cols;
    // A small key (storage tables: 4 + tag columns) is scanned: building a Map per key cost more
    // than the handful of look-ups most keys get (the CSV encoder's #group row, an aggregate's check).
    if (cols.length <= 12) {
      // From the end: the last column of a label, as the Map gives.
      for (let i = cols.length - 1; i >= 0; i--) if (cols[i]!.label === label) return i;
      return -1;
    }
    if (this.#index === undefined) this.#index = new Map(cols.map((c, i) => [c.label, i]));
    return this.#index.get(label) ?? -1;
  }

  has(label: string): boolean {
    return this.indexOf(label) >= 0;
  }

  /** The key's value for `label`, or undefined when the column is not in the key. */
  value(label: string): Value | undefined {
    const i = this.indexOf(label);
    return i < 0 ? undefined : this.values[i];
  }

  /** Same columns (in any order) with equal values; null equals null. */
  equals(other: GroupKey): boolean {
    return this === other || (this.cols.length === other.cols.length && this.id === other.id);
  }

  /**
   * Flux's key order: columns compared in label order; where labels differ the key that lacks
   * the smaller label sorts first; then by type, then by value with nulls first; a key that is a
   * prefix of another sorts first.
   */
  compare(other: GroupKey): number {
    const a = this.sorted;
    const b = other.sorted;
    const n = Math.min(a.length, b.length);
    for (let k = 0; k < n; k++) {
      const ca = this.cols[a[k]!]!;
      const cb = other.cols[b[k]!]!;
      if (ca.label !== cb.label) return compareStrings(ca.label, cb.label) > 0 ? -1 : 1;
      if (ca.type !== cb.type) return TYPE_ORDER[ca.type] - TYPE_ORDER[cb.type];
      const v = compareValues(this.values[a[k]!]!, other.values[b[k]!]!);
      if (v !== 0) return v;
    }
    return a.length - b.length;
  }

  /** `{_measurement=cpu,host=a}`-style (label order) text for messages. */
  toString(): string {
    const parts = this.sorted.map((i) => {
      const v = this.values[i]!;
      return `${this.cols[i]!.label}=${v.kind === 'null' ? '<null>' : stringOf(v)}`;
    });
    return `{${parts.join(',')}}`;
  }
}

/**
 * One column's contribution to a key id. Label and type are length-prefixed so no two different
 * keys produce the same id whatever the strings contain.
 */
export function keyPart(c: ColMeta, v: Value): string {
  const text =
    v.kind === 'null'
      ? ''
      : v.kind === 'duration'
        ? v.value.nanoseconds.toString()
        : v.kind === 'time'
          ? v.value.toString() // an identity only: nanoseconds are cheaper than an RFC 3339 text
        : v.kind === 'float' && v.value === 0
          ? '0' // -0 and 0 are one key, as in Flux (Go compares floats with ==)
          : stringOf(v);
  const tag = v.kind === 'null' ? 'n' : 'v';
  return `${c.label.length}:${c.label}${c.type}${tag}${text.length}:${text}`;
}

/** Flux's column type order (its ColType enum), used to order keys whose types differ. */
const TYPE_ORDER: Record<ColMeta['type'], number> = {
  bool: 1,
  int: 2,
  uint: 3,
  float: 4,
  string: 5,
  time: 6,
  duration: 7,
};
