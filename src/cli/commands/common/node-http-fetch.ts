import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { Readable } from 'node:stream';
import type { FetchLike } from '../../../client/v2-client.js';

/**
 * A `fetch` over node:http/node:https, for what the global `fetch` cannot do: with
 * `rejectUnauthorized: false` an https server's certificate is not checked at all (neither its
 * chain nor its host name), as influx's `--skip-verify` (Go's `InsecureSkipVerify`).
 *
 * Contract (what V2Client relies on): resolves once the status and headers arrive, the body
 * streamed; a connection or TLS failure rejects with `TypeError('fetch failed')` whose `cause` is
 * the socket's error, as the global `fetch` does. No `accept-encoding` is sent, so bodies come
 * back unencoded. Redirects are not followed (the v2 API answers without them).
 */
export function nodeHttpFetch(options: { rejectUnauthorized: boolean }): FetchLike {
  return (url, init) =>
    new Promise<Response>((resolve, reject) => {
      const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
      const req = send(url, { method: init.method, headers: init.headers, rejectUnauthorized: options.rejectUnauthorized }, (res) => {
        resolve(responseOf(res, init.method));
      });
      req.once('error', (e) => reject(new TypeError('fetch failed', { cause: e })));
      // end(body) before any write: node sends a Content-Length, not chunked encoding.
      req.end(init.body);
    });
}

function responseOf(res: IncomingMessage, method: string): Response {
  const headers = new Headers();
  for (let i = 0; i + 1 < res.rawHeaders.length; i += 2) headers.append(res.rawHeaders[i]!, res.rawHeaders[i + 1]!);
  const status = res.statusCode ?? 0;
  // The Response constructor refuses a body for these statuses (and HEAD has none).
  const bodiless = method === 'HEAD' || status === 204 || status === 205 || status === 304;
  if (bodiless) res.resume();
  const body = bodiless ? null : (Readable.toWeb(res) as unknown as ReadableStream<Uint8Array>);
  return new Response(body, { status, statusText: res.statusMessage ?? '', headers });
}
