import { lookup as dnsLookup, type LookupAddress, type LookupAllOptions, type LookupOneOptions } from 'node:dns';
import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { BlockList, isIP } from 'node:net';

/**
 * Which addresses outbound Flux HTTP (`from/to/buckets/wideTo/experimental.to/cardinality(host:)`)
 * may connect to. `open` is InfluxDB's default: anything this server can reach. `public-only` is
 * InfluxDB's `--hardening-enabled` (Flux's PrivateIPValidator): no address that is not globally
 * reachable (private, loopback, link-local, unspecified, shared, documentation, reserved…).
 */
export type AddressPolicy = 'open' | 'public-only';

/**
 * The ranges IANA's special-purpose registries mark as not globally reachable, as Flux lists them
 * (dependencies/url), plus `::/96` (the unspecified and loopback addresses and the deprecated
 * IPv4-compatible form, none of which a public server has). IPv4-mapped IPv6 addresses
 * (`::ffff:127.0.0.1`) are checked against the IPv4 ranges (BlockList does that itself).
 */
const NOT_GLOBAL: readonly (readonly [string, number, 'ipv4' | 'ipv6'])[] = [
  ['0.0.0.0', 8, 'ipv4'],
  ['10.0.0.0', 8, 'ipv4'],
  ['100.64.0.0', 10, 'ipv4'],
  ['127.0.0.0', 8, 'ipv4'],
  ['169.254.0.0', 16, 'ipv4'],
  ['172.16.0.0', 12, 'ipv4'],
  ['192.0.0.0', 24, 'ipv4'],
  ['192.0.2.0', 24, 'ipv4'],
  ['192.88.99.2', 32, 'ipv4'],
  ['192.168.0.0', 16, 'ipv4'],
  ['198.18.0.0', 15, 'ipv4'],
  ['198.51.100.0', 24, 'ipv4'],
  ['203.0.113.0', 24, 'ipv4'],
  ['240.0.0.0', 4, 'ipv4'],
  ['255.255.255.255', 32, 'ipv4'],
  ['::', 96, 'ipv6'],
  ['64:ff9b:1::', 48, 'ipv6'],
  ['100::', 64, 'ipv6'],
  ['100:0:0:1::', 64, 'ipv6'],
  ['2001::', 23, 'ipv6'],
  ['2001:db8::', 32, 'ipv6'],
  ['2002::', 16, 'ipv6'],
  ['3fff::', 20, 'ipv6'],
  ['5f00::', 16, 'ipv6'],
  ['fc00::', 7, 'ipv6'],
  ['fe80::', 10, 'ipv6'],
];

const notGlobal = new BlockList();
for (const [net, prefix, family] of NOT_GLOBAL) notGlobal.addSubnet(net, prefix, family);

/** Whether `address` (an IP literal, brackets and zone allowed) is one `public-only` refuses. Not an IP: refused. */
export function isNonPublicAddress(address: string): boolean {
  const bare = address.replace(/^\[|\]$/g, '').replace(/%.*$/, '');
  const v = isIP(bare);
  if (v === 0) return true;
  return notGlobal.check(bare, v === 4 ? 'ipv4' : 'ipv6');
}

/**
 * InfluxDB's words for a refused address, on purpose vague (Flux: "do not explain why"). Thrown
 * by the lookup below; RemoteCall reports it as InfluxDB's provider does (`failed to initialize
 * execute state: no such host`).
 */
export class AddressRefused extends Error {
  constructor(readonly address: string) {
    super('no such host');
    this.name = 'AddressRefused';
  }
}

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;
type LookupFn = (hostname: string, options: LookupOneOptions | LookupAllOptions, callback: LookupCallback) => void;

/**
 * A `lookup` for node:net / node:http that resolves as usual and refuses the host when any of its
 * addresses is not public. The connection is made to exactly the addresses this returns, so the
 * check is on what is connected to (a name that resolves to a public address when checked and a
 * private one when connecting — DNS rebinding — cannot slip through). IP literals never reach a
 * lookup: the caller checks them with `isNonPublicAddress` before connecting.
 */
export const publicOnlyLookup: LookupFn = (hostname, options, callback) => {
  dnsLookup(hostname, { ...options, all: true }, (err, addresses) => {
    if (err !== null) return callback(err, []);
    const refused = addresses.find((a) => isNonPublicAddress(a.address));
    if (refused !== undefined) return callback(new AddressRefused(refused.address), []);
    if (options.all === true) return callback(null, addresses);
    const first = addresses[0];
    if (first === undefined) return callback(Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' }), []);
    callback(null, first.address, first.family);
  });
};

/**
 * Kept-alive connections, one pool per policy and scheme: a connection opened under `open` (to a
 * loopback address, say) must never be reused by a `public-only` request.
 */
const AGENTS = {
  open: { http: new HttpAgent({ keepAlive: true }), https: new HttpsAgent({ keepAlive: true }) },
  'public-only': { http: new HttpAgent({ keepAlive: true }), https: new HttpsAgent({ keepAlive: true }) },
} as const;

/**
 * The node:http(s) request options that hold a request to `policy`: the policy's connection
 * pool and, for `public-only`, the checking lookup. An IP-literal host is connected to without
 * any lookup, so it is checked here (throws `AddressRefused`).
 */
export function connectOptions(url: URL, policy: AddressPolicy): { agent: HttpAgent; lookup?: LookupFn } {
  const agent = AGENTS[policy][url.protocol === 'https:' ? 'https' : 'http'];
  if (policy === 'open') return { agent };
  const literal = url.hostname.startsWith('[') || /^[\d.]+$/.test(url.hostname);
  if (literal && isNonPublicAddress(url.hostname)) throw new AddressRefused(url.hostname);
  return { agent, lookup: publicOnlyLookup };
}
