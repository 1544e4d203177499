import type { MonoType } from './mono-type.js';
import { compareValues, equalValues } from './compare-values.js';
import type { DictValue, Value } from './value.js';

/**
 * Builds a dict: entries are sorted by key (`compareValues`) and a repeated key keeps its last
 * value, as `dict.fromList` does. Keys must be comparable (basic values).
 */
export function dictValue(
  keyType: MonoType,
  valueType: MonoType,
  entries: Iterable<readonly [Value, Value]>,
): DictValue {
  const sorted: (readonly [Value, Value])[] = [];
  for (const entry of entries) {
    const i = lowerBound(sorted, entry[0]);
    if (i < sorted.length && equalValues(sorted[i]![0], entry[0])) sorted[i] = entry;
    else sorted.splice(i, 0, entry);
  }
  return { kind: 'dict', keyType, valueType, entries: sorted };
}

/** The value under `key`, or undefined when absent (`dict.get` then returns its default). */
export function dictGet(d: DictValue, key: Value): Value | undefined {
  const i = lowerBound(d.entries, key);
  return i < d.entries.length && equalValues(d.entries[i]![0], key) ? d.entries[i]![1] : undefined;
}

/** A new dict with `key` set to `value` (`dict.insert`). */
export function dictInsert(d: DictValue, key: Value, value: Value): DictValue {
  return dictValue(d.keyType, d.valueType, [...d.entries, [key, value]]);
}

/** A new dict without `key` (`dict.remove`). */
export function dictRemove(d: DictValue, key: Value): DictValue {
  return { ...d, entries: d.entries.filter(([k]) => !equalValues(k, key)) };
}

function lowerBound(entries: readonly (readonly [Value, Value])[], key: Value): number {
  let lo = 0;
  let hi = entries.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (compareValues(entries[mid]![0], key) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
