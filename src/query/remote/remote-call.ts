import { ErrorCode, SluiceError, type ErrorCode as Code } from '../../core/errors.js';
import type { TimerHandle } from '../../core/clock.js';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { pipeline, Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { AddressRefused, connectOptions, type AddressPolicy } from './address-policy.js';
import { RedirectChain, RedirectError } from './redirect-chain.js';
import { RemoteError } from './remote-error.js';
import type { RemoteOptions } from './remote-options.js';

export interface RemoteRequest {
  readonly url: URL;
  /** `Authorization: Token …` when set and not empty; InfluxDB sends no header without a token. */
  readonly token?: string | undefined;
  readonly contentType: string;
  readonly body: string;
}

/**
 * One POST to a remote host, from connecting to the end of its response body, connecting only
 * where `options.addressPolicy` allows (address-policy.ts). Redirects are followed as Go's client
 * follows them (redirect-chain.ts: 307/308 repeat the POST and its body, 301/302/303 become a
 * bodiless GET, the token never goes to another host, at most 10 requests), each hop connecting
 * under the same policy and all of them within `responseTimeoutMs`. Everything that can go wrong
 * becomes a `RemoteError` in words that name the host: the remote's own
 * `{"code","message"}` for an HTTP error, Go's `Post "<url>": dial tcp …: connection refused`
 * shape for network failures (what InfluxDB users see), a timeout naming the limit.
 *
 * Thread of control: `response()` once, then (for a 2xx) `chunks()` once; `close()` (also run
 * when `chunks()` ends or its consumer stops early) aborts whatever is still open, so a query
 * that stops reading (or is canceled) does not keep the remote streaming.
 */
export class RemoteCall {
  readonly #req: RemoteRequest;
  readonly #options: RemoteOptions;
  readonly #abort = new AbortController();
  readonly #outer: AbortSignal | undefined;
  readonly #onOuterAbort = (): void => this.#abort.abort();
  #timer: TimerHandle | undefined;
  /** Set when we aborted the fetch because of a timeout: what to report instead of "aborted". */
  #timeout: RemoteError | undefined;
  /** The URL asked last (a redirect's target once one is followed): what errors name. */
  #url: URL;
  /** Redirects followed so far. */
  #hops = 0;

  constructor(req: RemoteRequest, options: RemoteOptions, signal?: AbortSignal) {
    this.#req = req;
    this.#url = req.url;
    this.#options = options;
    this.#outer = signal;
    signal?.addEventListener('abort', this.#onOuterAbort, { once: true });
  }

  /** The response once its headers are in; a non-2xx status is thrown as the remote's error. */
  async response(): Promise<Response> {
    this.#checkOuter();
    this.#arm(this.#options.responseTimeoutMs, `no response within ${seconds(this.#options.responseTimeoutMs)}`);
    const policy = this.#options.addressPolicy ?? 'open';
    const skipVerify = this.#options.tlsSkipVerify === true;
    const chain = new RedirectChain(this.#req.url, 'POST');
    let res: Response;
    try {
      res = await exchange(this.#req, { url: this.#req.url, method: 'POST', withBody: true }, policy, this.#abort.signal, skipVerify);
      for (;;) {
        const hop = chain.next(res.status, res.headers.get('location'));
        if (hop === undefined) break;
        await discard(res);
        this.#url = hop.url;
        this.#hops++;
        res = await exchange(this.#req, hop, policy, this.#abort.signal, skipVerify);
      }
    } catch (e) {
      this.close();
      throw this.#failure(e);
    }
    this.#disarm();
    if (res.ok) return res;
    // The error body may stall too.
    this.#arm(this.#options.idleTimeoutMs, `error response stalled for ${seconds(this.#options.idleTimeoutMs)}`);
    const err = await this.#httpError(res);
    this.close();
    throw err;
  }

  /** The body of a 2xx response, chunk by chunk, each awaited at most `idleTimeoutMs`. */
  async *chunks(res: Response): AsyncGenerator<Uint8Array> {
    try {
      if (res.body === null) return;
      const reader = res.body.getReader();
      for (;;) {
        this.#arm(this.#options.idleTimeoutMs, `response stalled for ${seconds(this.#options.idleTimeoutMs)}`);
        let r: Awaited<ReturnType<typeof reader.read>>;
        try {
          r = await reader.read();
        } catch (e) {
          throw this.#failure(e);
        } finally {
          this.#disarm();
        }
        if (r.done) return;
        yield r.value;
      }
    } finally {
      this.close();
    }
  }

  /** Releases the connection (a no-op once the body was read to its end). */
  close(): void {
    this.#disarm();
    this.#outer?.removeEventListener('abort', this.#onOuterAbort);
    if (!this.#abort.signal.aborted) this.#abort.abort();
  }

  /**
   * `Post "<url>"`: how Go's client prefixes a failed request, and so what InfluxDB users know.
   * The URL is the one asked last; the verb stays the first request's, as in Go.
   */
  get #what(): string {
    return `Post "${this.#url.href}"`;
  }

  #arm(ms: number, why: string): void {
    this.#disarm();
    if (ms === 0) return; // no limit
    this.#timer = this.#options.clock.setTimer(ms, () => {
      this.#timeout = new RemoteError(ErrorCode.Unavailable, `${this.#what}: timeout: ${why} from ${this.#url.host}`);
      this.#abort.abort();
    });
  }

  #disarm(): void {
    this.#timer?.cancel();
    this.#timer = undefined;
  }

  #checkOuter(): void {
    if (this.#outer?.aborted === true) throw canceled(this.#outer);
  }

  /** What a failed fetch or body read means: our timeout, the query's cancel, or the network. */
  #failure(e: unknown): SluiceError {
    if (this.#timeout !== undefined) return this.#timeout;
    if (this.#outer?.aborted === true) return canceled(this.#outer);
    // --hardening-enabled: InfluxDB's deliberately vague answer, the same for every refused
    // address. Its HTTP provider checks the host while the execution is set up (ReaderFor,
    // WriterFor), so the executor's prefix comes with it.
    // A redirect's target is refused when it is dialed, where Go reports the address it refused.
    if (e instanceof AddressRefused) {
      if (this.#hops === 0) return new RemoteError(ErrorCode.Invalid, `failed to initialize execute state: ${e.message}`, { cause: e });
      return new RemoteError(ErrorCode.Invalid, `${this.#what}: dial tcp ${hostPort(e.address, this.#url)}: ${e.message}`, { cause: e });
    }
    // A Location that cannot be followed, or a redirect loop: the remote's set-up, not the network.
    if (e instanceof RedirectError) return new RemoteError(ErrorCode.Invalid, `Post "${e.url}": ${e.message}`, { cause: e });
    return new RemoteError(ErrorCode.Unavailable, `${this.#what}: ${networkReason(e, this.#url)}`, { cause: e });
  }

  async #httpError(res: Response): Promise<RemoteError> {
    let text: string;
    try {
      text = await res.text();
    } catch (e) {
      if (this.#timeout !== undefined) return this.#timeout;
      return new RemoteError(codeOfStatus(res.status), `${this.#what}: ${res.status} ${res.statusText}, and reading the error body failed: ${errorText(e)}`);
    }
    const body = parseErrorBody(text);
    if (body !== undefined) return new RemoteError(body.code ?? codeOfStatus(res.status), body.message);
    const snippet = text.trim().slice(0, 200);
    return new RemoteError(codeOfStatus(res.status), `${this.#what}: ${res.status} ${res.statusText}${snippet === '' ? '' : `: ${snippet}`}`);
  }
}

const KNOWN_CODES = new Set<string>(Object.values(ErrorCode));

/**
 * InfluxDB's error body `{"code","message"}` (possibly with a nested `error`, whose message is
 * appended as Flux's error chain prints it). Undefined when the body is not such an object.
 */
export function parseErrorBody(text: string): { code: Code | undefined; message: string } | undefined {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof v === 'string' && v !== '') return { code: undefined, message: v };
  if (typeof v !== 'object' || v === null) return undefined;
  const o = v as Record<string, unknown>;
  if (typeof o['message'] !== 'string') return undefined;
  const code = typeof o['code'] === 'string' && KNOWN_CODES.has(o['code']) ? (o['code'] as Code) : undefined;
  const inner = o['error'];
  const nested = typeof inner === 'string' ? inner : typeof inner === 'object' && inner !== null ? parseErrorBody(JSON.stringify(inner))?.message : undefined;
  const message = nested === undefined || nested === '' ? o['message'] : o['message'] === '' ? nested : `${o['message']}: ${nested}`;
  return { code, message };
}

/**
 * A remote's status when its body does not say the code: the InfluxDB code that status stands
 * for (the client-side reading of the table src/http translates with).
 */
function codeOfStatus(status: number): Code {
  switch (status) {
    case 401:
      return ErrorCode.Unauthorized;
    case 403:
      return ErrorCode.Forbidden;
    case 404:
      return ErrorCode.NotFound;
    case 413:
      return ErrorCode.RequestTooLarge;
    case 429:
      return ErrorCode.TooManyRequests;
    case 503:
      return ErrorCode.Unavailable;
    default:
      return status >= 400 && status < 500 ? ErrorCode.Invalid : ErrorCode.Internal;
  }
}

/** A network failure in Go's words where there is one (`dial tcp h:p: connect: connection refused`). */
function networkReason(e: unknown, url: URL): string {
  const cause = (e as { cause?: unknown } | null)?.cause ?? e;
  const code = errnoOf(cause);
  const where = hostPort(url.hostname, url);
  switch (code) {
    case 'ECONNREFUSED':
      return `dial tcp ${where}: connect: connection refused`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `dial tcp: lookup ${url.hostname}: no such host`;
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return `dial tcp ${where}: connect: no route to host`;
    case 'ECONNRESET':
      return `read tcp ${where}: connection reset by peer`;
    case 'ETIMEDOUT':
      return `dial tcp ${where}: i/o timeout`;
    default:
      return `${errorText(cause)}${code === undefined ? '' : ` (${code})`} (host ${where})`;
  }
}

/** `host:port` as Go prints a dialed address (`[v6]:port`; the scheme's port when the URL has none). */
function hostPort(host: string, url: URL): string {
  const bare = host.replace(/^\[|\]$/g, '');
  const port = url.port === '' ? (url.protocol === 'https:' ? '443' : '80') : url.port;
  return `${bare.includes(':') ? `[${bare}]` : bare}:${port}`;
}

function errnoOf(e: unknown): string | undefined {
  if (typeof e !== 'object' || e === null) return undefined;
  const code = (e as { code?: unknown }).code;
  if (typeof code === 'string') return code;
  // Several addresses tried (localhost → ::1, 127.0.0.1): the first one's reason.
  const errors = (e as { errors?: unknown }).errors;
  return Array.isArray(errors) ? errnoOf(errors[0]) : undefined;
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

function canceled(signal: AbortSignal): SluiceError {
  const r: unknown = signal.reason;
  return r instanceof SluiceError ? r : new SluiceError(ErrorCode.Canceled, 'query canceled');
}

function seconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`;
}

/** One request of the exchange: the first one (the POST) or a redirect's hop. */
interface Hop {
  readonly url: URL;
  readonly method: string;
  readonly withBody: boolean;
  readonly referer?: string | undefined;
  keepsHeader?(name: string): boolean;
}

/**
 * One request of the exchange, over node:http(s) rather than fetch so that the addresses
 * connected to go through the policy's lookup (fetch gives no hook there). Resolves with the
 * response headers as a web `Response` whose body streams the socket; `signal` tears both down.
 * A hop carries the headers of the first request it keeps (redirect-chain.ts) and the first
 * request's body when it repeats it.
 */
function exchange(req: RemoteRequest, hop: Hop, policy: AddressPolicy, signal: AbortSignal, skipVerify: boolean): Promise<Response> {
  const url = hop.url;
  let connect: ReturnType<typeof connectOptions>;
  try {
    connect = connectOptions(url, policy);
  } catch (e) {
    return Promise.reject(e instanceof Error ? e : new Error(String(e)));
  }
  const first: Record<string, string> = {
    'content-type': req.contentType,
    accept: 'application/csv, application/json',
    // As Go's client asks by default (InfluxDB's query handler then gzips): fewer bytes on the wire.
    'accept-encoding': 'gzip',
  };
  if (req.token !== undefined && req.token !== '') first['authorization'] = `Token ${req.token}`;
  const headers = Object.fromEntries(Object.entries(first).filter(([k]) => hop.keepsHeader?.(k) ?? true));
  if (hop.referer !== undefined) headers['referer'] = hop.referer;
  const body = hop.withBody ? Buffer.from(req.body, 'utf8') : undefined;
  if (body !== undefined) headers['content-length'] = String(body.length);
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise<Response>((resolve, reject) => {
    const r = send(url, { method: hop.method, headers, signal, ...connect, ...(skipVerify ? { rejectUnauthorized: false } : {}) }, (msg) => {
      try {
        resolve(webResponse(msg));
      } catch (e) {
        // A status a web Response cannot hold (outside 200-599): not an HTTP answer we can read.
        msg.destroy();
        reject(e instanceof Error ? e : new Error(String(e)));
      }
    });
    r.on('error', reject);
    r.end(body);
  });
}

/**
 * Done with a redirect response: a small body is read so its connection can be reused (Go reads
 * up to 2 KiB), anything longer or of unknown length is dropped with its connection.
 */
async function discard(res: Response): Promise<void> {
  const length = res.headers.get('content-length');
  if (length !== null && Number(length) <= 2048) await res.arrayBuffer();
  else await res.body?.cancel();
}

/** The response as fetch would give it (a status without a body gets none; its socket is drained). */
function webResponse(msg: IncomingMessage): Response {
  const headers = new Headers();
  for (const [k, v] of Object.entries(msg.headers)) {
    if (v === undefined) continue;
    for (const one of Array.isArray(v) ? v : [v]) headers.append(k, one);
  }
  const status = msg.statusCode ?? 0;
  const init = { status, statusText: msg.statusMessage ?? '', headers };
  if (status === 204 || status === 205 || status === 304) {
    msg.resume();
    return new Response(null, init);
  }
  const encoding = String(msg.headers['content-encoding'] ?? '').trim().toLowerCase();
  if (encoding !== 'gzip' && encoding !== 'x-gzip') return new Response(Readable.toWeb(msg) as ReadableStream<Uint8Array>, init);
  // Decompressed as it streams; the body no longer has the announced encoding or length.
  headers.delete('content-encoding');
  headers.delete('content-length');
  const gunzip = createGunzip();
  // pipeline: the socket torn down (cancel, timeout) or corrupt gzip ends both sides with an error.
  pipeline(msg, gunzip, () => undefined);
  return new Response(Readable.toWeb(gunzip) as ReadableStream<Uint8Array>, init);
}
