/**
 * Line protocol parsing speed on TSBS cpu-only data (100 hosts × 24 h = 864,000 lines, ~250 bytes,
 * 10 tags and 10 float fields each). Target: ≥ 1,000,000 lines/s on one core. Baseline: the same
 * batches split into lines with every char code read, the floor of any parser that looks at every
 * byte.
 */
import { Buffer } from 'node:buffer';
import { LineParser } from '../src/lineprotocol/line-parser.js';
import { formatPoints } from '../src/lineprotocol/format-point.js';
import { medianMs, type BenchSuite } from './harness.js';
import { cpuOnlyBatches } from './tsbs-cpu.js';

const TARGET_LINES_PER_S = 1_000_000;

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
  async run(report) {
    const batches = [...cpuOnlyBatches({ hosts: 100, hours: 24 })];
    const bytes = batches.map((b) => Buffer.from(b, 'utf8'));
    const totalLines = baselineScan(batches);
    const totalBytes = bytes.reduce((n, b) => n + b.length, 0);
    const options = { precision: 'ns' as const, defaultTimeNs: 0n };

    const baselineMs = await medianMs(() => baselineScan(batches), 5, 1);
    const baselineRate = totalLines / (baselineMs / 1000);
    const parser = new LineParser();
    let parsed = 0;
    const parseMs = await medianMs(() => {
      parsed = 0;
      for (const b of batches) parsed += parser.parse(b, options).length;
    }, 5, 2);
    if (parsed !== totalLines) throw new Error(`parsed ${parsed} of ${totalLines} lines`);
    report({
      name: `parse ${totalLines.toLocaleString('en-US')} lines (string body)`,
      value: totalLines / (parseMs / 1000),
      unit: 'lines/s',
      baseline: { name: 'split + scan every char code', value: baselineRate },
      target: `>= ${TARGET_LINES_PER_S.toLocaleString('en-US')}`,
      ok: totalLines / (parseMs / 1000) >= TARGET_LINES_PER_S,
    });

    const bytesMs = await medianMs(() => {
      for (const b of bytes) parser.parse(b, options);
    }, 5, 1);
    report({
      name: `parse ${totalLines.toLocaleString('en-US')} lines (UTF-8 bytes, ${(totalBytes / 1e6).toFixed(0)} MB, incl. decoding)`,
      value: totalLines / (bytesMs / 1000),
      unit: 'lines/s',
      baseline: { name: 'split + scan every char code', value: baselineRate },
      target: `>= ${TARGET_LINES_PER_S.toLocaleString('en-US')}`,
      ok: totalLines / (bytesMs / 1000) >= TARGET_LINES_PER_S,
    });

    // A cold parser: every series is new in the first batch (interning cost included).
    const coldMs = await medianMs(() => new LineParser().parse(batches[0]!, options), 5, 1);
    const coldLines = batches[0]!.split('\n').length - 1;
    report({ name: `parse first batch with a new parser (${coldLines} lines)`, value: coldLines / (coldMs / 1000), unit: 'lines/s' });

    const points = parser.parse(batches[0]!, options);
    const formatMs = await medianMs(() => formatPoints(points), 5, 1);
    report({ name: 'format points back to line protocol', value: points.length / (formatMs / 1000), unit: 'lines/s' });
  },
};

export default suite;
