import type { IncomingMessage } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../../core/clock.js';
import { ErrorCode, SluiceError } from '../../core/errors.js';
import { isNonPublicAddress, type AddressFilter, type AddressPolicy } from './address-policy.js';
import { RemoteCall } from './remote-call.js';
import { DEFAULT_REMOTE_OPTIONS, type RemoteOptions } from './remote-options.js';
import { BodyServers } from './testing/body-server.js';
import { sluiceFailure } from './testing/sluice-failure.js';

const servers = new BodyServers();
afterEach(() => servers.closeAll());

const BODY = '{"query":"buckets()"}';

/** What a server saw of one request. */
interface Seen {
  method: string | undefined;
  path: string | undefined;
  auth: string | undefined;
  type: string | undefined;
  body: string;
}

function seen(req: IncomingMessage, body: string): Seen {
  return { method: req.method, path: req.url, auth: req.headers.authorization, type: req.headers['content-type'], body };
}

/** A server that records what it is asked and answers 200 `answer`. */
async function target(requests: Seen[], answer = 'ok'): Promise<string> {
  return servers.serve((req, body, res) => {
    requests.push(seen(req, body));
    res.end(answer);
  });
}

/** A server that answers every request with `status` to `location`. */
async function redirecting(status: number, location: string, requests: Seen[] = []): Promise<string> {
  return servers.serve((req, body, res) => {
    requests.push(seen(req, body));
    res.writeHead(status, { location }).end('moved');
  });
}

/** A POST with a token, as `from(host:)` sends its query. */
function call(url: string, policy: AddressPolicy = 'open', options: Partial<RemoteOptions> = {}, signal?: AbortSignal): RemoteCall {
  return new RemoteCall(
    { url: new URL(`${url}/api/v2/query?org=o`), token: 'tok', contentType: 'application/json', body: BODY },
    { ...DEFAULT_REMOTE_OPTIONS, addressPolicy: policy, ...options },
    signal,
  );
}

async function text(c: RemoteCall): Promise<string> {
  const res = await c.response();
  let out = '';
  for await (const chunk of c.chunks(res)) out += Buffer.from(chunk).toString();
  return out;
}

describe('RemoteCall redirects (as Go’s client follows them)', () => {
  it.each([307, 308])('a %i to a second server repeats the POST there with its body and token', async (status) => {
    const first: Seen[] = [];
    const second: Seen[] = [];
    const to = await target(second, 'from the second');
    const from = await redirecting(status, `${to}/elsewhere/api/v2/query?org=o`, first);
    expect(await text(call(from))).toBe('from the second');
    expect(first).toHaveLength(1);
    expect(second).toEqual([{ method: 'POST', path: '/elsewhere/api/v2/query?org=o', auth: 'Token tok', type: 'application/json', body: BODY }]);
  });

  it.each([301, 302, 303])('a %i turns the POST into a GET without body (Go’s rule), token kept on the same host', async (status) => {
    const second: Seen[] = [];
    const to = await target(second);
    const from = await redirecting(status, `${to}/moved`);
    expect(await text(call(from))).toBe('ok');
    expect(second).toEqual([{ method: 'GET', path: '/moved', auth: 'Token tok', type: undefined, body: '' }]);
  });

  it('a relative Location is resolved against the URL asked', async () => {
    const requests: Seen[] = [];
    const url = await servers.serve((req, body, res) => {
      requests.push(seen(req, body));
      if (req.url === '/api/v2/query?org=o') return res.writeHead(307, { location: 'v3?x=1' }).end();
      res.end('there');
    });
    expect(await text(call(url))).toBe('there');
    expect(requests.map((r) => `${r.method} ${r.path} ${r.body}`)).toEqual([`POST /api/v2/query?org=o ${BODY}`, `POST /api/v2/v3?x=1 ${BODY}`]);
  });

  it('a redirect to another host does not carry the token (the body still goes)', async () => {
    const second: Seen[] = [];
    const to = await target(second);
    // localhost is another host name than 127.0.0.1 (Go compares names, not addresses or ports).
    const from = await redirecting(307, `http://localhost:${new URL(to).port}/q`);
    expect(await text(call(from))).toBe('ok');
    expect(second).toEqual([{ method: 'POST', path: '/q', auth: undefined, type: 'application/json', body: BODY }]);
  });

  it('once dropped, the token stays dropped when the chain comes back to the first host', async () => {
    const requests: Seen[] = [];
    const home = await servers.serve((req, body, res) => {
      requests.push(seen(req, body));
      // Out to localhost (another host name for the same server), then back to 127.0.0.1.
      if (req.url === '/away') return res.writeHead(307, { location: `http://127.0.0.1:${port}/back` }).end();
      if (req.url === '/back') return res.end('home');
      res.writeHead(307, { location: `http://localhost:${port}/away` }).end();
    });
    const port = new URL(home).port;
    expect(await text(call(home))).toBe('home');
    expect(requests.map((r) => `${r.path} ${r.auth ?? 'no token'}`)).toEqual(['/api/v2/query?org=o Token tok', '/away no token', '/back no token']);
  });

  it('a redirect loop fails after 10 requests with Go’s error, naming the Location', async () => {
    const requests: Seen[] = [];
    const url = await redirecting(302, '/again', requests);
    const err = await sluiceFailure(call(url).response());
    expect(err.message).toBe('Post "/again": stopped after 10 redirects');
    expect(err.code).toBe(ErrorCode.Invalid);
    expect(requests).toHaveLength(10);
  });

  it('the error of the last hop names the URL asked last', async () => {
    const to = await servers.serve((_req, _body, res) => res.writeHead(502, { 'content-type': 'text/plain' }).end('bad gateway'));
    const from = await redirecting(307, `${to}/down`);
    const err = await sluiceFailure(call(from).response());
    expect(err.message).toBe(`Post "${to}/down": 502 Bad Gateway: bad gateway`);
  });

  it('a redirect without Location is the answer: its status is the remote’s error', async () => {
    const url = await servers.serve((_req, _body, res) => res.writeHead(307).end('nowhere'));
    const err = await sluiceFailure(call(url).response());
    expect(err.message).toBe(`Post "${url}/api/v2/query?org=o": 307 Temporary Redirect: nowhere`);
  });

  it('responseTimeoutMs bounds the whole chain, and the timeout names the hop that did not answer', async () => {
    let reached: () => void = () => undefined;
    const secondReached = new Promise<void>((resolve) => (reached = resolve));
    const to = await servers.serve(() => reached()); // never answers
    const from = await redirecting(307, `${to}/slow`);
    const clock = new FakeClock();
    const p = sluiceFailure(call(from, 'open', { clock, responseTimeoutMs: 5_000 }).response());
    await secondReached;
    clock.advance(5_000);
    const err = await p;
    expect(err.code).toBe(ErrorCode.Unavailable);
    expect(err.message).toBe(`Post "${to}/slow": timeout: no response within 5s from ${new URL(to).host}`);
  });

  it('a query canceled while a redirect hop waits ends the chain with the cancel reason', async () => {
    let reached: () => void = () => undefined;
    const secondReached = new Promise<void>((resolve) => (reached = resolve));
    const to = await servers.serve(() => reached());
    const from = await redirecting(308, `${to}/slow`);
    const ac = new AbortController();
    const p = sluiceFailure(call(from, 'open', {}, ac.signal).response());
    await secondReached;
    const reason = new SluiceError(ErrorCode.Canceled, 'query canceled: client went away');
    ac.abort(reason);
    expect(await p).toBe(reason);
  });

  it('a Location that is not a URL fails the call, naming the URL that answered it', async () => {
    const url = await redirecting(307, 'http://[bad');
    const err = await sluiceFailure(call(url).response());
    expect(err.message).toBe(`Post "${url}/api/v2/query?org=o": failed to parse Location header "http://[bad": Invalid URL`);
    expect(err.code).toBe(ErrorCode.Invalid);
  });

  it('a redirect to a scheme other than http(s) is refused', async () => {
    const url = await redirecting(307, 'file:///etc/passwd');
    const err = await sluiceFailure(call(url).response());
    expect(err.message).toBe('Post "file:///etc/passwd": unsupported protocol scheme "file"');
  });
});

describe('RemoteCall redirects under --hardening-enabled', () => {
  /** public-only, except that this machine's 127.0.0.1 test servers stand in for public hosts. */
  const hardened: AddressFilter = { refuses: (address) => address !== '127.0.0.1' && isNonPublicAddress(address) };

  it('the stand-in policy lets the test servers through, redirects between them included', async () => {
    const second: Seen[] = [];
    const to = await target(second);
    const from = await redirecting(307, `${to}/q`);
    expect(await text(call(from, hardened))).toBe('ok');
    expect(second).toHaveLength(1);
  });

  it.each<[string, string]>([
    ['http://169.254.169.254/latest/meta-data/', 'dial tcp 169.254.169.254:80: no such host'],
    ['http://10.1.2.3:8086/api/v2/query', 'dial tcp 10.1.2.3:8086: no such host'],
    ['http://127.0.0.2:8086/api/v2/query', 'dial tcp 127.0.0.2:8086: no such host'],
    ['http://[::1]:8086/api/v2/query', 'dial tcp [::1]:8086: no such host'],
    ['http://[::ffff:127.0.0.2]/x', 'dial tcp [::ffff:7f00:2]:80: no such host'],
  ])('a redirect to %s is refused before connecting', async (location, reason) => {
    const url = await redirecting(307, location);
    const err = await sluiceFailure(call(url, hardened).response());
    expect(err.message).toBe(`Post "${new URL(location).href}": ${reason}`);
    expect(err.code).toBe(ErrorCode.Invalid);
  });

  it('a redirect to a name is checked on the addresses it resolves to, before connecting', async () => {
    const second: Seen[] = [];
    const to = await target(second);
    const asked: string[] = [];
    // Allows the first hop (the literal 127.0.0.1) and refuses whatever it is asked after that.
    const firstOnly: AddressFilter = { refuses: (address) => asked.push(address) > 1 };
    const from = await redirecting(307, `http://localhost:${new URL(to).port}/q`);
    const err = await sluiceFailure(call(from, firstOnly).response());
    expect(err.message).toBe(`Post "http://localhost:${new URL(to).port}/q": dial tcp 127.0.0.1:${new URL(to).port}: no such host`);
    expect(asked).toEqual(['127.0.0.1', '127.0.0.1']);
    expect(second).toHaveLength(0);
  });

  it('the real public-only policy refuses the first hop to loopback already, with InfluxDB’s words', async () => {
    const requests: Seen[] = [];
    const url = await target(requests);
    const err = await sluiceFailure(call(url, 'public-only').response());
    expect(err.message).toBe('failed to initialize execute state: no such host');
    expect(requests).toHaveLength(0);
  });
});
