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
 * Data rows are kept as runs of the input text (one slice per table per `push`), not one string
 * per row: the rows of a piece are exactly as they came, line ends included.
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
  /** Annotation rows and header row of the current block, each ending in a newline. */
  #head = '';
  #headerSeen = false;
  /** Whether the current block produced a piece yet (an empty block still makes one). */
  #blockEmitted = false;
  /** Text runs of the current table's rows before the text being scanned. */
  #rows: string[] = [];
  #tableId = '';
  #out: string[] = [];
  /** The text being scanned and where its not yet stored rows of the current table start. */
  #text = '';
  #runStart = -1;

  push(text: string): string[] {
    const buf = this.#buf + text;
    this.#text = buf;
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
      this.#record(start, nl + 1);
      start = nl + 1;
      i = start;
    }
    this.#storeRun(start);
    this.#buf = buf.slice(start);
    this.#text = '';
    this.#scan = i - start;
    this.#inQuote = inQuote;
    return this.#take();
  }

  end(): string[] {
    if (this.#buf !== '') {
      const last = this.#buf.endsWith('\n') ? this.#buf : `${this.#buf}\n`;
      this.#buf = '';
      this.#text = last;
      this.#record(0, last.length);
      this.#storeRun(last.length);
      this.#text = '';
    }
    this.#scan = 0;
    this.#inQuote = false;
    this.#flush();
    return this.#take();
  }

  /** The record `#text[from, to)`, its line end included. */
  #record(from: number, to: number): void {
    const text = this.#text;
    const first = text.charCodeAt(from);
    if (first === 0x0a || (first === 0x0d && to - from === 2)) return; // blank line
    if (first === 0x23 /* # */) {
      this.#storeRun(from);
      if (this.#headerSeen) {
        this.#flush();
        this.#head = '';
        this.#headerSeen = false;
        this.#blockEmitted = false;
      }
      this.#head += text.slice(from, to);
      return;
    }
    if (!this.#headerSeen) {
      this.#head += text.slice(from, to);
      this.#headerSeen = true;
      return;
    }
    const id = tableCell(text, from, to);
    const hasRows = this.#rows.length > 0 || this.#runStart >= 0;
    if (hasRows && id !== '' && id !== this.#tableId) {
      this.#storeRun(from);
      this.#flush();
    }
    if (!hasRows || id !== '') this.#tableId = id;
    if (this.#runStart < 0) this.#runStart = from;
  }

  /** Keeps the current table's rows scanned so far in `#text`, up to `to`. */
  #storeRun(to: number): void {
    if (this.#runStart < 0) return;
    if (to > this.#runStart) this.#rows.push(this.#text.slice(this.#runStart, to));
    this.#runStart = -1;
  }

  /** Ends the current table's piece (or the empty block's). */
  #flush(): void {
    if (this.#head === '') return;
    if (this.#rows.length === 0 && this.#blockEmitted) return;
    this.#out.push(this.#head + this.#rows.join(''));
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

/** The third cell of the data row `line[from, to)` (`,result,table,…`): the table id, unquoted. */
function tableCell(line: string, from: number, to: number): string {
  let pos = from;
  for (let cell = 0; ; cell++) {
    let value: string;
    if (line[pos] === '"') {
      let end = pos + 1;
      value = '';
      for (;;) {
        const q = line.indexOf('"', end);
        if (q < 0 || q >= to) {
          value += line.slice(end, to);
          end = to;
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
      let end = pos;
      while (end < to) {
        const ch = line.charCodeAt(end);
        if (ch === 0x2c /* , */ || ch === 0x0a || ch === 0x0d) break;
        end++;
      }
      value = line.slice(pos, end);
      pos = end;
    }
    if (cell === 2) return value;
    if (line[pos] !== ',') return '';
    pos++;
  }
}
