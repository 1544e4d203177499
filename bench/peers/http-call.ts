import { connect, type Socket } from 'node:net';
import { ResponseReader } from './response-reader.js';

/** One HTTP exchange, timed from the request being sent to the last byte of the body being read. */
export interface HttpReply {
  status: number;
  body: Buffer;
  /** Wall time of the whole exchange, ms. */
  elapsedMs: number;
}

export interface HttpCallOptions {
  method: 'GET' | 'POST' | 'DELETE';
  url: string;
  headers?: Record<string, string>;
  body?: Buffer | string;
  /**
   * Keep only the first `ERROR_BODY_BYTES` of a 2xx reply's body, reading and dropping the rest
   * (timed runs, whose answers were checked at the warm-up): a reply of tens of MB kept in memory
   * only made work for the harness's garbage collector while the run was timed.
   */
  dropBody?: boolean;
}

/** The head of a body a `dropBody` call keeps (for error messages). */
export const ERROR_BODY_BYTES = 64 * 1024;

/** Each connection reads into one buffer of this size, reused for every read. */
const READ_BUFFER_BYTES = 256 * 1024;

/**
 * A keep-alive HTTP/1.1 client, the same for every peer (no gzip: `accept-encoding: identity`),
 * so client costs are alike for all. It reads each connection into one reused buffer: `node:http`
 * allocates a fresh buffer for every read, and on these machines the page faults of that memory
 * (about 2,400 for a 4.9 MB reply, ~10 µs each) cost the harness tens of ms inside the timed run,
 * in proportion to the size of the reply rather than to anything the server did.
 * One request at a time per connection; concurrent calls open more connections.
 */
export class HttpCaller {
  readonly #idle = new Map<string, Connection[]>();
  readonly #all = new Set<Connection>();

  async call(options: HttpCallOptions): Promise<HttpReply> {
    const startNs = process.hrtime.bigint();
    const url = new URL(options.url);
    if (url.protocol !== 'http:') throw new Error(`HttpCaller speaks plain http, not ${url.protocol} (${options.url})`);
    const origin = url.host;
    const request = requestBytes(options, url);
    for (let attempt = 0; ; attempt++) {
      const reused = this.#take(origin);
      const conn = reused ?? this.#open(url);
      const reader = new ResponseReader({ keepBytes2xx: options.dropBody === true ? ERROR_BODY_BYTES : undefined });
      try {
        await conn.exchange(request, reader);
      } catch (e) {
        this.#drop(conn);
        // A kept-alive connection the server closed while it was idle: ask again on a new one.
        if (reused !== undefined && attempt === 0 && !conn.answered) continue;
        throw e;
      }
      const elapsedMs = Number(process.hrtime.bigint() - startNs) / 1e6;
      if (reader.keepAlive && conn.open) this.#release(origin, conn);
      else this.#drop(conn);
      return { status: reader.status, body: reader.body(), elapsedMs };
    }
  }

  /** Like `call`, but a status outside 2xx is an error naming the request and the body. */
  async ok(options: HttpCallOptions): Promise<HttpReply> {
    const reply = await this.call(options);
    if (reply.status < 200 || reply.status >= 300) {
      throw new Error(`${options.method} ${options.url} → ${reply.status}: ${reply.body.toString('utf8').slice(0, 500)}`);
    }
    return reply;
  }

  close(): void {
    for (const conn of this.#all) conn.destroy();
    this.#all.clear();
    this.#idle.clear();
  }

  #take(origin: string): Connection | undefined {
    const idle = this.#idle.get(origin);
    while (idle !== undefined && idle.length > 0) {
      const conn = idle.pop()!;
      if (conn.open) return conn;
      this.#drop(conn);
    }
    return undefined;
  }

  #release(origin: string, conn: Connection): void {
    const idle = this.#idle.get(origin);
    if (idle === undefined) this.#idle.set(origin, [conn]);
    else idle.push(conn);
  }

  #open(url: URL): Connection {
    const conn = new Connection(url.hostname, Number(url.port === '' ? 80 : url.port));
    this.#all.add(conn);
    return conn;
  }

  #drop(conn: Connection): void {
    conn.destroy();
    this.#all.delete(conn);
  }
}

function requestBytes(options: HttpCallOptions, url: URL): Buffer {
  const body = options.body === undefined ? undefined : Buffer.isBuffer(options.body) ? options.body : Buffer.from(options.body);
  const headers = new Map<string, [string, string]>();
  const set = (name: string, value: string): void => void headers.set(name.toLowerCase(), [name, value]);
  set('Host', url.host);
  set('Connection', 'keep-alive');
  set('Accept-Encoding', 'identity');
  if (body !== undefined || options.method !== 'GET') set('Content-Length', String(body?.length ?? 0));
  for (const [name, value] of Object.entries(options.headers ?? {})) {
    if (/[\r\n]/.test(name + value)) throw new Error(`header ${JSON.stringify(name)} holds a line break`);
    set(name, value);
  }
  let head = `${options.method} ${url.pathname}${url.search} HTTP/1.1\r\n`;
  for (const [name, value] of headers.values()) head += `${name}: ${value}\r\n`;
  head += '\r\n';
  const headBytes = Buffer.from(head, 'latin1');
  return body === undefined ? headBytes : Buffer.concat([headBytes, body]);
}

/** One TCP connection reading into its own reused buffer; one exchange at a time. */
class Connection {
  readonly #socket: Socket;
  #reader: ResponseReader | undefined;
  #settle: { resolve: () => void; reject: (e: Error) => void } | undefined;
  #closed = false;
  #error: Error | undefined;
  /** Whether the current exchange got any reply bytes. */
  answered = false;

  constructor(host: string, port: number) {
    const buffer = Buffer.allocUnsafe(READ_BUFFER_BYTES);
    this.#socket = connect({ host, port, noDelay: true, onread: { buffer, callback: (n: number, buf: Buffer) => this.#onBytes(buf, n) } });
    this.#socket.on('error', (e) => {
      this.#error = e;
    });
    this.#socket.on('end', () => this.#onClose());
    this.#socket.on('close', () => this.#onClose());
  }

  get open(): boolean {
    return !this.#closed && this.#error === undefined;
  }

  exchange(request: Buffer, reader: ResponseReader): Promise<void> {
    if (this.#settle !== undefined) throw new Error('a connection carries one exchange at a time');
    this.#reader = reader;
    this.answered = false;
    return new Promise<void>((resolve, reject) => {
      this.#settle = { resolve, reject };
      if (!this.open) return this.#finish(this.#error ?? new Error('the connection is closed'));
      this.#socket.write(request);
    });
  }

  destroy(): void {
    this.#closed = true;
    this.#socket.destroy();
    this.#finish(new Error('the connection was closed by the client'));
  }

  #onBytes(buf: Buffer, n: number): boolean {
    const reader = this.#reader;
    if (reader === undefined) {
      // Bytes nobody asked for: the connection is out of step; never reuse it.
      this.#closed = true;
      this.#socket.destroy();
      return false;
    }
    this.answered = true;
    try {
      reader.feed(buf, 0, n);
    } catch (e) {
      this.#closed = true;
      this.#socket.destroy();
      this.#finish(e as Error);
      return false;
    }
    if (reader.done) this.#finish(undefined);
    return true;
  }

  #onClose(): void {
    this.#closed = true;
    const reader = this.#reader;
    if (reader === undefined) return;
    try {
      reader.end();
      this.#finish(undefined);
    } catch (e) {
      this.#finish(this.#error ?? (e as Error));
    }
  }

  #finish(error: Error | undefined): void {
    const settle = this.#settle;
    this.#settle = undefined;
    this.#reader = undefined;
    if (settle === undefined) return;
    if (error === undefined) settle.resolve();
    else settle.reject(error);
  }
}
