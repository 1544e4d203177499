import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { MAX_RESPONSE_BYTES, type HttpClient, type HttpRequest, type HttpResponse } from '../../flux/stdlib/http/http-client.js';
import { connectOptions, type AddressPolicy } from './address-policy.js';
import { RedirectChain } from './redirect-chain.js';

/**
 * Flux's own outbound HTTP (`http.post`, `requests`, `experimental/http.get`, `csv.from(url:)`,
 * `prometheus.scrape`) as the host installs it (the standard library's `HTTP_CLIENT`): node:http(s)
 * under an address policy — `open`, or `public-only` under `--hardening-enabled`, where every
 * connection, redirects included, goes only to public addresses, checked on the address connected
 * to, and a refused address fails the call with InfluxDB's `no such host`.
 *
 * Redirects are followed as Go follows them (redirect-chain.ts: 301/302/303 turn a POST into a
 * bodiless GET, 307/308 repeat it, credentials stay with the first host's domain, at most 10
 * requests), `timeoutMs` bounds the whole exchange, bodies over `MAX_RESPONSE_BYTES` are an
 * error, `insecureSkipVerify` skips certificate checks.
 */
export const publicOnlyHttpClient: HttpClient = policyHttpClient('public-only');

/**
 * Flux's own outbound HTTP without `--hardening-enabled`: the same client under the `open`
 * policy. The host installs it instead of the standard library's fetch-based default, which can
 * neither skip certificate checks (`requests`' `insecureSkipVerify`, which InfluxDB honours) nor
 * follow redirects as Go does.
 */
export const openHttpClient: HttpClient = policyHttpClient('open');

/** The same client under any address policy. */
export function policyHttpClient(policy: AddressPolicy): HttpClient {
  return { send: (request) => sendFollowing(request, policy) };
}

/** Flux's HTTP client for an address policy; with `skipVerify`, every request skips certificate checks (`sluice flux run --skip-verify`). */
export function hostHttpClient(policy: AddressPolicy | undefined, skipVerify = false): HttpClient {
  const client = policy === 'public-only' ? publicOnlyHttpClient : openHttpClient;
  return skipVerify ? { send: (request) => client.send({ ...request, insecureSkipVerify: true }) } : client;
}

async function sendFollowing(request: HttpRequest, policy: AddressPolicy): Promise<HttpResponse> {
  const started = process.hrtime.bigint();
  const signals = [request.signal, request.timeoutMs > 0 ? AbortSignal.timeout(request.timeoutMs) : undefined].filter((s): s is AbortSignal => s !== undefined);
  const signal = signals.length === 0 ? undefined : AbortSignal.any(signals);
  const chain = new RedirectChain(new URL(request.url), request.method);
  let current: HttpRequest = request;
  for (;;) {
    const res = await exchange(current, policy, signal);
    const hop = chain.next(res.statusCode, res.headers.get('location'));
    if (hop === undefined) return { ...res, durationNs: process.hrtime.bigint() - started };
    // Each hop from the first request's headers: what the chain keeps, plus Go's Referer.
    const headers = new Map([...request.headers].filter(([k]) => hop.keepsHeader(k)));
    if (hop.referer !== undefined && ![...headers.keys()].some((k) => k.toLowerCase() === 'referer')) headers.set('Referer', hop.referer);
    current = { ...request, url: hop.url.href, method: hop.method, headers, body: hop.withBody ? request.body : new Uint8Array(0) };
  }
}

/** One request and its whole (bounded) response. */
function exchange(request: HttpRequest, policy: AddressPolicy, signal: AbortSignal | undefined): Promise<Omit<HttpResponse, 'durationNs'>> {
  const url = new URL(request.url);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return Promise.reject(new Error(`unsupported protocol scheme "${url.protocol.slice(0, -1)}"`));
  const connect = connectOptions(url, policy);
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  const headers: Record<string, string> = Object.fromEntries(request.headers);
  // Any method carries a body it was given, as Go sends it: a GET too (a 307 after a 303 repeats
  // the GET with the first request's body).
  const hasBody = request.body.length > 0;
  if (hasBody) headers['content-length'] = String(request.body.length);
  return new Promise((resolve, reject) => {
    const r = send(
      url,
      { method: request.method, headers, ...connect, ...(signal === undefined ? {} : { signal }), ...(request.insecureSkipVerify ? { rejectUnauthorized: false } : {}) },
      (msg) => {
        readAll(msg).then((body) => resolve({ statusCode: msg.statusCode ?? 0, headers: headersOf(msg), body }), reject);
      },
    );
    r.on('error', reject);
    r.end(hasBody ? request.body : undefined);
  });
}

async function readAll(msg: IncomingMessage): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of msg) {
    size += (c as Buffer).length;
    if (size > MAX_RESPONSE_BYTES) {
      msg.destroy();
      throw new Error(`response body exceeds ${MAX_RESPONSE_BYTES} bytes`);
    }
    chunks.push(c as Buffer);
  }
  return new Uint8Array(Buffer.concat(chunks));
}

/** Lower-cased names, repeated headers joined with ", " (the HttpResponse contract). */
function headersOf(msg: IncomingMessage): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of Object.entries(msg.headers)) if (v !== undefined) out.set(k, Array.isArray(v) ? v.join(', ') : v);
  return out;
}
