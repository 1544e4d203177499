/**
 * Cuts a streamed annotated CSV response into self-contained pieces, one per table, so each can
 * be decoded on its own (src/flux/csv decodeAnnotatedCsv) while the rest is still arriving: a
 * remote read holds one table's text at a time, never the whole response.
 *
 * Each piece is the current block's annotation rows and header followed by the rows of one
 * table (a block without rows is a piece of its own: the decoder makes it one empty table, as
 * Flux's does). Tables are told apart the way the decoder does: a data row whose `table` cell is
 * non-empty and differs from the previous row's starts a new table. Records end at a newline
 * outside double quotes, so quoted cells may hold newlines and commas; blank lines separate
 * blocks and carry nothing.
 *
 * Contract: `push` text in order (any split, even inside a record), then `end()` once; each call
 * returns the pieces it completed, in order.
 */
export class CsvTableSplitter {
  /** Text not yet cut into records; starts at a record boundary. */
  #buf = '';
  /** Where scanning for the end of the first record in `#buf` resumes, and the quote state there. */
  #scan = 0;
  #inQuote = false;
  /** Annotation rows and header row of the current block. */
  #head: string[] = [];
  #headerSeen = false;
  /** Whether the current block produced a piece yet (an empty block still makes one). */
  #blockEmitted = false;
  #rows: string[] = [];
  #tableId = '';
  #out: string[] = [];

  push(text: string): string[] {
    const buf = this.#buf + text;
    let start = 0;
    let i = this.#scan;
    let inQuote = this.#inQuote;
    // Next quote at or after i (-1: none in the text), found once per quote rather than per record.
    let quote = -2;
    for (;;) {
      if (quote !== -1 && quote < i) quote = buf.indexOf('"', i);
      if (inQuote) {
        if (quote < 0) {
          i = buf.length;
          break;
        }
        inQuote = false;
        i = quote + 1;
        continue;
      }
      const nl = buf.indexOf('\n', i);
      if (quote >= 0 && (nl < 0 || quote < nl)) {
        inQuote = true;
        i = quote + 1;
        continue;
      }
      if (nl < 0) {
        i = buf.length;
        break;
      }
      this.#record(buf.slice(start, nl));
      start = nl + 1;
      i = start;
    }
    this.#buf = buf.slice(start);
    this.#scan = i - start;
    this.#inQuote = inQuote;
    return this.#take();
  }

  end(): string[] {
    if (this.#buf !== '') this.#record(this.#buf);
    this.#buf = '';
    this.#scan = 0;
    this.#inQuote = false;
    this.#flush();
    return this.#take();
  }

  #record(raw: string): void {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (line === '') return;
    if (line.startsWith('#')) {
      if (this.#headerSeen) {
        this.#flush();
        this.#head = [];
        this.#headerSeen = false;
        this.#blockEmitted = false;
      }
      this.#head.push(line);
      return;
    }
    if (!this.#headerSeen) {
      this.#head.push(line);
      this.#headerSeen = true;
      return;
    }
    const id = tableCell(line);
    if (this.#rows.length > 0 && id !== '' && id !== this.#tableId) this.#flush();
    if (this.#rows.length === 0 || id !== '') this.#tableId = id;
    this.#rows.push(line);
  }

  /** Ends the current table's piece (or the empty block's). */
  #flush(): void {
    if (this.#head.length === 0) return;
    if (this.#rows.length === 0 && this.#blockEmitted) return;
    this.#out.push(`${this.#head.join('\n')}\n${this.#rows.join('\n')}\n`);
    this.#rows = [];
    this.#tableId = '';
    this.#blockEmitted = true;
  }

  #take(): string[] {
    const out = this.#out;
    this.#out = [];
    return out;
  }
}

/** The third cell of a data row (`,result,table,…`): the table id. Quoted cells are unquoted. */
function tableCell(line: string): string {
  let pos = 0;
  for (let cell = 0; ; cell++) {
    let value: string;
    if (line[pos] === '"') {
      let end = pos + 1;
      value = '';
      for (;;) {
        const q = line.indexOf('"', end);
        if (q < 0) {
          value += line.slice(end);
          end = line.length;
          break;
        }
        value += line.slice(end, q);
        if (line[q + 1] === '"') {
          value += '"';
          end = q + 2;
          continue;
        }
        end = q + 1;
        break;
      }
      pos = end;
    } else {
      const comma = line.indexOf(',', pos);
      const end = comma < 0 ? line.length : comma;
      value = line.slice(pos, end);
      pos = end;
    }
    if (cell === 2) return value;
    if (line[pos] !== ',') return '';
    pos++;
  }
}
