import { escapeMeasurement, escapeTag } from './escape.js';
import type { Series, Tag } from './point.js';

/**
 * Compares two strings in the byte order of their UTF-8 encodings (InfluxDB sorts tags by bytes).
 * UTF-16 order differs from it only when a surrogate (a code point above U+FFFF) meets a code unit
 * in U+E000..U+FFFF, so only that case is adjusted.
 */
export function compareUtf8(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    let x = a.charCodeAt(i);
    let y = b.charCodeAt(i);
    if (x === y) continue;
    if (x >= 0xd800 && y >= 0xd800) {
      // Surrogates encode code points above U+FFFF, which sort after U+E000..U+FFFF in UTF-8:
      // move surrogates to the top of the range and U+E000..U+FFFF below them.
      x = x <= 0xdfff ? x + 0x2000 : x - 0x800;
      y = y <= 0xdfff ? y + 0x2000 : y - 0x800;
    }
    return x - y;
  }
  return a.length - b.length;
}

const byTagKey = (a: Tag, b: Tag): number => compareUtf8(a[0], b[0]);

/**
 * The canonical series key of a measurement and tags already sorted by key: escaped measurement,
 * then `,key=value` per tag, escaped as line protocol.
 */
export function seriesKey(measurement: string, sortedTags: readonly Tag[]): string {
  let key = escapeMeasurement(measurement);
  for (const [k, v] of sortedTags) key += `,${escapeTag(k)}=${escapeTag(v)}`;
  return key;
}

/**
 * Builds a `Series` from a measurement and tags in any order (unescaped text). Sorts the tags by
 * key; the caller guarantees keys are unique and values non-empty (as the parser does).
 */
export function makeSeries(measurement: string, tags: readonly Tag[]): Series {
  const sorted = tags.slice().sort(byTagKey);
  return { measurement, tags: sorted, key: seriesKey(measurement, sorted) };
}
