/**
 * A reader for Flux's annotated CSV (reference §3): tables of string cells, one block per header.
 * Enough for the benchmark's answer checks; not a full Flux result decoder (no typed values).
 */
export interface CsvBlock {
  /** The `#datatype` annotation of the block, if the response carried annotations. */
  datatypes: string[] | undefined;
  header: string[];
  rows: string[][];
}

/**
 * RFC 4180 records (quotes, doubled quotes, CR LF or LF line ends). A blank line is an empty
 * record (`[]`), since blank lines separate results in annotated CSV.
 */
export function parseCsvRecords(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let cell = '';
  // `pending`: the record has a cell still to push (after a comma or any content);
  // `atCellStart`: nothing of the current cell read yet, so a quote opens a quoted cell.
  let pending = false;
  let atCellStart = true;
  let i = 0;
  const n = text.length;
  const endRecord = (): void => {
    if (pending) record.push(cell);
    records.push(record);
    record = [];
    cell = '';
    pending = false;
    atCellStart = true;
  };
  while (i < n) {
    const ch = text.charCodeAt(i);
    if (ch === 0x22 /* " */ && atCellStart) {
      // Quoted cell: up to the closing quote; "" is a quote.
      pending = true;
      atCellStart = false;
      i++;
      while (i < n) {
        const q = text.indexOf('"', i);
        if (q < 0) throw new Error('annotated CSV: unterminated quoted cell');
        cell += text.slice(i, q);
        if (text.charCodeAt(q + 1) === 0x22) {
          cell += '"';
          i = q + 2;
        } else {
          i = q + 1;
          break;
        }
      }
    } else if (ch === 0x2c /* , */) {
      record.push(cell);
      cell = '';
      pending = true;
      atCellStart = true;
      i++;
    } else if (ch === 0x0d /* \r */ && text.charCodeAt(i + 1) === 0x0a) {
      endRecord();
      i += 2;
    } else if (ch === 0x0a) {
      endRecord();
      i++;
    } else {
      // Plain run up to the next delimiter or line end.
      let j = i;
      while (j < n) {
        const c = text.charCodeAt(j);
        if (c === 0x2c || c === 0x0a || c === 0x0d) break;
        j++;
      }
      if (j === i) j++; // a lone \r
      cell += text.slice(i, j);
      pending = true;
      atCellStart = false;
      i = j;
    }
  }
  if (pending) endRecord();
  return records;
}

/**
 * Splits a response into blocks. A header is the first non-annotation record at the start, after
 * a blank line, or after annotation rows; InfluxDB starts a new block whenever the schema changes.
 * An error table (a header with `error` and `reference`, reference §3) becomes a thrown Error.
 */
export function parseAnnotatedCsv(text: string): CsvBlock[] {
  const blocks: CsvBlock[] = [];
  let current: CsvBlock | undefined;
  let datatypes: string[] | undefined;
  let expectHeader = true;
  for (const record of parseCsvRecords(text)) {
    if (record.length === 0) {
      expectHeader = true;
      datatypes = undefined;
      continue;
    }
    const first = record[0]!;
    if (first.startsWith('#')) {
      if (first === '#datatype') datatypes = record;
      expectHeader = true;
      continue;
    }
    if (expectHeader) {
      current = { datatypes, header: record, rows: [] };
      blocks.push(current);
      expectHeader = false;
      continue;
    }
    current!.rows.push(record);
  }
  for (const block of blocks) {
    const errorAt = block.header.indexOf('error');
    if (errorAt >= 0 && block.header.includes('reference') && block.rows.length > 0) {
      throw new Error(`Flux error table: ${block.rows[0]![errorAt] ?? ''}`);
    }
  }
  return blocks;
}
