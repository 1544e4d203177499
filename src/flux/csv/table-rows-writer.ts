import { formatRfc3339Nano } from '../../core/time.js';
import { isConstant, knownConstant, type ColumnData } from '../execute/column.js';
import type { Table } from '../execute/table.js';
import type { ColumnType } from '../values/mono-type.js';
import type { ChunkBuffer } from './chunk-buffer.js';
import { formatCell } from './format-cell.js';
import { writeFloatCell, writeInt64Cell, writeUint64Cell } from './number-cell-bytes.js';
import { StringCellWriter } from './string-cell-writer.js';
import { TimeCellWriter, int32Halves } from './time-cell-writer.js';
import { TimeColumnText } from './time-column-text.js';

/** What a varying cell is, for the row loop's switch. */
const Kind = { Float: 0, Time: 1, Int64: 2, Uint64: 3, Bool: 4, String: 5 } as const;
type Kind = (typeof Kind)[keyof typeof Kind];

const EMPTY_F64 = new Float64Array(0);
const EMPTY_I64 = new BigInt64Array(0);
const EMPTY_U64 = new BigUint64Array(0);
const EMPTY_U8 = new Uint8Array(0);
const EMPTY_STRINGS: readonly string[] = [];
const TRUE = Buffer.from('true');
const FALSE = Buffer.from('false');
const CRLF = '\r\n';

/** How the rows of one table are written: a whole constant row, or segments and varying columns. */
interface RowPlan {
  readonly n: number;
  /** Set when every column is constant: each row is this text. */
  readonly rowText: string | undefined;
  /** Constant bytes before, between and after the varying cells (nv + 1 of them). */
  readonly segments: readonly Uint8Array[];
  /** The last segment then the first: from one row's last varying cell to the next row's first. */
  readonly join: Uint8Array | undefined;
  readonly kinds: readonly Kind[];
  readonly valids: readonly (Uint8Array | null)[];
  readonly floats: readonly Float64Array[];
  readonly int64s: readonly BigInt64Array[];
  readonly uint64s: readonly BigUint64Array[];
  readonly bytes: readonly Uint8Array[];
  readonly texts: readonly (readonly string[])[];
  readonly halves: readonly (Int32Array | null)[];
}

const NO_VARYING = { segments: [], kinds: [], valids: [], floats: [], int64s: [], uint64s: [], bytes: [], texts: [], halves: [] } as const;

/**
 * Writes the data rows of one table as annotated-CSV bytes. A row is planned once per table as
 * constant byte segments around the cells that vary: a column whose value is the same in every
 * row (the group key columns, and any other column found constant) is formatted once
 * and becomes part of a segment with its delimiters, so an aggregateWindow row costs one time,
 * one float and three copies. Each row is written whole into the ChunkBuffer (it never straddles
 * two chunks), so a chunk always ends at a row boundary, which is also a UTF-8 boundary.
 */
export class TableRowsWriter {
  readonly #delimiter: string;
  readonly #strings: StringCellWriter;
  /**
   * The writers of the i-th varying column of a table. Made with one element, so that the arrays
   * hold objects from the start: growing an empty literal turns its Smi elements kind into object
   * elements, which deoptimised #plan the first time it grew one after V8 had optimised it.
   */
  readonly #times: TimeCellWriter[] = [new TimeCellWriter()];
  readonly #stringCells: StringCellWriter[];
  /** The text of the `_time` column shared by consecutive tables (windowed aggregates). */
  readonly #timeText = new TimeColumnText();
  /** Per column position of the current schema: whether the column is in the group key. */
  #inKey: boolean[] = [];
  /** Per column position: the last constant value seen and its text. */
  readonly #memo: ({ type: ColumnType; raw: unknown; text: string } | undefined)[] = [];

  constructor(delimiter: string) {
    this.#delimiter = delimiter;
    this.#strings = new StringCellWriter(delimiter);
    this.#stringCells = [new StringCellWriter(delimiter)];
  }

  /**
   * Writes every row of `table`, each starting with `prefix` (the annotation, result and table
   * cells, already CSV-escaped, without a trailing delimiter). Whenever `out` holds `flushBytes`
   * or more after a row, awaits `flush()` (which takes the chunk) before the next row; returns
   * undefined when it never had to (then it ran synchronously: no promise per small table).
   * `sameSchema`: the table's columns and key columns are those of the previous call's table.
   */
  write(
    table: Table,
    prefix: string,
    out: ChunkBuffer,
    flushBytes: number,
    flush: () => Promise<void> | void,
    sameSchema: boolean,
  ): Promise<void> | undefined {
    if (!sameSchema) {
      // Which columns are in the key (kept while the schema stays the same, empty tables too).
      const keyCols = table.key.cols;
      this.#inKey = table.cols.map((c) => keyCols.some((k) => k.label === c.label));
    }
    const n = table.length;
    if (n === 0) return undefined;
    const plan = this.#plan(table, prefix, n);
    let i = this.#writeRows(plan, 0, out, flushBytes);
    if (i === n) return undefined;
    return (async () => {
      while (i < n) {
        await flush();
        i = this.#writeRows(plan, i, out, flushBytes);
      }
    })();
  }

  /** A table's row layout: constant segments around the varying columns' data. */
  #plan(table: Table, prefix: string, n: number): RowPlan {
    const d = this.#delimiter;
    const inKey = this.#inKey;
    const segments: Uint8Array[] = [];
    const varying: ColumnData[] = [];
    let text = prefix;
    for (let j = 0; j < table.columns.length; j++) {
      const col = table.columns[j]!;
      text += d;
      // A key column usually holds one value, but one decoded from annotated CSV may not (Flux
      // writes each row's own): only a column its maker marked constant goes unchecked.
      if (n === 1 || (inKey[j] === true && knownConstant(col)) || isConstant(col, n)) text += this.#constantText(j, col);
      else {
        segments.push(Buffer.from(text, 'utf8'));
        varying.push(col);
        text = '';
      }
    }
    text += CRLF;
    if (varying.length === 0) {
      // The same properties in the same order as below (one hidden class for both kinds of plan).
      const v = NO_VARYING;
      return {
        n,
        rowText: text,
        segments: v.segments,
        join: undefined,
        kinds: v.kinds,
        valids: v.valids,
        floats: v.floats,
        int64s: v.int64s,
        uint64s: v.uint64s,
        bytes: v.bytes,
        texts: v.texts,
        halves: v.halves,
      };
    }
    segments.push(Buffer.from(text, 'utf8'));
    const join = Buffer.concat([segments[segments.length - 1]!, segments[0]!]);
    // Per varying column, everything the row loop reads, pulled out of the column objects (whose
    // shapes differ by builder) so the loop's loads stay monomorphic.
    const nv = varying.length;
    // Kept from table to table: the next table's times are usually on the same day.
    while (this.#times.length < nv) this.#times.push(new TimeCellWriter());
    while (this.#stringCells.length < nv) this.#stringCells.push(new StringCellWriter(d));
    // Filled by push, not Array#map: the arrays map() makes before V8 optimises #plan and after
    // have different elements kinds (maps), which deoptimised the row loops reading them.
    const kinds: Kind[] = [];
    const valids: (Uint8Array | null)[] = [];
    const floats: Float64Array[] = [];
    const int64s: BigInt64Array[] = [];
    const uint64s: BigUint64Array[] = [];
    const bytes: Uint8Array[] = [];
    const texts: (readonly string[])[] = [];
    const halves: (Int32Array | null)[] = [];
    for (const c of varying) {
      kinds.push(kindOf(c));
      valids.push(c.valid);
      floats.push(c.type === 'float' ? c.values : EMPTY_F64);
      const int64 = c.type === 'time' || c.type === 'int' || c.type === 'duration';
      int64s.push(int64 ? c.values : EMPTY_I64);
      uint64s.push(c.type === 'uint' ? c.values : EMPTY_U64);
      bytes.push(c.type === 'bool' ? c.values : EMPTY_U8);
      texts.push(c.type === 'string' ? c.values : EMPTY_STRINGS);
      halves.push(int64 || c.type === 'uint' ? int32Halves(c.values) : null);
    }
    return { n, rowText: undefined, segments, join, kinds, valids, floats, int64s, uint64s, bytes, texts, halves };
  }

  /** Writes rows from `from` on; stops after a row that fills `out` to `flushBytes`. Returns the next row. */
  #writeRows(plan: RowPlan, from: number, out: ChunkBuffer, flushBytes: number): number {
    const n = plan.n;
    if (plan.rowText !== undefined) {
      for (let i = from; i < n; ) {
        out.utf8(plan.rowText);
        i++;
        if (out.pos >= flushBytes) return i;
      }
      return n;
    }
    const { segments, kinds, valids, floats, int64s, uint64s, bytes, texts, halves } = plan;
    const times = this.#times;
    const strings = this.#stringCells;
    const nv = kinds.length;
    const first = segments[0]!;
    const last = segments[nv]!;
    const lastLength = last.length;
    // A row's last segment and the next row's first are written as one copy (`join`), unless
    // the row is the last one of this call.
    const join = plan.join!;
    out.bytes(first);
    if (nv === 2 && kinds[0] === Kind.Time && kinds[1] === Kind.Float && valids[0] === null && valids[1] === null) {
      return this.#writeTimeFloatRows(plan, from, out, flushBytes);
    }
    for (let i = from; i < n; i++) {
      for (let c = 0; c < nv; c++) {
        const valid = valids[c]!;
        if (valid === null || (valid[i >>> 3]! & (1 << (i & 7))) !== 0) {
          switch (kinds[c]!) {
            case Kind.Float:
              writeFloatCell(out, floats[c]!, i);
              break;
            case Kind.Time:
              times[c]!.write(out, int64s[c]!, halves[c]!, i);
              break;
            case Kind.Int64:
              writeInt64Cell(out, int64s[c]!, halves[c]!, i);
              break;
            case Kind.Uint64:
              writeUint64Cell(out, uint64s[c]!, halves[c]!, i);
              break;
            case Kind.Bool:
              out.bytes(bytes[c]![i] === 1 ? TRUE : FALSE);
              break;
            case Kind.String:
              strings[c]!.write(out, texts[c]![i]!);
              break;
          }
        }
        if (c + 1 < nv) out.bytes(segments[c + 1]!);
      }
      if (i + 1 < n && out.pos + lastLength < flushBytes) out.bytes(join);
      else {
        out.bytes(last);
        if (out.pos >= flushBytes) return i + 1;
      }
    }
    return n;
  }

  /**
   * #writeRows for the shape of windowed aggregates and raw reads (only `_time` and `_value` vary,
   * a float without nulls): the same bytes, without the per-cell dispatch. `first` is written.
   */
  #writeTimeFloatRows(plan: RowPlan, from: number, out: ChunkBuffer, flushBytes: number): number {
    const n = plan.n;
    const segments = plan.segments;
    const middle = segments[1]!;
    const last = segments[2]!;
    const lastLength = last.length;
    const join = plan.join!;
    const time = this.#times[0]!;
    const times = plan.int64s[0]!;
    const halves = plan.halves[0]!;
    const floats = plan.floats[1]!;
    // A table's rows after a flush continue without the cache unless it was already built.
    const cached = from === 0 ? this.#timeText.of(times, n) : this.#timeText.built(times, n);
    if (cached !== undefined) return this.#writeCachedTimeFloatRows(plan, from, out, flushBytes, cached);
    for (let i = from; i < n; i++) {
      time.write(out, times, halves, i);
      out.bytes(middle);
      writeFloatCell(out, floats, i);
      if (i + 1 < n && out.pos + lastLength < flushBytes) out.bytes(join);
      else {
        out.bytes(last);
        if (out.pos >= flushBytes) return i + 1;
      }
    }
    return n;
  }

  /**
   * #writeTimeFloatRows when the `_time` cells' text is already formatted (`cached`): copied, not
   * formatted again.
   */
  #writeCachedTimeFloatRows(plan: RowPlan, from: number, out: ChunkBuffer, flushBytes: number, cached: TimeColumnText): number {
    const n = plan.n;
    const segments = plan.segments;
    const middle = segments[1]!;
    const middleLength = middle.length;
    const last = segments[2]!;
    const lastLength = last.length;
    const join = plan.join!;
    const floats = plan.floats[1]!;
    for (let i = from; i < n; i++) {
      cached.copyCell(out, i);
      out.ensure(middleLength);
      const buf = out.buf;
      let p = out.pos;
      for (let k = 0; k < middleLength; k++) buf[p++] = middle[k]!;
      out.pos = p;
      writeFloatCell(out, floats, i);
      if (i + 1 < n && out.pos + lastLength < flushBytes) out.bytes(join);
      else {
        out.bytes(last);
        if (out.pos >= flushBytes) return i + 1;
      }
    }
    return n;
  }

  /**
   * The escaped text of row 0 of column `j`, for a segment. The last value and text of each
   * column position are kept: consecutive tables usually share _start, _stop, _measurement and
   * most tags, and formatting a time or checking a string for quoting costs more than comparing.
   */
  #constantText(j: number, col: ColumnData): string {
    const valid = col.valid === null || (col.valid[0]! & 1) === 1;
    const raw = valid ? col.values[0]! : null;
    const memo = this.#memo[j];
    if (memo !== undefined && memo.type === col.type && Object.is(memo.raw, raw)) return memo.text;
    let text: string;
    if (!valid) text = '';
    else if (col.type === 'string') text = this.#strings.cellText(col.values[0]!);
    else if (col.type === 'time') text = formatRfc3339Nano(col.values[0]!);
    else text = formatCell(col, 0);
    this.#memo[j] = { type: col.type, raw, text };
    return text;
  }
}

function kindOf(col: ColumnData): Kind {
  switch (col.type) {
    case 'float':
      return Kind.Float;
    case 'time':
      return Kind.Time;
    case 'int':
    case 'duration':
      return Kind.Int64;
    case 'uint':
      return Kind.Uint64;
    case 'bool':
      return Kind.Bool;
    case 'string':
      return Kind.String;
  }
}
