import { ExternalKey } from '../../interpreter/index.js';

/** One outgoing HTTP request made by a Flux script (http.post, http/requests). */
export interface HttpRequest {
  readonly method: string;
  /** Full URL, query parameters included. */
  readonly url: string;
  readonly headers: ReadonlyMap<string, string>;
  readonly body: Uint8Array;
  /** 0 = no timeout. */
  readonly timeoutMs: number;
  readonly insecureSkipVerify: boolean;
  readonly signal?: AbortSignal;
}

export interface HttpResponse {
  readonly statusCode: number;
  /** Header names lower-cased; repeated headers joined with ", ". */
  readonly headers: ReadonlyMap<string, string>;
  readonly body: Uint8Array;
  readonly durationNs: bigint;
}

/**
 * How Flux reaches the network. The server may install its own (an allow-list of hosts, a
 * response size limit, metrics) as the `HTTP_CLIENT` external; without one, `fetchHttpClient`
 * (Node's global fetch) is used.
 */
export interface HttpClient {
  send(request: HttpRequest): Promise<HttpResponse>;
}

export const HTTP_CLIENT = new ExternalKey<HttpClient>('http client');

/** Largest response body read into memory (bytes); the rest is an error, not silently cut. */
export const MAX_RESPONSE_BYTES = 100 * 1024 * 1024;

/**
 * The default HttpClient over global fetch. `insecureSkipVerify` cannot be honoured by fetch
 * without a custom dispatcher, so a request asking for it fails rather than silently verifying.
 */
export const fetchHttpClient: HttpClient = {
  async send(request) {
    if (request.insecureSkipVerify) throw new Error('insecureSkipVerify is not supported by this server');
    const started = process.hrtime.bigint();
    const signals = [request.signal, request.timeoutMs > 0 ? AbortSignal.timeout(request.timeoutMs) : undefined].filter(
      (s): s is AbortSignal => s !== undefined,
    );
    const init: RequestInit = {
      method: request.method,
      headers: [...request.headers],
      ...(signals.length === 0 ? {} : { signal: AbortSignal.any(signals) }),
      ...(request.method === 'GET' || request.method === 'HEAD' || request.body.length === 0 ? {} : { body: request.body }),
    };
    const res = await fetch(request.url, init);
    const buf = new Uint8Array(await res.arrayBuffer());
    if (buf.length > MAX_RESPONSE_BYTES) throw new Error(`response body exceeds ${MAX_RESPONSE_BYTES} bytes`);
    const headers = new Map<string, string>();
    res.headers.forEach((v, k) => headers.set(k, v));
    return { statusCode: res.status, headers, body: buf, durationNs: process.hrtime.bigint() - started };
  },
};
