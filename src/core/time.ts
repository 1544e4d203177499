import { invalid } from './errors.js';

/**
 * Nanosecond time helpers. Nanoseconds since the epoch do not fit a double, so times are `bigint`
 * at every API boundary (`timestampNs`), and BigInt64Array in bulk.
 */

export const NS_PER_US = 1_000n;
export const NS_PER_MS = 1_000_000n;
export const NS_PER_S = 1_000_000_000n;

/** The smallest and largest times InfluxDB accepts (reference §1.3). */
export const MIN_TIME_NS = -9223372036854775806n;
export const MAX_TIME_NS = 9223372036854775806n;

const RFC3339 =
  /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?)?([Zz]|[+-]\d{2}:\d{2})?$/;

/**
 * Parses an RFC3339 timestamp (with optional fractional seconds up to nanoseconds) to nanoseconds.
 * A date alone (`2026-01-02`) is midnight UTC, as Flux's date literals allow.
 */
export function parseRfc3339Ns(s: string): bigint {
  const m = RFC3339.exec(s);
  if (m === null) throw invalid(`cannot parse time "${s}": expected RFC3339`);
  const [, y, mo, d, h = '00', mi = '00', sec = '00', frac = '', zone] = m;
  if (h !== '00' || m[4] !== undefined) {
    if (zone === undefined) throw invalid(`cannot parse time "${s}": missing time zone`);
  }
  const ms = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(sec));
  if (Number.isNaN(ms)) throw invalid(`cannot parse time "${s}"`);
  const check = new Date(ms);
  if (check.getUTCDate() !== Number(d) || check.getUTCMonth() !== Number(mo) - 1) {
    throw invalid(`cannot parse time "${s}": day out of range`);
  }
  let ns = BigInt(ms) * NS_PER_MS + BigInt(frac.padEnd(9, '0') || '0');
  if (zone !== undefined && zone !== 'Z' && zone !== 'z') {
    const sign = zone[0] === '-' ? -1n : 1n;
    const offMin = BigInt(Number(zone.slice(1, 3)) * 60 + Number(zone.slice(4, 6)));
    ns -= sign * offMin * 60n * NS_PER_S;
  }
  return ns;
}

/**
 * Formats nanoseconds as RFC3339 in UTC with the shortest fractional part that keeps the value
 * (Go's time.RFC3339Nano, which InfluxDB and Flux use on the wire).
 */
export function formatRfc3339Nano(ns: bigint): string {
  let secs = ns / NS_PER_S;
  let frac = ns % NS_PER_S;
  if (frac < 0n) {
    frac += NS_PER_S;
    secs -= 1n;
  }
  const date = new Date(Number(secs) * 1000);
  const base = formatDateTime(date);
  if (frac === 0n) return `${base}Z`;
  const digits = frac.toString().padStart(9, '0').replace(/0+$/, '');
  return `${base}.${digits}Z`;
}

function formatDateTime(d: Date): string {
  const y = d.getUTCFullYear();
  const year = y < 0 ? `-${String(-y).padStart(4, '0')}` : String(y).padStart(4, '0');
  const p2 = (n: number): string => String(n).padStart(2, '0');
  return `${year}-${p2(d.getUTCMonth() + 1)}-${p2(d.getUTCDate())}T${p2(d.getUTCHours())}:${p2(
    d.getUTCMinutes(),
  )}:${p2(d.getUTCSeconds())}`;
}

/** Floor division for bigint (rounds toward negative infinity). */
export function floorDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return (a % b !== 0n && (a < 0n) !== (b < 0n)) ? q - 1n : q;
}
