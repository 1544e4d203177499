import { formatRfc3339Nano } from '../../core/time.js';
import type { ColumnData } from '../execute/column.js';
import type { Table } from '../execute/table.js';
import type { ChunkBuffer } from './chunk-buffer.js';
import { formatCell } from './format-cell.js';
import { writeFloatCell, writeInt64Cell, writeUint64Cell } from './number-cell-bytes.js';
import { StringCellWriter } from './string-cell-writer.js';
import { TimeCellWriter, int32Halves } from './time-cell-writer.js';

/** What a varying cell is, for the row loop's switch. */
const Kind = { Float: 0, Time: 1, Int64: 2, Uint64: 3, Bool: 4, String: 5 } as const;
type Kind = (typeof Kind)[keyof typeof Kind];

const TRUE = Buffer.from('true');
const FALSE = Buffer.from('false');
const CRLF = '\r\n';

/**
 * Writes the data rows of one table as annotated-CSV bytes. A row is planned once per table as
 * constant byte segments around the cells that vary: a column whose value is the same in every
 * row (the group key columns, and any other column that happens to be constant) is formatted once
 * and becomes part of a segment with its delimiters, so an aggregateWindow row costs one time,
 * one float and three copies. Each row is written whole into the ChunkBuffer (it never straddles
 * two chunks), so a chunk always ends at a row boundary, which is also a UTF-8 boundary.
 */
export class TableRowsWriter {
  readonly #delimiter: string;
  readonly #strings: StringCellWriter;

  constructor(delimiter: string) {
    this.#delimiter = delimiter;
    this.#strings = new StringCellWriter(delimiter);
  }

  /**
   * Writes every row of `table`, each starting with `prefix` (the annotation, result and table
   * cells, already CSV-escaped, without a trailing delimiter). After each row, when `out` holds
   * `flushBytes` or more, awaits `flush()` (which takes the chunk).
   */
  async write(table: Table, prefix: string, out: ChunkBuffer, flushBytes: number, flush: () => Promise<void> | void): Promise<void> {
    const n = table.length;
    if (n === 0) return;
    const d = this.#delimiter;
    const segments: Uint8Array[] = [];
    const varying: ColumnData[] = [];
    let text = prefix;
    for (const col of table.columns) {
      text += d;
      if (isConstant(col, n)) text += this.#cellText(col);
      else {
        segments.push(Buffer.from(text, 'utf8'));
        varying.push(col);
        text = '';
      }
    }
    segments.push(Buffer.from(text + CRLF, 'utf8'));

    const kinds = varying.map(kindOf);
    const halves = varying.map((c) => (c.type === 'time' || c.type === 'int' || c.type === 'duration' || c.type === 'uint' ? int32Halves(c.values) : null));
    const times = varying.map(() => new TimeCellWriter());
    const strings = varying.map((c) => (c.type === 'string' ? new StringCellWriter(d) : this.#strings));
    const nv = varying.length;
    for (let i = 0; i < n; i++) {
      out.bytes(segments[0]!);
      for (let c = 0; c < nv; c++) {
        const col = varying[c]!;
        const valid = col.valid;
        if (valid === null || (valid[i >>> 3]! & (1 << (i & 7))) !== 0) {
          switch (kinds[c]!) {
            case Kind.Float:
              writeFloatCell(out, (col.values as Float64Array)[i]!);
              break;
            case Kind.Time:
              times[c]!.write(out, col.values as BigInt64Array, halves[c]!, i);
              break;
            case Kind.Int64:
              writeInt64Cell(out, col.values as BigInt64Array, halves[c]!, i);
              break;
            case Kind.Uint64:
              writeUint64Cell(out, col.values as BigUint64Array, halves[c]!, i);
              break;
            case Kind.Bool:
              out.bytes((col.values as Uint8Array)[i] === 1 ? TRUE : FALSE);
              break;
            case Kind.String:
              strings[c]!.write(out, (col.values as readonly string[])[i]!);
              break;
          }
        }
        out.bytes(segments[c + 1]!);
      }
      if (out.pos >= flushBytes) await flush();
    }
  }

  /** The escaped text of row 0 of a column, for a segment. */
  #cellText(col: ColumnData): string {
    if (col.valid !== null && (col.valid[0]! & 1) === 0) return '';
    if (col.type === 'string') return this.#strings.cellText(col.values[0]!);
    if (col.type === 'time') return formatRfc3339Nano(col.values[0]!);
    return formatCell(col, 0);
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

/**
 * Whether every one of the first `n` rows of `col` formats as row 0 does: same validity and the
 * same value (floats compared so that 0 and -0 differ, as their text does; NaN never equals, which
 * only costs the shortcut). Stops at the first difference, so a varying column costs a few reads.
 */
export function isConstant(col: ColumnData, n: number): boolean {
  const valid = col.valid;
  if (valid !== null) {
    const v0 = valid[0]! & 1;
    for (let i = 1; i < n; i++) if (((valid[i >>> 3]! >>> (i & 7)) & 1) !== v0) return false;
    if (v0 === 0) return true;
  }
  switch (col.type) {
    case 'float': {
      const vals = col.values;
      const x = vals[0]!;
      const inv = 1 / x;
      for (let i = 1; i < n; i++) {
        const y = vals[i]!;
        if (y !== x || (y === 0 && 1 / y !== inv)) return false;
      }
      return true;
    }
    case 'time':
    case 'int':
    case 'duration':
    case 'uint': {
      const h = int32Halves(col.values);
      if (h === null) {
        const x = col.values[0]!;
        for (let i = 1; i < n; i++) if (col.values[i] !== x) return false;
        return true;
      }
      const lo = h[0]!;
      const hi = h[1]!;
      for (let i = 1; i < n; i++) if (h[2 * i] !== lo || h[2 * i + 1] !== hi) return false;
      return true;
    }
    case 'bool': {
      const vals = col.values;
      const x = vals[0]!;
      for (let i = 1; i < n; i++) if (vals[i] !== x) return false;
      return true;
    }
    case 'string': {
      const vals = col.values;
      const x = vals[0]!;
      for (let i = 1; i < n; i++) if (vals[i] !== x) return false;
      return true;
    }
  }
}
