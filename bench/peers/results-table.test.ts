import { describe, expect, it } from 'vitest';
import type { PeerResult, PeersReport, QuestionResult } from './peers-report.js';
import { formatResultsTable } from './results-table.js';

const q = (medianMs: number, problems: string[] = []): QuestionResult => ({ query: 'q', timesMs: [medianMs], medianMs, problems });

function peer(name: string, valuesPerSecond: number, questions: PeerResult['questions'], bytesPerValue = 2): PeerResult {
  return {
    name,
    ingest: { values: 1000, elapsedMs: 1, valuesPerSecond },
    disk: { allocatedBytes: 0, apparentBytes: 0, bytesPerValue },
    memory: { afterLoad: { hwmBytes: 300 * 1048576, rssBytes: 100 * 1048576 }, afterQueries: { hwmBytes: 200 * 1048576, rssBytes: 150 * 1048576 } },
    questions,
  };
}

const report = (peers: PeerResult[]): PeersReport => ({
  startedAt: '',
  finishedAt: '',
  machine: { cpus: 2, loadAverage1mAtStart: 0, node: 'v20' },
  scenario: { hosts: 1, hours: 1, values: 1000, startNs: '0', batchLines: 5000, concurrency: 4, runs: 5 },
  peers,
});

/** The table's cells for the row whose label starts with `label`. */
function row(table: string, label: string): string[] {
  const line = table.split('\n').find((l) => l.startsWith(`| ${label}`));
  if (line === undefined) throw new Error(`no row ${label} in\n${table}`);
  return line.split('|').slice(1, -1).map((c) => c.trim());
}

describe('formatResultsTable', () => {
  const table = formatResultsTable(
    report([
      peer('Sluice', 2_000_000, { a: q(10), c: q(30, ['values: got 9, want 10']), f: q(400) }, 1.5),
      peer('InfluxDB 1.6', 500_000, { a: q(200), c: q(28), f: q(5000) }, 3),
      peer('VictoriaMetrics', 1_000_000, { a: q(20), c: q(15) }, 0.75),
    ]),
  );

  const cases: Array<{ label: string; want: string[] }> = [
    { label: 'ingest', want: ['ingest (values/s)', '2,000,000', '500,000', '1,000,000', '4.00×', '2.00×', '≥ VM: met'] },
    { label: 'a (ms)', want: ['a (ms)', '10.0', '200', '20.0', '20.0×', '2.00×', '≤ VM: met'] },
    { label: 'c (ms)', want: ['c (ms)', '30.0 (!)', '28.0', '15.0', '0.93×', '0.50×', '≤ VM: MISSED, answer WRONG'] },
    { label: 'a10 (ms)', want: ['a10 (ms)', '—', '—', '—', '—', '—', 'no figure'] },
    { label: 'f (ms)', want: ['f (ms)', '400', '5,000', '—', '12.5×', '—', '≤ InfluxDB/10 (500): met'] },
    { label: 'disk', want: ['disk (B/value)', '1.50', '3.00', '0.75', '2.00×', '0.50×', '—'] },
    { label: 'RSS peak', want: ['RSS peak, VmHWM (MiB)', '300', '300', '300', '1.00×', '1.00×', '—'] },
  ];
  it.each(cases)('row $label', ({ label, want }) => {
    expect(row(table, label)).toEqual(want);
  });

  it('is a Markdown table with one row per figure', () => {
    const lines = table.split('\n');
    expect(lines[1]).toMatch(/^\|:-+\|-+:\|/);
    expect(lines).toHaveLength(2 + 1 + 6 + 3);
    expect(new Set(lines.map((l) => l.length)).size).toBe(1);
  });

  it('shows a failed peer as missing figures', () => {
    const t = formatResultsTable(report([peer('Sluice', 1000, { a: q(5) }), { name: 'VictoriaMetrics', error: 'boom', memory: {}, questions: {} }]));
    expect(row(t, 'a (ms)')).toEqual(['a (ms)', '5.0', '—', '—', '—', '—', '≤ VM: no VM figure']);
  });
});
