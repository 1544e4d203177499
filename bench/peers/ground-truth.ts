import { CPU_FIELDS } from '../tsbs-cpu.js';
import type { AnswerSummary } from './answer.js';
import { halfNs, type QuestionId, type Scenario } from './questions.js';

/**
 * The answers every peer should give, computed from the generated line protocol itself (not from
 * any server), so a wrong answer is caught even when all servers agree.
 *
 * Window means follow Flux's aggregateWindow: windows `[T0 + k·5m, T0 + (k+1)·5m)`.
 * (f) echoes (a10): `to()` passes its input through, and bench_5m receives exactly those values.
 */
export function computeGroundTruth(batches: Iterable<string>, s: Scenario): Record<QuestionId, AnswerSummary> {
  const t0s = Number(s.startNs / 1_000_000_000n);
  const halfS = Number(halfNs(s) / 1_000_000_000n);
  const windows = s.hours * 12;
  const fields = CPU_FIELDS.length;
  const hostIndex = new Map<string, number>();
  // [host][field][window] running sums and counts, grown as hosts appear.
  const sums: Float64Array[] = [];
  const counts: Uint32Array[] = [];
  const last: Float64Array[] = [];
  const lastAtS: number[] = [];
  const fieldAt = new Map<string, number>(CPU_FIELDS.map((f, i) => [f, i]));
  let total = 0;
  let dValues = 0;
  let dSum = 0;
  const dHosts = new Set<number>();

  for (const batch of batches) {
    let lineStart = 0;
    while (lineStart < batch.length) {
      let lineEnd = batch.indexOf('\n', lineStart);
      if (lineEnd < 0) lineEnd = batch.length;
      const line = batch.slice(lineStart, lineEnd);
      lineStart = lineEnd + 1;
      if (line.length === 0) continue;
      // cpu,<tags> <fields> <timestampNs>; tags and fields hold no spaces in this data set.
      const sp1 = line.indexOf(' ');
      const sp2 = line.indexOf(' ', sp1 + 1);
      const tags = line.slice(0, sp1);
      const hs = tags.indexOf('hostname=') + 9;
      const he = tags.indexOf(',', hs);
      const hostName = tags.slice(hs, he < 0 ? tags.length : he);
      let h = hostIndex.get(hostName);
      if (h === undefined) {
        h = hostIndex.size;
        hostIndex.set(hostName, h);
        sums.push(new Float64Array(fields * windows));
        counts.push(new Uint32Array(fields * windows));
        last.push(new Float64Array(fields));
        lastAtS.push(-Infinity);
      }
      const tsS = Number(line.slice(sp2 + 1, -9));
      const w = Math.floor((tsS - t0s) / 300);
      const isLast = tsS >= lastAtS[h]!;
      if (isLast) lastAtS[h] = tsS;
      for (const pair of line.slice(sp1 + 1, sp2).split(',')) {
        const eq = pair.indexOf('=');
        const f = fieldAt.get(pair.slice(0, eq))!;
        const v = Number(pair.slice(eq + 1));
        total++;
        sums[h]![f * windows + w]! += v;
        counts[h]![f * windows + w]!++;
        if (isLast) last[h]![f] = v;
        if (f === 0 && v > 90 && tsS < halfS) {
          dValues++;
          dSum += v;
          dHosts.add(h);
        }
      }
    }
  }

  const hosts = hostIndex.size;
  const meanOf = (fieldFilter: (f: number) => boolean): AnswerSummary => {
    let values = 0;
    let sum = 0;
    for (let h = 0; h < hosts; h++) {
      for (let f = 0; f < fields; f++) {
        if (!fieldFilter(f)) continue;
        for (let w = 0; w < windows; w++) {
          const n = counts[h]![f * windows + w]!;
          if (n === 0) continue;
          values++;
          sum += sums[h]![f * windows + w]! / n;
        }
      }
    }
    return { values, sum, hosts };
  };
  const a10 = meanOf(() => true);
  let lastSum = 0;
  for (const l of last) for (const v of l) lastSum += v;
  return {
    a: meanOf((f) => f === 0),
    a10,
    c: { values: hosts * fields, sum: lastSum, hosts },
    d: { values: dValues, sum: dSum, hosts: dHosts.size },
    e: { values: 1, sum: total, hosts: 0 },
    f: a10,
  };
}
