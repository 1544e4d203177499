/**
 * TSBS-style "cpu-only" data: measurement `cpu`, ten tags per host, ten float fields with two
 * decimals, one line per host every 10 s. Seeded, so every run (and every peer in a side-by-side
 * comparison) sees the same data.
 */
export interface CpuOnlyOptions {
  hosts: number;
  /** Hours of data. */
  hours: number;
  seed?: number;
  /** First timestamp, ns. Default 2026-01-01T00:00:00Z. */
  startNs?: bigint;
  intervalS?: number;
}

export const CPU_FIELDS = [
  'usage_user',
  'usage_system',
  'usage_idle',
  'usage_nice',
  'usage_iowait',
  'usage_irq',
  'usage_softirq',
  'usage_steal',
  'usage_guest',
  'usage_guest_nice',
] as const;

const REGIONS = ['us-east-1', 'us-west-1', 'us-west-2', 'eu-west-1', 'eu-central-1', 'ap-southeast-1', 'ap-southeast-2', 'ap-northeast-1', 'sa-east-1'];
const OSES = ['Ubuntu16.10', 'Ubuntu16.04LTS', 'Ubuntu15.10'];
const ARCHES = ['x64', 'x86'];
const TEAMS = ['SF', 'NYC', 'LON', 'CHI'];
const ENVS = ['production', 'staging', 'test'];

/** Mulberry32: small, fast, seeded. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function hostTags(host: number, rand: () => number): string {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const region = pick(REGIONS);
  return (
    `hostname=host_${host},region=${region},datacenter=${region}${pick(['a', 'b', 'c'])},` +
    `rack=${Math.floor(rand() * 100)},os=${pick(OSES)},arch=${pick(ARCHES)},team=${pick(TEAMS)},` +
    `service=${Math.floor(rand() * 20)},service_version=${Math.floor(rand() * 2)},service_environment=${pick(ENVS)}`
  );
}

/**
 * Yields batches of line protocol (`batchLines` lines each, `\n`-terminated), time-major: all hosts
 * at t, then all hosts at t + 10 s, as TSBS writes.
 */
export function* cpuOnlyBatches(options: CpuOnlyOptions, batchLines = 5000): Generator<string> {
  const rand = seededRandom(options.seed ?? 42);
  const intervalS = options.intervalS ?? 10;
  const startNs = options.startNs ?? 1767225600000000000n;
  const prefixes = Array.from({ length: options.hosts }, (_, h) => `cpu,${hostTags(h, rand)} `);
  const state = Array.from({ length: options.hosts }, () => CPU_FIELDS.map(() => rand() * 100));
  const steps = Math.floor((options.hours * 3600) / intervalS);
  let lines: string[] = [];
  for (let step = 0; step < steps; step++) {
    const ts = (startNs + BigInt(step * intervalS) * 1_000_000_000n).toString();
    for (let h = 0; h < options.hosts; h++) {
      const values = state[h]!;
      let fields = '';
      for (let f = 0; f < CPU_FIELDS.length; f++) {
        // Bounded random walk, two decimals, as TSBS's cpu generator.
        let v = values[f]! + (rand() - 0.5) * 2;
        v = Math.min(100, Math.max(0, v));
        values[f] = v;
        fields += `${f === 0 ? '' : ','}${CPU_FIELDS[f]}=${v.toFixed(2)}`;
      }
      lines.push(`${prefixes[h]}${fields} ${ts}`);
      if (lines.length === batchLines) {
        yield lines.join('\n') + '\n';
        lines = [];
      }
    }
  }
  if (lines.length > 0) yield lines.join('\n') + '\n';
}
