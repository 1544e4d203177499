import { loadavg } from 'node:os';

/** A reading of how fast this machine is right now, taken before each load and before the questions. */
export interface MachineCheck {
  /** Median ms of a fixed CPU-bound piece of work in the harness's own process (lower is faster). */
  readonly probeMs: number;
  readonly loadAverage1m: number;
}

/** The fixed work: an xorshift walk with a little floating-point arithmetic, ~30 ms on the 2-core machine. */
function work(): number {
  let x = 2463534242;
  let acc = 0;
  for (let i = 0; i < 12_000_000; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    acc += (x >>> 0) / 4294967296;
  }
  return acc;
}

/**
 * Times `work()` (three times to compile it, then 5 times; the median). A machine that slows down
 * during the run (another tenant on the host) moves every figure measured meanwhile; readings
 * that differ say so.
 */
export function checkMachine(): MachineCheck {
  let sink = work() + work() + work();
  const times: number[] = [];
  for (let k = 0; k < 5; k++) {
    const t0 = process.hrtime.bigint();
    sink += work();
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  if (Number.isNaN(sink)) throw new Error('unreachable: the probe work is never NaN');
  times.sort((a, b) => a - b);
  return { probeMs: times[2]!, loadAverage1m: loadavg()[0]! };
}

/** How far apart two readings may be before figures measured at those times compare doubtfully. */
export const DRIFT_LIMIT = 1.1;

/** A machine check and when it was taken ("before Sluice's load, round 2"). */
export interface LabelledCheck {
  readonly label: string;
  readonly probeMs: number;
  readonly loadAverage1m: number;
}

/**
 * One line with every reading in the order taken, and a warning when the slowest is more than
 * `DRIFT_LIMIT` times the fastest; undefined when there are fewer than two readings.
 */
export function machineCheckLine(checks: readonly LabelledCheck[]): string | undefined {
  if (checks.length < 2) return undefined;
  const parts = checks.map((c) => `${c.label} ${c.probeMs.toFixed(1)} (load ${c.loadAverage1m.toFixed(2)})`);
  const ms = checks.map((c) => c.probeMs);
  const ratio = Math.max(...ms) / Math.min(...ms);
  const line = `machine checks (fixed work in the harness, ms, lower is faster): ${parts.join(', ')}`;
  return ratio > DRIFT_LIMIT
    ? `${line}\nWARNING: the machine's speed changed by ${((ratio - 1) * 100).toFixed(0)} % during the run. The loads take turns and the questions are interleaved, so every peer met the same drift, but single timings moved with it`
    : line;
}
