/** One table of a Flux result, as decoded from annotated CSV (all cells kept as text). */
export interface ResultTable {
  result: string;
  table: string;
  columns: { name: string; datatype: string; group: boolean }[];
  rows: string[][];
}

/**
 * Decodes the annotated CSV of `/api/v2/query` (with `#datatype`, `#group`, `#default`
 * annotations and header rows) into its tables. A new table starts at each change of the
 * `table` column and at each annotation block. Quoted cells may contain commas, quotes and
 * newlines. An `error,reference` table (a mid-stream error) is returned like any other.
 */
export function decodeAnnotatedCsv(text: string): ResultTable[] {
  const tables: ResultTable[] = [];
  let datatypes: string[] = [];
  let groups: string[] = [];
  let defaults: string[] = [];
  let header: string[] | undefined;
  let current: ResultTable | undefined;
  for (const record of csvRecords(text)) {
    if (record.length === 1 && record[0] === '') {
      header = undefined;
      current = undefined;
      continue;
    }
    const first = record[0]!;
    if (first.startsWith('#')) {
      if (header !== undefined) {
        header = undefined;
        current = undefined;
        datatypes = [];
        groups = [];
        defaults = [];
      }
      if (first === '#datatype') datatypes = record;
      else if (first === '#group') groups = record;
      else if (first === '#default') defaults = record;
      continue;
    }
    if (header === undefined) {
      header = record;
      continue;
    }
    const h = header;
    const row = record.map((cell, i) => (cell === '' ? (defaults[i] ?? '') : cell));
    const col = (name: string): string => row[h.indexOf(name)] ?? '';
    if (current === undefined || (h.includes('table') && col('table') !== current.table)) {
      current = {
        result: col('result'),
        table: col('table'),
        columns: h.map((name, i) => ({ name, datatype: datatypes[i] ?? 'string', group: groups[i] === 'true' })),
        rows: [],
      };
      tables.push(current);
    }
    current.rows.push(row);
  }
  return tables;
}

/** RFC 4180 records of a whole text (quoted cells may span lines; CRLF or LF). */
export function* csvRecords(text: string): Generator<string[]> {
  let i = 0;
  const n = text.length;
  while (i < n) {
    const record: string[] = [];
    for (;;) {
      let cell = '';
      if (text[i] === '"') {
        i++;
        for (;;) {
          const q = text.indexOf('"', i);
          if (q < 0) {
            cell += text.slice(i);
            i = n;
            break;
          }
          cell += text.slice(i, q);
          if (text[q + 1] === '"') {
            cell += '"';
            i = q + 2;
          } else {
            i = q + 1;
            break;
          }
        }
      }
      while (i < n && text[i] !== ',' && text[i] !== '\n' && text[i] !== '\r') cell += text[i++];
      record.push(cell);
      if (text[i] === ',') {
        i++;
        continue;
      }
      if (text[i] === '\r') i++;
      if (text[i] === '\n') i++;
      break;
    }
    yield record;
  }
}

/** A cell as JSON: numbers for double/long/unsignedLong, booleans, null for empty; else text. */
export function typedCell(datatype: string, text: string): unknown {
  if (text === '') return null;
  switch (datatype) {
    case 'double':
      return text === '+Inf' ? 'Infinity' : text === '-Inf' ? '-Infinity' : Number(text);
    case 'long':
    case 'unsignedLong': {
      const n = Number(text);
      // Beyond 2^53 a JSON number would silently lose digits: keep the exact text.
      return Number.isSafeInteger(n) ? n : text;
    }
    case 'boolean':
      return text === 'true';
    default:
      return text;
  }
}
