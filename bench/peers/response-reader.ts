/**
 * An HTTP/1.1 response parsed from bytes as they arrive, for the bench's client. It never owns
 * the bytes it is given (the connection reads into one reused buffer): what it keeps, it copies.
 * Handles a body framed by content-length, by chunked transfer encoding, or by the connection
 * closing; 1xx responses are skipped.
 */

/** Bytes of a head it accepts before calling the reply malformed. */
const MAX_HEAD_BYTES = 64 * 1024;

export interface ResponseReaderOptions {
  /** The request was HEAD: no body whatever the headers say. */
  readonly head?: boolean;
  /** How many bytes of a 2xx body to keep; the rest is read and dropped. All of other bodies. */
  readonly keepBytes2xx?: number;
}

const State = { Head: 0, Fixed: 1, ChunkSize: 2, ChunkData: 3, ChunkDataEnd: 4, Trailer: 5, UntilClose: 6, Done: 7 } as const;
type State = (typeof State)[keyof typeof State];

export class ResponseReader {
  status = 0;
  /** Header names lower-cased; a repeated header keeps its last value. */
  readonly headers = new Map<string, string>();
  /** Whether the connection may carry another request after this reply. */
  keepAlive = true;
  #state: State = State.Head;
  #headBytes: Buffer[] = [];
  #headLength = 0;
  /** Bytes left of the body (Fixed) or of the current chunk (ChunkData). */
  #left = 0;
  /** The text of a chunk-size or trailer line read so far. */
  #line = '';
  readonly #kept: Buffer[] = [];
  #keptBytes = 0;
  #keepLimit = Number.POSITIVE_INFINITY;
  readonly #options: ResponseReaderOptions;

  constructor(options: ResponseReaderOptions = {}) {
    this.#options = options;
  }

  get done(): boolean {
    return this.#state === State.Done;
  }

  /** Whether the body runs until the connection closes (then `end()` completes it). */
  get untilClose(): boolean {
    return this.#state === State.UntilClose;
  }

  /** The body bytes kept. */
  body(): Buffer {
    return this.#kept.length === 1 ? this.#kept[0]! : Buffer.concat(this.#kept, this.#keptBytes);
  }

  /**
   * Takes `buf[start, end)`; returns how many of those bytes belong to this reply (fewer than
   * given only once it is done: the rest would be the next reply's, which a client that sends one
   * request at a time never gets). Throws on a malformed reply.
   */
  feed(buf: Uint8Array, start: number, end: number): number {
    let i = start;
    while (i < end && this.#state !== State.Done) {
      switch (this.#state) {
        case State.Head:
          i = this.#feedHead(buf, i, end);
          break;
        case State.Fixed:
          i = this.#feedCounted(buf, i, end, State.Done);
          break;
        case State.ChunkSize:
        case State.Trailer:
        case State.ChunkDataEnd:
          i = this.#feedLine(buf, i, end);
          break;
        case State.ChunkData:
          i = this.#feedCounted(buf, i, end, State.ChunkDataEnd);
          break;
        case State.UntilClose:
          this.#keep(buf, i, end);
          i = end;
          break;
      }
    }
    return i - start;
  }

  /** The connection closed: completes a body framed by the close, else throws (a cut reply). */
  end(): void {
    if (this.#state === State.UntilClose) this.#state = State.Done;
    if (this.#state !== State.Done) throw new Error('the connection closed before the reply was complete');
  }

  /** Up to `#left` body bytes (of the whole body or of one chunk); then `next`. */
  #feedCounted(buf: Uint8Array, start: number, end: number, next: State): number {
    const n = Math.min(this.#left, end - start);
    this.#keep(buf, start, start + n);
    this.#left -= n;
    if (this.#left === 0) this.#state = next;
    return start + n;
  }

  #keep(buf: Uint8Array, from: number, to: number): void {
    const n = Math.min(to - from, this.#keepLimit - this.#keptBytes);
    if (n <= 0) return;
    this.#kept.push(Buffer.from(buf.subarray(from, from + n)));
    this.#keptBytes += n;
  }

  #feedHead(buf: Uint8Array, start: number, end: number): number {
    // Look for CRLF CRLF, allowing it to straddle what came before.
    const held = this.#headLength;
    const chunk = Buffer.from(buf.buffer, buf.byteOffset + start, end - start);
    const joined = held === 0 ? chunk : Buffer.concat([...this.#headBytes, chunk]);
    const at = joined.indexOf('\r\n\r\n', Math.max(0, held - 3), 'latin1');
    if (at < 0) {
      if (joined.length > MAX_HEAD_BYTES) throw new Error(`the reply's head is over ${MAX_HEAD_BYTES} bytes`);
      this.#headBytes = [Buffer.from(joined)]; // a copy: `buf` is reused after this call
      this.#headLength = joined.length;
      return end;
    }
    this.#headBytes = [];
    this.#headLength = 0;
    this.#startBody(joined.toString('latin1', 0, at));
    return start + (at + 4 - held);
  }

  #startBody(head: string): void {
    const lines = head.split('\r\n');
    const m = /^HTTP\/1\.([01]) (\d{3})/.exec(lines[0] ?? '');
    if (m === null) throw new Error(`not an HTTP/1.x status line: ${JSON.stringify((lines[0] ?? '').slice(0, 100))}`);
    const status = Number(m[2]);
    if (status >= 100 && status < 200 && status !== 101) return; // informational: the real head follows
    this.status = status;
    for (let k = 1; k < lines.length; k++) {
      const line = lines[k]!;
      const colon = line.indexOf(':');
      if (colon <= 0) throw new Error(`malformed header line: ${JSON.stringify(line.slice(0, 100))}`);
      this.headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
    }
    const connection = (this.headers.get('connection') ?? '').toLowerCase();
    this.keepAlive = m[1] === '1' ? connection !== 'close' : connection === 'keep-alive';
    if (status >= 200 && status < 300) this.#keepLimit = this.#options.keepBytes2xx ?? Number.POSITIVE_INFINITY;
    const encoding = (this.headers.get('transfer-encoding') ?? '').toLowerCase();
    const length = this.headers.get('content-length');
    if (this.#options.head === true || status === 204 || status === 304) this.#state = State.Done;
    else if (encoding !== '') {
      if (!encoding.split(',').some((e) => e.trim() === 'chunked')) throw new Error(`unsupported transfer-encoding: ${encoding}`);
      this.#state = State.ChunkSize;
    } else if (length !== undefined) {
      if (!/^\d+$/.test(length)) throw new Error(`malformed content-length: ${JSON.stringify(length)}`);
      this.#left = Number(length);
      this.#state = this.#left === 0 ? State.Done : State.Fixed;
    } else {
      this.keepAlive = false;
      this.#state = State.UntilClose;
    }
  }

  /** A chunk-size line, the CRLF after a chunk's data, or a trailer line. */
  #feedLine(buf: Uint8Array, start: number, end: number): number {
    let i = start;
    while (i < end && buf[i] !== 10) i++;
    this.#line += Buffer.from(buf.buffer, buf.byteOffset + start, i - start).toString('latin1');
    if (this.#line.length > 4096) throw new Error('a chunk line is over 4096 bytes');
    if (i === end) return end;
    const line = this.#line.endsWith('\r') ? this.#line.slice(0, -1) : this.#line;
    this.#line = '';
    if (this.#state === State.ChunkDataEnd) {
      if (line !== '') throw new Error('chunk data is not followed by CRLF');
      this.#state = State.ChunkSize;
    } else if (this.#state === State.ChunkSize) {
      const size = /^([0-9a-fA-F]+)(;.*)?$/.exec(line);
      if (size === null) throw new Error(`malformed chunk size: ${JSON.stringify(line.slice(0, 100))}`);
      this.#left = parseInt(size[1]!, 16);
      this.#state = this.#left === 0 ? State.Trailer : State.ChunkData;
    } else if (line === '') this.#state = State.Done; // the empty line ending the trailers
    return i + 1;
  }
}
