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
export type AddressPolicy = 'open' | 'public-only' | AddressFilter;

/**
 * A policy of one's own: the addresses it refuses, checked exactly where `public-only` checks
 * (IP literals before connecting, every resolved address of a name). Tests use it to let their
 * 127.0.0.1 servers stand in for public ones while everything else stays `public-only`.
 */
export interface AddressFilter {
  refuses(address: string): boolean;
}

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
 * addresses is refused (`refuses`). The connection is made to exactly the addresses this returns,
 * so the check is on what is connected to (a name that resolves to a public address when checked
 * and a private one when connecting — DNS rebinding — cannot slip through). IP literals never
 * reach a lookup: the caller checks them before connecting (`connectOptions`).
 */
function refusingLookup(refuses: (address: string) => boolean): LookupFn {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (err, addresses) => {
      if (err !== null) return callback(err, []);
      const refused = addresses.find((a) => refuses(a.address));
      if (refused !== undefined) return callback(new AddressRefused(refused.address), []);
      if (options.all === true) return callback(null, addresses);
      const first = addresses[0];
      if (first === undefined) return callback(Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' }), []);
      callback(null, first.address, first.family);
    });
  };
}

/** `public-only`'s lookup: no address that is not globally reachable. */
export const publicOnlyLookup: LookupFn = refusingLookup(isNonPublicAddress);

/** One policy's connections: its pools (http, https) and, unless `open`, its checking lookup. */
interface Connecting {
  readonly http: HttpAgent;
  readonly https: HttpsAgent;
  readonly refuses?: (address: string) => boolean;
  readonly lookup?: LookupFn;
}

function connecting(refuses?: (address: string) => boolean, lookup?: LookupFn): Connecting {
  const agents = { http: new HttpAgent({ keepAlive: true }), https: new HttpsAgent({ keepAlive: true }) };
  return refuses === undefined ? agents : { ...agents, refuses, lookup: lookup ?? refusingLookup(refuses) };
}

/**
 * Kept-alive connections, one pool per policy and scheme: a connection opened under `open` (to a
 * loopback address, say) must never be reused by a `public-only` request.
 */
const BUILT_IN = { open: connecting(), 'public-only': connecting(isNonPublicAddress, publicOnlyLookup) } as const;
const OWN = new WeakMap<AddressFilter, Connecting>();

function connectingOf(policy: AddressPolicy): Connecting {
  if (typeof policy === 'string') return BUILT_IN[policy];
  let c = OWN.get(policy);
  if (c === undefined) OWN.set(policy, (c = connecting((address) => policy.refuses(address))));
  return c;
}

/**
 * The node:http(s) request options that hold a request to `policy`: the policy's connection
 * pool and, unless `open`, the checking lookup. An IP-literal host is connected to without any
 * lookup, so it is checked here (throws `AddressRefused`). Called for every request, redirects
 * included, so each hop is checked on its own address.
 */
export function connectOptions(url: URL, policy: AddressPolicy): { agent: HttpAgent; lookup?: LookupFn } {
  const c = connectingOf(policy);
  const agent = url.protocol === 'https:' ? c.https : c.http;
  if (c.refuses === undefined || c.lookup === undefined) return { agent };
  const literal = url.hostname.startsWith('[') || /^[\d.]+$/.test(url.hostname);
  if (literal && c.refuses(url.hostname.replace(/^\[|\]$/g, ''))) throw new AddressRefused(url.hostname);
  return { agent, lookup: c.lookup };
}
