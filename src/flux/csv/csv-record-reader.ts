/** One CSV record and the 1-based line it starts on (for error messages). */
export interface CsvRecord {
  readonly cells: readonly string[];
  readonly line: number;
}

/**
 * Splits CSV text into records the way Go's `encoding/csv` Reader does with `LazyQuotes` and
 * `FieldsPerRecord = -1` (Flux's decoder settings): empty lines are skipped; CRLF and LF both end
 * a record; a quoted field may span lines (its CRLFs read as LF) and `""` inside it is `"`; a `"`
 * inside an unquoted field, or not followed by the delimiter / end of line inside a quoted
 * field, is taken literally; an unterminated quoted field runs to the end of the text.
 */
export function readCsvRecords(text: string, delimiter = ','): CsvRecord[] {
  const records: CsvRecord[] = [];
  const n = text.length;
  let pos = 0;
  let line = 1;
  while (pos < n) {
    // Skip empty lines.
    if (text[pos] === '\n') {
      pos++;
      line++;
      continue;
    }
    if (text[pos] === '\r' && text[pos + 1] === '\n') {
      pos += 2;
      line++;
      continue;
    }
    const startLine = line;
    const cells: string[] = [];
    for (;;) {
      if (text[pos] === '"') {
        // Quoted field.
        pos++;
        let field = '';
        for (;;) {
          const q = text.indexOf('"', pos);
          const chunk = q < 0 ? text.slice(pos) : text.slice(pos, q);
          field += chunk;
          line += countNewlines(chunk);
          if (q < 0) {
            pos = n;
            break;
          }
          pos = q + 1;
          const next = text[pos];
          if (next === '"') {
            field += '"';
            pos++;
          } else if (next === delimiter || next === '\n' || next === undefined || (next === '\r' && text[pos + 1] === '\n')) {
            break;
          } else {
            field += '"'; // lazy quote
          }
        }
        cells.push(field.replace(/\r\n/g, '\n'));
      } else {
        let end = pos;
        while (end < n && text[end] !== delimiter && text[end] !== '\n') end++;
        let field = text.slice(pos, end);
        if (end < n && text[end] === '\n' && field.endsWith('\r')) field = field.slice(0, -1);
        else if (end === n && field.endsWith('\r')) field = field.slice(0, -1);
        cells.push(field);
        pos = end;
      }
      // After a field: delimiter (another field follows), end of line, or end of text.
      if (pos < n && text[pos] === delimiter) {
        pos++;
        continue;
      }
      if (text[pos] === '\r' && text[pos + 1] === '\n') pos++;
      if (pos < n && text[pos] === '\n') {
        pos++;
        line++;
      }
      break;
    }
    records.push({ cells, line: startLine });
  }
  return records;
}

function countNewlines(s: string): number {
  let k = 0;
  for (let i = s.indexOf('\n'); i >= 0; i = s.indexOf('\n', i + 1)) k++;
  return k;
}
