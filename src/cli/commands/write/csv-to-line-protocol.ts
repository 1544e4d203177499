import { invalid } from '../../../core/errors.js';
import { parseRfc3339Ns } from '../../../core/time.js';
import { escapeFieldKey, escapeMeasurement, escapeStringValue, escapeTag } from '../../../lineprotocol/index.js';

/**
 * Converts CSV to line protocol as `influx write` does for annotated CSV (the subset in use):
 *
 * - a `#datatype` annotation (either `#datatype measurement,tag,...` as in the docs' extended
 *   form, or query-output form with an empty first annotation column) types each column:
 *   `measurement`, `tag`, `field`, `double`, `long`, `unsignedLong`, `boolean`, `string`,
 *   `dateTime[:RFC3339|:RFC3339Nano|:number]`, `ignored`;
 * - header cells may carry the type themselves: `host|tag`, `time|dateTime:RFC3339`;
 * - `#constant <type>,<name>,<value>` adds a column value to every row;
 * - untyped columns: `_measurement`, `_time`, `_field` + `_value` are recognized by name (query
 *   output); `result`, `table`, `_start`, `_stop` are dropped; with a `_field`/`_value` pair the
 *   other columns are tags, otherwise they are fields (numbers as double, else string).
 *
 * Timestamps come out in nanoseconds; `dateTime:number` values are scaled by `precisionNs`.
 * One CSV record per line: quoted fields may contain commas and `""`, but not newlines.
 */
export class CsvToLineProtocol {
  private types: string[] | undefined;
  private header: Column[] | undefined;
  private readonly constants: { type: string; name: string; value: string }[] = [];

  constructor(private readonly precisionNs: bigint) {}

  /**
   * One CSV line in; resolves to a line of line protocol, or null when the line produced none
   * (annotation, header, blank). Throws `invalid` with the reason for a row it cannot convert.
   */
  convert(line: string): string | null {
    if (line.trim() === '') {
      // A blank line ends a table in annotated CSV: the next one brings its own header.
      this.header = undefined;
      return null;
    }
    const cells = splitCsvRow(line);
    const first = cells[0] ?? '';
    if (first.startsWith('#')) {
      this.annotation(first, cells);
      return null;
    }
    if (this.header === undefined) {
      this.header = this.makeHeader(cells);
      return null;
    }
    return this.row(this.header, cells);
  }

  private annotation(first: string, cells: string[]): void {
    const [name, inline] = splitOnce(first, ' ');
    if (name === '#datatype') {
      this.types = inline === undefined ? cells.slice(1) : [inline, ...cells.slice(1)];
      // Query-output form keeps an empty annotation column; track it so indexes line up.
      if (inline === undefined) this.types = ['ignored', ...this.types];
      this.header = undefined;
    } else if (name === '#constant') {
      const rest = inline === undefined ? cells.slice(1) : [inline, ...cells.slice(1)];
      const [type, colName, value] = rest;
      if (type === undefined || colName === undefined) throw invalid(`#constant needs a type and a name: ${first}`);
      this.constants.push(value === undefined ? { type, name: type, value: colName } : { type, name: colName, value });
    }
    // Other annotations (#group, #default, #timezone, #concat) do not change the conversion here.
  }

  private makeHeader(cells: string[]): Column[] {
    const names = cells.map((c) => splitOnce(c, '|')[0]);
    const hasFieldValue = names.includes('_field') && names.includes('_value');
    return cells.map((cell, i) => {
      const [name, inlineType] = splitOnce(cell, '|');
      const declared = inlineType ?? this.types?.[i];
      return { name, type: columnType(name, declared, hasFieldValue), ...(declared === undefined ? {} : { valueType: declared }) };
    });
  }

  private row(header: Column[], cells: string[]): string {
    let measurement: string | undefined;
    let timeNs: bigint | undefined;
    let fieldName: string | undefined;
    let fieldValue: { type: string; text: string } | undefined;
    const tags: [string, string][] = [];
    const fields: string[] = [];
    const apply = (col: Column, text: string): void => {
      switch (col.type) {
        case 'ignored':
          return;
        case 'measurement':
          measurement = text;
          return;
        case 'tag':
          if (text !== '') tags.push([col.name, text]);
          return;
        case 'fieldName':
          fieldName = text;
          return;
        case 'fieldValue':
          fieldValue = { type: col.valueType ?? 'infer', text };
          return;
        default:
          if (col.type.startsWith('dateTime')) {
            if (text !== '') timeNs = this.time(col.type, text);
            return;
          }
          if (text !== '') fields.push(`${escapeFieldKey(col.name)}=${fieldText(col.type, text, col.name)}`);
      }
    };
    header.forEach((col, i) => apply(col, cells[i] ?? ''));
    for (const c of this.constants) apply({ name: c.name, type: columnType(c.name, c.type, false) }, c.value);
    if (fieldName !== undefined && fieldValue !== undefined && fieldValue.text !== '') {
      fields.push(`${escapeFieldKey(fieldName)}=${fieldText(fieldValue.type, fieldValue.text, fieldName)}`);
    }
    if (measurement === undefined || measurement === '') throw invalid('no measurement column found');
    if (fields.length === 0) throw invalid('no field data found');
    tags.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    const key = escapeMeasurement(measurement) + tags.map(([k, v]) => `,${escapeTag(k)}=${escapeTag(v)}`).join('');
    return `${key} ${fields.join(',')}${timeNs === undefined ? '' : ` ${timeNs}`}`;
  }

  private time(type: string, text: string): bigint {
    if (type === 'dateTime:number' || (type === 'dateTime' && /^-?\d+$/.test(text))) {
      if (!/^-?\d+$/.test(text)) throw invalid(`'${text}' cannot fit into dateTime:number`);
      return BigInt(text) * this.precisionNs;
    }
    return parseRfc3339Ns(text);
  }
}

interface Column {
  name: string;
  /** measurement, tag, fieldName, fieldValue, ignored, dateTime*, or a field value type. */
  type: string;
  valueType?: string;
}

const DROPPED = new Set(['result', 'table', '_start', '_stop', '']);

function columnType(name: string, declared: string | undefined, hasFieldValue: boolean): string {
  if (hasFieldValue && name === '_field') return 'fieldName';
  if (hasFieldValue && name === '_value') return 'fieldValue';
  if (DROPPED.has(name)) return 'ignored';
  if (declared !== undefined && declared !== '') {
    if (name === '_measurement' && declared === 'string') return 'measurement';
    if (name === '_time') return declared.startsWith('dateTime') ? declared : 'dateTime';
    if (hasFieldValue && declared === 'string') return 'tag';
    return declared;
  }
  if (name === '_measurement') return 'measurement';
  if (name === '_time' || name === 'time') return 'dateTime';
  return hasFieldValue ? 'tag' : 'infer';
}

/** A field value in line protocol for a CSV cell of `type`. */
function fieldText(type: string, text: string, name: string): string {
  switch (type) {
    case 'double': {
      const n = Number(text);
      if (text.trim() === '' || Number.isNaN(n)) throw invalid(`'${text}' cannot fit into double (column ${name})`);
      return text.trim();
    }
    case 'long':
      if (!/^-?\d+$/.test(text.trim())) throw invalid(`'${text}' cannot fit into long (column ${name})`);
      return `${text.trim()}i`;
    case 'unsignedLong':
      if (!/^\d+$/.test(text.trim())) throw invalid(`'${text}' cannot fit into unsignedLong (column ${name})`);
      return `${text.trim()}u`;
    case 'boolean':
      if (!/^(true|false|t|f|TRUE|FALSE|True|False|T|F|1|0)$/.test(text.trim())) throw invalid(`'${text}' cannot fit into boolean (column ${name})`);
      return /^(true|t|1)$/i.test(text.trim()) ? 'true' : 'false';
    case 'string':
      return `"${escapeStringValue(text)}"`;
    case 'field':
    case 'infer':
      return text.trim() !== '' && Number.isFinite(Number(text)) ? text.trim() : `"${escapeStringValue(text)}"`;
    default:
      throw invalid(`unsupported column type "${type}" (column ${name})`);
  }
}

function splitOnce(s: string, sep: string): [string, string | undefined] {
  const i = s.indexOf(sep);
  return i < 0 ? [s, undefined] : [s.slice(0, i), s.slice(i + sep.length)];
}

/** RFC 4180 cells of one row: quoted cells may hold commas and doubled quotes. */
export function splitCsvRow(line: string): string[] {
  const text = line.endsWith('\r') ? line.slice(0, -1) : line;
  const cells: string[] = [];
  let i = 0;
  for (;;) {
    if (text[i] === '"') {
      let value = '';
      i++;
      for (;;) {
        const q = text.indexOf('"', i);
        if (q < 0) throw invalid('unterminated quoted CSV cell');
        value += text.slice(i, q);
        if (text[q + 1] === '"') {
          value += '"';
          i = q + 2;
        } else {
          i = q + 1;
          break;
        }
      }
      cells.push(value);
    } else {
      const c = text.indexOf(',', i);
      cells.push(text.slice(i, c < 0 ? text.length : c));
      i = c < 0 ? text.length : c;
    }
    if (i >= text.length) return cells;
    if (text[i] !== ',') throw invalid('unexpected character after a quoted CSV cell');
    i++;
  }
}
