import { loadavg } from 'node:os';

/** A reading of how fast this machine is right now, taken before a peer's questions. */
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
 * Times `work()` (three times to compile it, then 5 times; the median). The peers take their turns one
 * after the other, so a machine that slows down during one peer's turn (another tenant on the
 * host) shows up as a ratio between peers; readings that differ between turns say so.
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

/** How far apart two turns' readings may be before the comparison between them is doubtful. */
export const DRIFT_LIMIT = 1.1;

/**
 * One line naming each peer's reading, and a warning when the slowest is more than
 * `DRIFT_LIMIT` times the fastest; undefined when fewer than two peers have readings.
 */
export function machineCheckLine(peers: readonly { name: string; machine?: MachineCheck | undefined }[]): string | undefined {
  const read = peers.filter((p): p is { name: string; machine: MachineCheck } => p.machine !== undefined);
  if (read.length < 2) return undefined;
  const parts = read.map((p) => `${p.name} ${p.machine.probeMs.toFixed(1)} ms (load ${p.machine.loadAverage1m.toFixed(2)})`);
  const ms = read.map((p) => p.machine.probeMs);
  const ratio = Math.max(...ms) / Math.min(...ms);
  const line = `machine check before each peer's questions (fixed work in the harness, lower is faster): ${parts.join(', ')}`;
  return ratio > DRIFT_LIMIT
    ? `${line}\nWARNING: the machine's speed changed by ${((ratio - 1) * 100).toFixed(0)} % between the peers' turns: compare their figures with care`
    : line;
}
