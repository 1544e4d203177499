import type { FieldSchema, Series, Tag } from '../../lineprotocol/point.js';
import type { Predicate } from '../storage.js';
import { Bitset } from './bitset.js';

/** A measurement + tag set (one line-protocol series key), with its fields. */
export interface SeriesEntry {
  readonly key: string;
  readonly measurement: string;
  readonly tags: readonly Tag[];
  readonly fields: Map<string, FieldSeries>;
  /**
   * Write-path cache: the FieldSeries for each key of the last FieldSchema seen with this series.
   * The parser interns schemas, so a repeat schema is recognised by identity.
   */
  lastSchema: FieldSchema | undefined;
  lastSchemaFields: FieldSeries[];
  /**
   * Write-path cache owned by the head (head-appender.ts): the head columns of the last
   * (head, schema) this series was appended to, so a repeat costs no per-field map look-ups.
   */
  appendCache: { head: object; schema: FieldSchema; columns: unknown[] } | undefined;
}

/** The unit of storage: measurement + tags + field. `id` is dense per bucket, from 0. */
export interface FieldSeries {
  readonly id: number;
  readonly entry: SeriesEntry;
  readonly field: string;
  /** Stable identity across restarts and in block files: series key + NUL + field key. */
  readonly storageKey: string;
}

export const MEASUREMENT_KEY = '_measurement';
export const FIELD_KEY = '_field';

/**
 * The series index of one bucket: series key → series; (series, field) → field series id; and an
 * inverted index (tag key, tag value) → field series ids, which also holds `_measurement` and
 * `_field`, so predicates are answered with bitset operations without touching data.
 *
 * Ids are assigned in creation order and never reused; postings lists are therefore ascending.
 */
export class SeriesIndex {
  private readonly bySeriesKey = new Map<string, SeriesEntry>();
  private readonly byStorageKey = new Map<string, FieldSeries>();
  private readonly fieldSeriesById: FieldSeries[] = [];
  /** tag key → tag value → ascending field series ids. */
  private readonly postings = new Map<string, Map<string, number[]>>();

  get size(): number {
    return this.fieldSeriesById.length;
  }

  byId(id: number): FieldSeries {
    return this.fieldSeriesById[id]!;
  }

  byKey(storageKey: string): FieldSeries | undefined {
    return this.byStorageKey.get(storageKey);
  }

  /** Drops every series' append cache (after a flush froze the heads they point into). */
  clearAppendCaches(): void {
    for (const e of this.bySeriesKey.values()) e.appendCache = undefined;
  }

  /** Looks a series up by its interned key, creating it on first sight. */
  series(s: Series): SeriesEntry {
    let e = this.bySeriesKey.get(s.key);
    if (e === undefined) {
      e = { key: s.key, measurement: s.measurement, tags: s.tags, fields: new Map(), lastSchema: undefined, lastSchemaFields: [], appendCache: undefined };
      this.bySeriesKey.set(s.key, e);
    }
    return e;
  }

  field(e: SeriesEntry, field: string): FieldSeries {
    let fs = e.fields.get(field);
    if (fs === undefined) {
      fs = { id: this.fieldSeriesById.length, entry: e, field, storageKey: `${e.key}\u0000${field}` };
      e.fields.set(field, fs);
      this.fieldSeriesById.push(fs);
      this.byStorageKey.set(fs.storageKey, fs);
      this.post(MEASUREMENT_KEY, e.measurement, fs.id);
      this.post(FIELD_KEY, field, fs.id);
      for (const [k, v] of e.tags) this.post(k, v, fs.id);
    }
    return fs;
  }

  /** The field series of every key of `schema`, in schema order (cached per series). */
  fieldsOf(e: SeriesEntry, schema: FieldSchema): FieldSeries[] {
    if (e.lastSchema === schema) return e.lastSchemaFields;
    const out = schema.keys.map((k) => this.field(e, k));
    e.lastSchema = schema;
    e.lastSchemaFields = out;
    return out;
  }

  /** Field series ids matching `predicate` (all when undefined). */
  select(predicate: Predicate | undefined): Bitset {
    if (predicate === undefined) return Bitset.full(this.size);
    return this.evaluate(predicate);
  }

  private evaluate(p: Predicate): Bitset {
    const n = this.size;
    switch (p.kind) {
      case 'true':
        return Bitset.full(n);
      case 'and':
        return this.evaluate(p.left).and(this.evaluate(p.right));
      case 'or':
        return this.evaluate(p.left).or(this.evaluate(p.right));
      case 'not':
        return this.evaluate(p.operand).not();
      case 'compare': {
        const eq = p.value === '' ? this.missing(p.key) : Bitset.of(n, this.postings.get(p.key)?.get(p.value) ?? []);
        return p.op === '==' ? eq : eq.not();
      }
      case 'regex': {
        const re = p.pattern;
        let m = new Bitset(n);
        const values = this.postings.get(p.key);
        if (values !== undefined) {
          for (const [v, ids] of values) {
            re.lastIndex = 0;
            if (re.test(v)) for (const id of ids) m.add(id);
          }
        }
        re.lastIndex = 0;
        if (re.test('')) m = m.or(this.missing(p.key));
        return p.op === '=~' ? m : m.not();
      }
    }
  }

  /** Field series without tag `key` (a missing tag compares as ""). */
  private missing(key: string): Bitset {
    const present = new Bitset(this.size);
    const values = this.postings.get(key);
    if (values !== undefined) for (const ids of values.values()) for (const id of ids) present.add(id);
    return present.not();
  }

  private post(key: string, value: string, id: number): void {
    let values = this.postings.get(key);
    if (values === undefined) {
      values = new Map();
      this.postings.set(key, values);
    }
    const ids = values.get(value);
    if (ids === undefined) values.set(value, [id]);
    else ids.push(id);
  }
}

/** Evaluates `predicate` against one field series directly (for tombstones). */
export function matchesPredicate(p: Predicate | undefined, fs: FieldSeries): boolean {
  if (p === undefined) return true;
  switch (p.kind) {
    case 'true':
      return true;
    case 'and':
      return matchesPredicate(p.left, fs) && matchesPredicate(p.right, fs);
    case 'or':
      return matchesPredicate(p.left, fs) || matchesPredicate(p.right, fs);
    case 'not':
      return !matchesPredicate(p.operand, fs);
    case 'compare': {
      const eq = valueOf(fs, p.key) === p.value;
      return p.op === '==' ? eq : !eq;
    }
    case 'regex': {
      p.pattern.lastIndex = 0;
      const m = p.pattern.test(valueOf(fs, p.key));
      return p.op === '=~' ? m : !m;
    }
  }
}

function valueOf(fs: FieldSeries, key: string): string {
  if (key === MEASUREMENT_KEY) return fs.entry.measurement;
  if (key === FIELD_KEY) return fs.field;
  for (const [k, v] of fs.entry.tags) if (k === key) return v;
  return '';
}
