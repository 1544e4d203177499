import { afterEach, describe, expect, it } from 'vitest';
import type { HttpRequest } from '../../flux/stdlib/http/http-client.js';
import { isNonPublicAddress, type AddressFilter } from './address-policy.js';
import { policyHttpClient, publicOnlyHttpClient } from './host-http-client.js';
import { BodyServers } from './testing/body-server.js';

const servers = new BodyServers();
afterEach(() => servers.closeAll());

/** A real server on 127.0.0.1; the handler sees each request with its body. */
const serve = (handler: Parameters<BodyServers['serve']>[0]): Promise<string> => servers.serve(handler);

function req(url: string, over: Partial<HttpRequest> = {}): HttpRequest {
  return { method: 'POST', url, headers: new Map([['Authorization', 'Token t'], ['Content-Type', 'text/plain']]), body: new TextEncoder().encode('hi'), timeoutMs: 0, insecureSkipVerify: false, ...over };
}

describe('the public-only HTTP client (--hardening-enabled http.post, requests, …)', () => {
  it.each(['127.0.0.1', 'localhost', '[::ffff:127.0.0.1]'])('refuses %s with "no such host" before any request reaches it', async (host) => {
    let requests = 0;
    const url = await serve((_r, _b, res) => {
      requests++;
      res.end();
    });
    const port = new URL(url).port;
    await expect(publicOnlyHttpClient.send(req(`http://${host}:${port}/x`))).rejects.toThrow('no such host');
    expect(requests).toBe(0);
  });
});

describe('policyHttpClient (open, against loopback): the exchange itself', () => {
  it('sends method, headers and body; answers status, lower-cased headers and body', async () => {
    const url = await serve((r, body, res) => {
      res.writeHead(201, { 'X-Seen': `${r.method} ${r.headers['content-type']} ${body}` }).end('done');
    });
    const res = await policyHttpClient('open').send(req(`${url}/p`));
    expect(res.statusCode).toBe(201);
    expect(res.headers.get('x-seen')).toBe('POST text/plain hi');
    expect(new TextDecoder().decode(res.body)).toBe('done');
  });

  it.each<[number, string, string]>([
    [303, 'GET', ''],
    [302, 'GET', ''],
    [307, 'POST', 'hi'],
    [308, 'POST', 'hi'],
  ])('a %i redirect is followed as Go follows it: %s with body %j', async (status, method, body) => {
    let seen = '';
    const url = await serve((r, b, res) => {
      if (r.url === '/from') return res.writeHead(status, { location: '/to' }).end();
      seen = `${r.method} ${b}`;
      res.end();
    });
    const res = await policyHttpClient('open').send(req(`${url}/from`));
    expect(res.statusCode).toBe(200);
    expect(seen).toBe(`${method} ${body}`);
  });

  it('a 307 after a 303 repeats the GET with the first request\'s body, as Go does', async () => {
    const seen: string[] = [];
    const url = await serve((r, b, res) => {
      seen.push(`${r.method} ${r.url} ${b}`);
      if (r.url === '/from') return res.writeHead(303, { location: '/mid' }).end();
      if (r.url === '/mid') return res.writeHead(307, { location: '/to' }).end();
      res.end();
    });
    expect((await policyHttpClient('open').send(req(`${url}/from`))).statusCode).toBe(200);
    expect(seen).toEqual(['POST /from hi', 'GET /mid ', 'GET /to hi']);
  });

  // Go compares host names, not ports: 127.0.0.1:a → 127.0.0.1:b is the same host, localhost another.
  it.each<[string, string | undefined]>([
    ['127.0.0.1', 'Token t'],
    ['localhost', undefined],
  ])('a redirect to %s (another port) carries Authorization %j, and the other headers and body', async (host, expected) => {
    let seen: { auth: string | undefined; type: string | undefined; body: string } | undefined;
    const other = await serve((r, body, res) => {
      seen = { auth: r.headers.authorization, type: r.headers['content-type'], body };
      res.end();
    });
    const url = await serve((_r, _b, res) => res.writeHead(307, { location: `http://${host}:${new URL(other).port}/x` }).end());
    await policyHttpClient('open').send(req(url));
    expect(seen).toEqual({ auth: expected, type: 'text/plain', body: 'hi' });
  });

  it('gives up on the 10th redirect, as Go: 10 requests went out', async () => {
    let requests = 0;
    const url = await serve((_r, _b, res) => {
      requests++;
      res.writeHead(302, { location: '/again' }).end();
    });
    await expect(policyHttpClient('open').send(req(url))).rejects.toThrow(/^stopped after 10 redirects$/);
    expect(requests).toBe(10);
  });
});

describe('policyHttpClient redirects under a hardened policy', () => {
  /** public-only, except that this machine's 127.0.0.1 test servers stand in for public hosts. */
  const hardened: AddressFilter = { refuses: (address) => address !== '127.0.0.1' && isNonPublicAddress(address) };

  it.each(['http://169.254.169.254/latest/meta-data/', 'http://[::1]:8086/x', 'http://127.0.0.2/x'])('a redirect to %s fails with "no such host"', async (location) => {
    const url = await serve((_r, _b, res) => res.writeHead(302, { location }).end());
    await expect(policyHttpClient(hardened).send(req(url))).rejects.toThrow(/^no such host$/);
  });

  it('a redirect between allowed hosts is followed', async () => {
    const other = await serve((_r, _b, res) => res.end('there'));
    const url = await serve((_r, _b, res) => res.writeHead(302, { location: `${other}/x` }).end());
    const res = await policyHttpClient(hardened).send(req(url));
    expect(new TextDecoder().decode(res.body)).toBe('there');
  });
});
