const HOUR_NS = 3_600_000_000_000n;
const DAY_NS = 24n * HOUR_NS;

/**
 * InfluxDB's default shard-group duration for a retention period: 7 d for infinite (0) or
 * ≥ 180 d retention, 1 d for ≥ 2 d, else 1 h. An explicit non-zero duration is kept.
 */
export function shardGroupDurationNs(retentionNs: bigint, configuredNs = 0n): bigint {
  if (configuredNs > 0n) return configuredNs;
  if (retentionNs === 0n || retentionNs >= 180n * DAY_NS) return 7n * DAY_NS;
  if (retentionNs >= 2n * DAY_NS) return DAY_NS;
  return HOUR_NS;
}

/** Formats nanoseconds as Go's time.Duration.String() (`24h0m0s`, `1h30m0s`, `1.5s`), as InfluxDB's messages do. */
export function formatGoDuration(ns: bigint): string {
  if (ns === 0n) return '0s';
  const neg = ns < 0n;
  let u = neg ? -ns : ns;
  let out: string;
  if (u < 1_000_000_000n) {
    if (u < 1_000n) out = `${u}ns`;
    else if (u < 1_000_000n) out = `${fraction(u, 1_000n)}µs`;
    else out = `${fraction(u, 1_000_000n)}ms`;
  } else {
    const h = u / HOUR_NS;
    u -= h * HOUR_NS;
    const m = u / 60_000_000_000n;
    u -= m * 60_000_000_000n;
    const s = fraction(u, 1_000_000_000n);
    out = h > 0n ? `${h}h${m}m${s}s` : m > 0n ? `${m}m${s}s` : `${s}s`;
  }
  return neg ? `-${out}` : out;
}

function fraction(v: bigint, unit: bigint): string {
  const whole = v / unit;
  const rest = v % unit;
  if (rest === 0n) return whole.toString();
  const digits = rest.toString().padStart(unit.toString().length - 1, '0').replace(/0+$/, '');
  return `${whole}.${digits}`;
}
