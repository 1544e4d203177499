/**
 * Benchmark harness. Each `bench/*.bench.ts` default-exports a `BenchSuite`; `npm run bench` runs
 * every suite (or those named on the command line) and prints each figure next to a baseline
 * measured in the same run, so noisy machines compare like with like.
 */
export interface BenchFigure {
  name: string;
  value: number;
  unit: string;
  /** A raw baseline measured in the same run (e.g. a plain typed-array scan), same unit. */
  baseline?: { name: string; value: number };
  /** The issue's target, for the report (e.g. ">= 1000000"). */
  target?: string;
  /** Whether the figure meets its target. */
  ok?: boolean;
}

export interface BenchSuite {
  name: string;
  /**
   * Run pinned to this many CPUs (`taskset`), for targets stated "on one core": V8's GC helper
   * threads would otherwise run on the second core and count in (and, measured, slow down) a
   * single-threaded figure.
   */
  cpus?: number;
  run(report: (figure: BenchFigure) => void): Promise<void>;
}

export function formatFigure(f: BenchFigure): string {
  const fmt = (v: number): string =>
    Math.abs(v) >= 1000 ? Math.round(v).toLocaleString('en-US') : v.toPrecision(4).replace(/\.?0+$/, '');
  let line = `${f.name}: ${fmt(f.value)} ${f.unit}`;
  if (f.baseline !== undefined) {
    line += ` | baseline ${f.baseline.name}: ${fmt(f.baseline.value)} ${f.unit} | ratio ${(f.value / f.baseline.value).toFixed(3)}`;
  }
  if (f.target !== undefined) line += ` | target ${f.target} ${f.ok === false ? 'MISSED' : 'met'}`;
  return line;
}

/** Median wall time of `fn` in milliseconds over `runs` runs after `warmup` runs. */
export async function medianMs(fn: () => unknown, runs = 5, warmup = 1): Promise<number> {
  for (let i = 0; i < warmup; i++) await fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = process.hrtime.bigint();
    await fn();
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}
