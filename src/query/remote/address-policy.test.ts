import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AddressRefused, connectOptions, isNonPublicAddress, publicOnlyLookup, type AddressFilter } from './address-policy.js';

describe('isNonPublicAddress (--hardening-enabled)', () => {
  it.each<[string, boolean]>([
    // IPv4: private, loopback, link-local, unspecified, shared, documentation, reserved, broadcast.
    ['10.1.2.3', true],
    ['172.16.0.1', true],
    ['172.31.255.255', true],
    ['192.168.0.0', true],
    ['127.0.0.1', true],
    ['127.255.0.9', true],
    ['169.254.169.254', true],
    ['0.0.0.0', true],
    ['100.64.0.1', true],
    ['192.0.2.10', true],
    ['198.18.0.1', true],
    ['203.0.113.5', true],
    ['240.0.0.1', true],
    ['255.255.255.255', true],
    // IPv4 just outside those ranges.
    ['172.15.255.255', false],
    ['172.32.0.0', false],
    ['100.128.0.0', false],
    ['8.8.8.8', false],
    ['1.1.1.1', false],
    ['192.88.99.1', false],
    // IPv6: loopback, unspecified, unique-local, link-local (with a zone), documentation, 6to4.
    ['::1', true],
    ['::', true],
    ['[::1]', true],
    ['fc00::1', true],
    ['fd12:3456::1', true],
    ['fe80::1', true],
    ['fe80::1%eth0', true],
    ['2001:db8::1', true],
    ['2002::1', true],
    ['2606:4700:4700::1111', false],
    ['2a00:1450:4001::200e', false],
    // IPv4-mapped IPv6: judged by the IPv4 address inside, in either spelling.
    ['::ffff:127.0.0.1', true],
    ['[::ffff:7f00:1]', true],
    ['::ffff:10.0.0.1', true],
    ['::ffff:8.8.8.8', false],
    // IPv4-compatible (deprecated) spelling of loopback.
    ['::127.0.0.1', true],
    // Not an IP at all: refused (a caller only asks about resolved addresses and literals).
    ['localhost', true],
  ])('%s -> %s', (address, refused) => {
    expect(isNonPublicAddress(address)).toBe(refused);
  });
});

describe('isNonPublicAddress, any IPv4 address', () => {
  /** Flux's IPv4 ranges as [first, prefix length], checked with plain integer arithmetic. */
  const RANGES: [number, number][] = (
    [
      ['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12],
      ['192.0.0.0', 24], ['192.0.2.0', 24], ['192.88.99.2', 32], ['192.168.0.0', 16], ['198.18.0.0', 15],
      ['198.51.100.0', 24], ['203.0.113.0', 24], ['240.0.0.0', 4], ['255.255.255.255', 32],
    ] as const
  ).map(([a, p]) => [toInt(a), p]);
  function toInt(a: string): number {
    return a.split('.').reduce((n, o) => n * 256 + Number(o), 0);
  }
  const inRanges = (n: number): boolean => RANGES.some(([first, p]) => Math.floor(n / 2 ** (32 - p)) === Math.floor(first / 2 ** (32 - p)));

  it('refuses exactly the listed ranges, in dotted and both IPv4-mapped IPv6 spellings', () => {
    fc.assert(
      fc.property(fc.ipV4(), (a) => {
        const n = toInt(a);
        const hex = `::ffff:${Math.floor(n / 65536).toString(16)}:${(n % 65536).toString(16)}`;
        expect([isNonPublicAddress(a), isNonPublicAddress(`::ffff:${a}`), isNonPublicAddress(hex)]).toEqual([inRanges(n), inRanges(n), inRanges(n)]);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('publicOnlyLookup', () => {
  it.each([{ all: true }, { all: false }])('refuses a name that resolves to loopback (%j)', async (options) => {
    const err = await new Promise<unknown>((resolve) => publicOnlyLookup('localhost', options, (e) => resolve(e)));
    expect(err).toBeInstanceOf(AddressRefused);
    expect((err as Error).message).toBe('no such host');
  });
});

describe('connectOptions', () => {
  const only10: AddressFilter = { refuses: (address) => address.startsWith('10.') };

  it.each<[string, string, boolean]>([
    ['open', 'http://127.0.0.1/', false],
    ['public-only', 'http://127.0.0.1/', true],
    ['public-only', 'http://[::1]:8086/', true],
    ['public-only', 'http://8.8.8.8/', false],
    ['public-only', 'http://example.com/', false], // names: checked by the lookup, when connecting
    ['own filter', 'http://10.0.0.1/', true],
    ['own filter', 'http://127.0.0.1/', false],
  ])('%s, %s: IP literal refused before connecting = %s', (name, url, refused) => {
    const policy = name === 'own filter' ? only10 : (name as 'open' | 'public-only');
    const get = (): unknown => connectOptions(new URL(url), policy);
    if (refused) expect(get).toThrow(AddressRefused);
    else expect(get).not.toThrow();
  });

  it('gives every policy its own keep-alive pools, the same ones on every call, and a lookup unless open', () => {
    const http = new URL('http://8.8.8.8/');
    const https = new URL('https://8.8.8.8/');
    const other: AddressFilter = { refuses: () => false };
    const agents = [connectOptions(http, 'open'), connectOptions(http, 'public-only'), connectOptions(http, only10), connectOptions(http, other), connectOptions(https, only10)].map((o) => o.agent);
    expect(new Set(agents).size).toBe(5);
    expect(connectOptions(http, only10).agent).toBe(agents[2]);
    expect(connectOptions(http, 'open').lookup).toBeUndefined();
    expect(connectOptions(http, 'public-only').lookup).toBe(publicOnlyLookup);
    expect(connectOptions(http, only10).lookup).toBeTypeOf('function');
  });

  it("an own filter's lookup refuses a name by the addresses it resolves to", async () => {
    const refusesLoopback: AddressFilter = { refuses: (address) => address === '127.0.0.1' };
    const lookup = connectOptions(new URL('http://localhost/'), refusesLoopback).lookup!;
    const err = await new Promise<unknown>((resolve) => lookup('localhost', { all: true }, (e) => resolve(e)));
    expect(err).toBeInstanceOf(AddressRefused);
    expect((err as AddressRefused).address).toBe('127.0.0.1');
  });
});
