/**
 * Line protocol parsing speed on TSBS cpu-only data (100 hosts × 24 h = 864,000 lines, ~366 bytes,
 * 10 tags and 10 float fields with two decimals each, ns timestamps). Target: ≥ 1,000,000 lines/s
 * on one core, judged by CPU time. Baseline: the same batches split into lines with every char
 * code read, the floor of a parser that looks at every byte; on a busy machine compare ratios.
 */
import { Buffer } from 'node:buffer';
import { LineParser } from '../src/lineprotocol/line-parser.js';
import { formatPoints } from '../src/lineprotocol/format-point.js';
import { medianMs, type BenchSuite } from './harness.js';
import { cpuOnlyBatches } from './tsbs-cpu.js';

const TARGET_LINES_PER_S = 1_000_000;

/**
 * Median CPU time (user + system) of `fn` in ms. On a shared machine wall time also counts the
 * time other processes hold the core; CPU time is what "lines/s on one core" means.
 */
function medianCpuMs(fn: () => unknown, runs = 5, warmup = 1): number {
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

function baselineScan(batches: readonly string[]): number {
  let lines = 0;
  let sum = 0;
  for (const batch of batches) {
    for (const line of batch.split('\n')) {
      if (line.length === 0) continue;
      lines++;
      for (let i = 0; i < line.length; i++) sum += line.charCodeAt(i);
    }
  }
  if (sum === 42) console.log('unlikely');
  return lines;
}

const suite: BenchSuite = {
  name: 'lineprotocol',
  // The target is "≥ 1 M lines/s on one core".
  cpus: 1,
  async run(report) {
    const batches = [...cpuOnlyBatches({ hosts: 100, hours: 24 })];
    const totalLines = baselineScan(batches);
    const options = { precision: 'ns' as const, defaultTimeNs: 0n };

    const target = `>= ${TARGET_LINES_PER_S.toLocaleString('en-US')}`;
    const parser = new LineParser();
    let parsed = 0;
    const parseAll = (): void => {
      parsed = 0;
      for (const b of batches) parsed += parser.parse(b, options).length;
    };

    const baselineMs = await medianMs(() => baselineScan(batches), 5, 1);
    const parseMs = await medianMs(parseAll, 5, 2);
    if (parsed !== totalLines) throw new Error(`parsed ${parsed} of ${totalLines} lines`);
    const rate = totalLines / (parseMs / 1000);
    report({
      // Wall time on a shared machine also counts other processes: shown, but judged by CPU time.
      name: `parse ${totalLines.toLocaleString('en-US')} lines (string body, wall time)`,
      value: rate,
      unit: 'lines/s',
      baseline: { name: 'split + scan every char code', value: totalLines / (baselineMs / 1000) },
    });

    const baselineCpuMs = medianCpuMs(() => baselineScan(batches));
    const parseCpuMs = medianCpuMs(parseAll);
    const cpuRate = totalLines / (parseCpuMs / 1000);
    report({
      name: `parse ${totalLines.toLocaleString('en-US')} lines (string body, CPU time)`,
      value: cpuRate,
      unit: 'lines/CPU-s',
      baseline: { name: 'split + scan every char code', value: totalLines / (baselineCpuMs / 1000) },
      target,
      ok: cpuRate >= TARGET_LINES_PER_S,
    });
    // Bodies as the HTTP layer gets them (UTF-8 bytes, decoded by the parser). A quarter of the
    // data: 300+ MB of Buffers would make V8 collect for the external memory, not the parser.
    const bytes = batches.slice(0, Math.ceil(batches.length / 4)).map((b) => Buffer.from(b, 'utf8'));
    const byteLines = baselineScan(batches.slice(0, bytes.length));
    const bytesCpuMs = medianCpuMs(() => {
      for (const b of bytes) parser.parse(b, options);
    });
    const mb = bytes.reduce((n, b) => n + b.length, 0) / 1e6;
    report({
      name: `parse ${byteLines.toLocaleString('en-US')} lines from UTF-8 bytes (${mb.toFixed(0)} MB, decoding included, CPU time)`,
      value: byteLines / (bytesCpuMs / 1000),
      unit: 'lines/CPU-s',
      baseline: { name: 'split + scan every char code', value: totalLines / (baselineCpuMs / 1000) },
      target,
      ok: byteLines / (bytesCpuMs / 1000) >= TARGET_LINES_PER_S,
    });

    // Telegraf-like lines with every field type, to show the fast path is not float-only.
    const mixed: string[] = [];
    for (let b = 0; b < 20; b++) {
      let body = '';
      for (let l = 0; l < 5000; l++) {
        const h = l % 100;
        const ts = 1767225600000000000n + BigInt(b * 50 + Math.floor(l / 100)) * 10_000_000_000n;
        body += `system,host=host_${h},os=linux load1=${(l % 7) * 0.31},n_users=${l % 13}i,uptime=${l * 17}u,ok=true,status="up ${h}, \\"fine\\"" ${ts}\n`;
      }
      mixed.push(body);
    }
    const mixedCpuMs = medianCpuMs(() => {
      for (const b of mixed) parser.parse(b, options);
    });
    report({ name: 'parse 100,000 mixed-type lines (float, int, uint, bool, escaped string)', value: 100_000 / (mixedCpuMs / 1000), unit: 'lines/CPU-s' });

    // The exact (InfluxDB-faithful) path alone: what lines the fast path declines cost.
    const exactParser = new LineParser({ fastPath: false });
    const exactCpuMs = medianCpuMs(() => exactParser.parse(batches[0]!, options), 3);
    report({ name: 'parse the first batch on the exact path only (5000 lines)', value: 5000 / (exactCpuMs / 1000), unit: 'lines/CPU-s' });

    // A cold parser: every series is new in the first batch (interning cost included).
    const coldMs = medianCpuMs(() => new LineParser().parse(batches[0]!, options), 9);
    const coldLines = batches[0]!.split('\n').length - 1;
    report({ name: `parse the first batch with a new parser (${coldLines} lines)`, value: coldLines / (coldMs / 1000), unit: 'lines/CPU-s' });

    const points = parser.parse(batches[0]!, options);
    const formatMs = medianCpuMs(() => formatPoints(points), 9);
    report({ name: 'format points back to line protocol', value: points.length / (formatMs / 1000), unit: 'lines/CPU-s' });
  },
};

export default suite;
