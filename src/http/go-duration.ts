/**
 * Formats nanoseconds as Go's `time.Duration.String()` (`1h2m3.5s`, `250ms`, `0s`), which InfluxDB
 * uses in `/ready`'s `up` and in retention messages.
 */
export function formatGoDuration(ns: bigint): string {
  if (ns === 0n) return '0s';
  const neg = ns < 0n;
  let u = neg ? -ns : ns;
  let out: string;
  if (u < 1_000_000_000n) {
    const [unit, per] = u < 1_000n ? ['ns', 1n] : u < 1_000_000n ? ['µs', 1_000n] : ['ms', 1_000_000n];
    out = fraction(u, per) + unit;
  } else {
    const h = u / 3_600_000_000_000n;
    u %= 3_600_000_000_000n;
    const m = u / 60_000_000_000n;
    u %= 60_000_000_000n;
    out = `${h > 0n ? `${h}h` : ''}${h > 0n || m > 0n ? `${m}m` : ''}${fraction(u, 1_000_000_000n)}s`;
  }
  return neg ? `-${out}` : out;
}

function fraction(value: bigint, per: bigint): string {
  const whole = value / per;
  const rest = value % per;
  if (rest === 0n) return String(whole);
  const digits = String(per).length - 1;
  return `${whole}.${rest.toString().padStart(digits, '0').replace(/0+$/, '')}`;
}
