import { SystemClock, type Clock } from '../../core/clock.js';
import { ExternalKey, type ExecContext } from '../../flux/interpreter/index.js';
import type { AddressPolicy } from './address-policy.js';

/** How this server talks to remote hosts (`from(host:)`, `to(host:)`). */
export interface RemoteOptions {
  /** Drives the timeouts (a FakeClock in tests). */
  readonly clock: Clock;
  /**
   * Longest wait for the remote's response headers: connecting plus the remote's own queueing
   * and compile time. A remote query streams afterwards, so this does not bound its length.
   * 0 = none.
   */
  readonly responseTimeoutMs: number;
  /** Longest pause between two chunks of a response body before the read is given up. 0 = none. */
  readonly idleTimeoutMs: number;
  /** Lines per write request: InfluxDB's client writes batches of 5000. */
  readonly writeBatchLines: number;
  /**
   * Which addresses may be connected to: `open` (InfluxDB's default) or `public-only`
   * (`sluice serve --hardening-enabled`: no private, loopback, link-local… address, checked on
   * the address actually connected to). Absent = `open`.
   */
  readonly addressPolicy?: AddressPolicy;
  /**
   * Connect to https hosts without checking their certificate chain or host name
   * (`sluice flux run --skip-verify`, as influx's flag). A server always checks. Absent = check.
   */
  readonly tlsSkipVerify?: boolean;
}

/** What a server sets (`sluice serve` flags); the clock is the server's own. */
export type RemoteSettings = Partial<Omit<RemoteOptions, 'clock'>>;

export const DEFAULT_REMOTE_OPTIONS: RemoteOptions = {
  clock: new SystemClock(),
  responseTimeoutMs: 30_000,
  idleTimeoutMs: 60_000,
  writeBatchLines: 5_000,
};

/** Overrides the defaults for one execution (given with the query's externals). */
export const REMOTE_OPTIONS = new ExternalKey<RemoteOptions>('remote host client options');

export function remoteOptionsOf(ctx: ExecContext): RemoteOptions {
  return ctx.external(REMOTE_OPTIONS) ?? DEFAULT_REMOTE_OPTIONS;
}
