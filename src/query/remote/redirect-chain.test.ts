import { describe, expect, it } from 'vitest';
import { MAX_REQUESTS, RedirectChain, RedirectError } from './redirect-chain.js';

const FIRST = 'http://db.example.com:8086/api/v2/query?org=o';

describe('RedirectChain: which responses are followed, and how', () => {
  it.each<[string, number, string | undefined, { method: string; withBody: boolean } | undefined]>([
    ['POST', 301, '/x', { method: 'GET', withBody: false }],
    ['POST', 302, '/x', { method: 'GET', withBody: false }],
    ['POST', 303, '/x', { method: 'GET', withBody: false }],
    ['POST', 307, '/x', { method: 'POST', withBody: true }],
    ['POST', 308, '/x', { method: 'POST', withBody: true }],
    ['PUT', 303, '/x', { method: 'GET', withBody: false }],
    ['HEAD', 302, '/x', { method: 'HEAD', withBody: false }],
    ['GET', 301, '/x', { method: 'GET', withBody: false }],
    // Not redirects Go follows, or nowhere to go: the response is the final one.
    ['POST', 300, '/x', undefined],
    ['POST', 304, '/x', undefined],
    ['POST', 305, '/x', undefined],
    ['POST', 200, '/x', undefined],
    ['POST', 307, undefined, undefined],
    ['POST', 302, '', undefined],
  ])('%s answered %i (Location %j) → %j', (method, status, location, expected) => {
    const hop = new RedirectChain(new URL(FIRST), method).next(status, location);
    expect(hop === undefined ? undefined : { method: hop.method, withBody: hop.withBody }).toEqual(expected);
  });

  it('a 303 turns the POST into a GET for good: a 307 after it repeats the GET', () => {
    const chain = new RedirectChain(new URL(FIRST), 'POST');
    expect(chain.next(303, '/a')?.method).toBe('GET');
    expect(chain.next(307, '/b')?.method).toBe('GET');
  });

  it('resolves Location against the URL asked last', () => {
    const chain = new RedirectChain(new URL(FIRST), 'POST');
    expect(chain.next(307, '/v2/q?x=1')?.url.href).toBe('http://db.example.com:8086/v2/q?x=1');
    expect(chain.next(307, 'other')?.url.href).toBe('http://db.example.com:8086/v2/other');
    expect(chain.next(307, '//b.example.com/z')?.url.href).toBe('http://b.example.com/z');
  });
});

describe('RedirectChain: which headers of the first request go along', () => {
  it.each<[string, string, boolean]>([
    ['same host, same port', 'http://db.example.com:8086/x', true],
    ['same host, another port (Go compares host names)', 'http://db.example.com:9999/x', true],
    ['same host, https', 'https://db.example.com/x', true],
    ['a subdomain', 'http://eu.db.example.com/x', true],
    ['the parent domain', 'http://example.com/x', false],
    ['a look-alike suffix', 'http://evildb.example.com/x', false],
    ['another host', 'http://other.example.org/x', false],
    ['an IP address', 'http://127.0.0.1:8086/x', false],
  ])('%s: Authorization and Cookie kept = %s; other headers always', (_what, location, kept) => {
    const hop = new RedirectChain(new URL(FIRST), 'POST').next(307, location)!;
    for (const h of ['Authorization', 'authorization', 'Cookie', 'Cookie2', 'WWW-Authenticate', 'Proxy-Authorization']) expect(hop.keepsHeader(h)).toBe(kept);
    for (const h of ['Accept', 'Accept-Encoding', 'Content-Type', 'X-Custom']) expect(hop.keepsHeader(h)).toBe(true);
  });

  it('once the chain has left the first host, credentials stay dropped even back on it', () => {
    const chain = new RedirectChain(new URL(FIRST), 'POST');
    expect(chain.next(307, 'http://other.example.org/x')!.keepsHeader('Authorization')).toBe(false);
    expect(chain.next(307, FIRST)!.keepsHeader('Authorization')).toBe(false);
  });

  it('a redirect that drops the body drops the headers describing it', () => {
    const hop = new RedirectChain(new URL(FIRST), 'POST').next(303, '/x')!;
    for (const h of ['Content-Type', 'content-encoding', 'Content-Language', 'Content-Location']) expect(hop.keepsHeader(h)).toBe(false);
    expect(hop.keepsHeader('Authorization')).toBe(true);
    expect(hop.keepsHeader('Accept')).toBe(true);
  });

  it.each<[string, string, string | undefined]>([
    ['http://a.example.com/p?q=1', 'http://a.example.com/next', 'http://a.example.com/p?q=1'],
    ['https://a.example.com/p', 'https://b.example.com/next', 'https://a.example.com/p'],
    ['http://a.example.com/p', 'https://a.example.com/next', 'http://a.example.com/p'],
    ['https://a.example.com/p', 'http://a.example.com/next', undefined],
    ['http://user:pw@a.example.com/p', '/next', 'http://a.example.com/p'],
  ])('Referer from %s to %s: %j', (from, to, referer) => {
    expect(new RedirectChain(new URL(from), 'GET').next(302, to)!.referer).toBe(referer);
  });
});

describe('RedirectChain: where it gives up (Go’s words)', () => {
  it(`allows ${MAX_REQUESTS} requests: the 10th redirect response is refused, naming its Location`, () => {
    const chain = new RedirectChain(new URL(FIRST), 'POST');
    for (let i = 1; i < MAX_REQUESTS; i++) expect(chain.next(302, `/r${i}`)).toBeDefined();
    const fail = (): unknown => chain.next(302, '/r10');
    expect(fail).toThrow(RedirectError);
    expect(fail).toThrow(/^stopped after 10 redirects$/);
    try {
      fail();
    } catch (e) {
      expect((e as RedirectError).url).toBe('/r10');
    }
  });

  it.each<[string, string, string]>([
    ['http://[bad', 'failed to parse Location header "http://[bad": ', FIRST],
    ['ftp://files.example.com/x', 'unsupported protocol scheme "ftp"', 'ftp://files.example.com/x'],
    ['file:///etc/passwd', 'unsupported protocol scheme "file"', 'file:///etc/passwd'],
  ])('Location %j: %s…', (location, message, url) => {
    let err: unknown;
    try {
      new RedirectChain(new URL(FIRST), 'POST').next(307, location);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(RedirectError);
    expect((err as RedirectError).message.startsWith(message)).toBe(true);
    expect((err as RedirectError).url).toBe(url);
  });
});
