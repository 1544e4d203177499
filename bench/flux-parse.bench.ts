/**
 * Flux front-end speed: parsing a large script of typical task and query code (pipes, filters
 * with predicates, records, strings, durations, time literals). Target: ≥ 2 MB/s on one core, that
 * is a 2 KB task script parsed in under a millisecond (tasks are compiled on every run). Baseline:
 * the scanner alone over the same text (every token produced, nothing built), the floor of any
 * parser that tokenises first.
 */
import { Scanner } from '../src/flux/syntax/scanner.js';
import { parse } from '../src/flux/syntax/parser.js';
import { print } from '../src/flux/syntax/printer.js';
import type { BenchSuite } from './harness.js';

const TARGET_MB_PER_S = 2;

function script(copies: number): string {
  const parts = ['import "strings"\nimport "experimental"\n\noption task = {name: "downsample", every: 1h, offset: 5m}\n'];
  for (let i = 0; i < copies; i++) {
    parts.push(`
data${i} = from(bucket: "telegraf/autogen")
    |> range(start: -1h30m, stop: 2030-01-01T00:00:00Z)
    |> filter(fn: (r) => r._measurement == "cpu" and r._field =~ /usage_(user|system)/ and r.host != "h${i}")
    |> aggregateWindow(every: 5m, fn: mean, createEmpty: false)
    |> map(fn: (r) => ({r with _value: r._value * 100.0 / 2.5, label: "host " + r.host + " #${i}"}))
threshold${i} = (v, limit=90.0) => if v > limit then "crit" else if v > limit / 2.0 then "warn" else "ok"
data${i} |> to(bucket: "downsampled", org: "my-org")
`);
  }
  return parts.join('');
}

/** Median CPU time of `fn` in ms (CPU, not wall, time: the machine is shared). */
function medianCpuMs(fn: () => unknown, runs = 7, warmup = 2): number {
  for (let i = 0; i < warmup; i++) fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = process.cpuUsage();
    fn();
    const d = process.cpuUsage(t0);
    times.push((d.user + d.system) / 1000);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}

const suite: BenchSuite = {
  name: 'flux-parse',
  async run(report) {
    const src = script(400);
    const mb = Buffer.byteLength(src) / 1e6;
    let tokens = 0;
    const scanMs = medianCpuMs(() => {
      const s = new Scanner(src);
      tokens = 0;
      while (s.scan().type !== 'EOF') tokens++;
    });
    let statements = 0;
    const parseMs = medianCpuMs(() => {
      const { file, diagnostics } = parse(src);
      if (diagnostics.length > 0) throw new Error('benchmark script does not parse');
      statements = file.body.length;
    });
    const { file } = parse(src);
    const printMs = medianCpuMs(() => print(file));
    const scanRate = mb / (scanMs / 1000);
    const parseRate = mb / (parseMs / 1000);
    report({
      name: `parse ${mb.toFixed(2)} MB (${statements} statements, ${tokens} tokens)`,
      value: parseRate,
      unit: 'MB/s',
      baseline: { name: 'scanner only', value: scanRate },
      target: `>= ${TARGET_MB_PER_S}`,
      ok: parseRate >= TARGET_MB_PER_S,
    });
    report({ name: 'print the same tree', value: mb / (printMs / 1000), unit: 'MB/s' });
  },
};

export default suite;
