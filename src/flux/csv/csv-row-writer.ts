/**
 * Writes CSV rows exactly as Go's `encoding/csv` Writer with `UseCRLF` (what Flux's encoder
 * uses): CRLF after every row; a cell is quoted when it contains the delimiter, `"`, `\r` or
 * `\n`, starts with a Unicode white-space character, or is exactly `\.`; inside quotes `"` is
 * doubled, `\n` is written as CRLF and a bare `\r` is dropped (Go's CRLF mode does that).
 */
export class CsvRowWriter {
  readonly delimiter: string;
  readonly #special: RegExp;

  constructor(delimiter = ',') {
    this.delimiter = delimiter;
    const d = delimiter.replace(/[\\\]^-]/g, '\\$&');
    this.#special = new RegExp(`[${d}"\\r\\n]`);
  }

  /** One row, CRLF-terminated. An empty list writes an empty line. */
  row(cells: readonly string[]): string {
    let out = '';
    for (let i = 0; i < cells.length; i++) {
      if (i > 0) out += this.delimiter;
      out += this.cell(cells[i]!);
    }
    return `${out}\r\n`;
  }

  cell(field: string): string {
    if (!this.#needsQuotes(field)) return field;
    let out = '"';
    for (let i = 0; i < field.length; i++) {
      const c = field[i]!;
      if (c === '"') out += '""';
      else if (c === '\n') out += '\r\n';
      else if (c !== '\r') out += c;
    }
    return `${out}"`;
  }

  #needsQuotes(field: string): boolean {
    if (field === '') return false;
    if (field === '\\.') return true;
    return this.#special.test(field) || GO_SPACE.test(field);
  }
}

/** A first character Go's `unicode.IsSpace` accepts. */
const GO_SPACE = /^[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]/;
