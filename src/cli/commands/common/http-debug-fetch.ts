import type { FetchLike } from '../../../client/v2-client.js';
import type { Clock } from '../../../core/clock.js';

/**
 * `--http-debug`: prints every request and response to `write` as influx does (Go's
 * `httputil.DumpRequestOut`/`DumpResponse` through `log.Printf("\n%s\n", dump)`): a local-time
 * `YYYY/MM/DD hh:mm:ss ` log prefix, then the exchange in HTTP/1.1 wire form with CRLF line ends,
 * headers in Go's canonical case, and the whole body. The token is printed as sent, not redacted
 * (influx does not redact it either): debug output is a secret. The request shows the headers the
 * client sets plus `Host` and `Content-Length`; headers the transport adds itself (fetch's
 * `User-Agent`, `Accept`, …) are not visible from here, where Go's dump shows them.
 *
 * The response body is read whole to print it and handed on as a new Response with the same bytes.
 */
export function httpDebugFetch(inner: FetchLike, write: (text: string) => void, clock: Clock): FetchLike {
  return async (url, init) => {
    write(logEntry(clock, requestDump(url, init)));
    const res = await inner(url, init);
    const body = new Uint8Array(await res.arrayBuffer());
    write(logEntry(clock, responseDump(res, body)));
    const bodiless = init.method === 'HEAD' || res.status === 204 || res.status === 205 || res.status === 304;
    return new Response(bodiless ? null : body, { status: res.status, statusText: res.statusText, headers: res.headers });
  };
}

type Init = Parameters<FetchLike>[1];

export function requestDump(url: URL, init: Init): string {
  const lines = [`${init.method} ${url.pathname}${url.search} HTTP/1.1`, `Host: ${url.host}`];
  const body = init.body === undefined ? undefined : typeof init.body === 'string' ? Buffer.from(init.body) : init.body;
  if (body !== undefined) lines.push(`Content-Length: ${body.length}`);
  for (const [name, value] of sortedHeaders(Object.entries(init.headers))) lines.push(`${name}: ${value}`);
  return lines.join('\r\n') + '\r\n\r\n' + (body === undefined ? '' : decode(body));
}

export function responseDump(res: Response, body: Uint8Array): string {
  const lines = [`HTTP/1.1 ${res.status} ${res.statusText}`.trimEnd()];
  for (const [name, value] of sortedHeaders([...res.headers])) lines.push(`${name}: ${value}`);
  return lines.join('\r\n') + '\r\n\r\n' + decode(body);
}

/** Go's `http.CanonicalHeaderKey` (`content-type` → `Content-Type`), sorted as `Header.Write` does. */
function sortedHeaders(entries: [string, string][]): [string, string][] {
  const canonical = entries.map(([k, v]): [string, string] => [k.toLowerCase().replace(/(^|-)([a-z])/g, (_m, dash: string, c: string) => dash + c.toUpperCase()), v]);
  return canonical.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

const decoder = new TextDecoder();
const decode = (bytes: Uint8Array): string => decoder.decode(bytes);

/** Go's `log.Printf("\n%s\n", …)` with the standard logger's `date time ` prefix in local time. */
function logEntry(clock: Clock, dump: string): string {
  const d = new Date(clock.nowMs());
  const p = (n: number): string => String(n).padStart(2, '0');
  return `${d.getFullYear()}/${p(d.getMonth() + 1)}/${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())} \n${dump}\n`;
}
