import type { PeerResult, PeersReport } from './peers-report.js';
import { QUESTION_IDS, type QuestionId } from './questions.js';

export const SLUICE = 'Sluice';
export const INFLUXDB = 'InfluxDB 1.6';
export const VICTORIA = 'VictoriaMetrics';

const MIB = 1024 * 1024;

function fmt(v: number | undefined, digits = 0): string {
  if (v === undefined || !Number.isFinite(v)) return '—';
  if (digits === 0 || Math.abs(v) >= 100) return Math.round(v).toLocaleString('en-US');
  return v.toFixed(digits);
}

function ratio(r: number | undefined): string {
  if (r === undefined || !Number.isFinite(r)) return '—';
  return `${r >= 10 ? r.toFixed(1) : r.toFixed(2)}×`;
}

/** A figure of one peer: its value, whether larger is better, and whether it is trustworthy. */
interface Cell {
  value: number | undefined;
  text: string;
  wrong: boolean;
}

interface Row {
  label: string;
  higherIsBetter: boolean;
  cell(p: PeerResult | undefined): Cell;
  target(sluice: Cell, influx: Cell, vm: Cell): string;
}

const plain = (value: number | undefined, digits = 0): Cell => ({ value, text: fmt(value, digits), wrong: false });

function queryRow(q: QuestionId): Row {
  return {
    label: `${q} (ms)`,
    higherIsBetter: false,
    cell: (p) => {
      const r = p?.questions[q];
      if (r === undefined) return plain(undefined);
      const wrong = r.problems.length > 0;
      const text = r.medianMs === undefined ? 'error' : fmt(r.medianMs, 1) + (wrong ? ' (!)' : '');
      return { value: r.medianMs, text, wrong };
    },
    target: (s, i, v) => {
      if (s.value === undefined) return 'no figure';
      const suffix = s.wrong ? ', answer WRONG' : '';
      if (q === 'f') {
        if (i.value === undefined) return `≤ InfluxDB/10: no InfluxDB figure${suffix}`;
        return `≤ InfluxDB/10 (${fmt(i.value / 10, 1)}): ${s.value <= i.value / 10 ? 'met' : 'MISSED'}${suffix}`;
      }
      if (v.value === undefined) return `≤ VM: no VM figure${suffix}`;
      return `≤ VM: ${s.value <= v.value ? 'met' : 'MISSED'}${suffix}`;
    },
  };
}

const ROWS: Row[] = [
  {
    label: 'ingest (values/s)',
    higherIsBetter: true,
    cell: (p) => plain(p?.ingest?.valuesPerSecond),
    target: (s, _i, v) => (s.value === undefined || v.value === undefined ? '≥ VM: no figure' : `≥ VM: ${s.value >= v.value ? 'met' : 'MISSED'}`),
  },
  ...QUESTION_IDS.map(queryRow),
  { label: 'disk (B/value)', higherIsBetter: false, cell: (p) => plain(p?.disk?.bytesPerValue, 2), target: () => '—' },
  {
    label: 'RSS after load (MiB)',
    higherIsBetter: false,
    cell: (p) => plain(p?.memory.afterLoad === undefined ? undefined : p.memory.afterLoad.rssBytes / MIB),
    target: () => '—',
  },
  {
    label: 'RSS peak, VmHWM (MiB)',
    higherIsBetter: false,
    // Sluice is restarted by its settle step, so its peak is the larger of the two processes'.
    cell: (p) => {
      const peaks = [p?.memory.afterLoad?.hwmBytes, p?.memory.afterQueries?.hwmBytes].filter((x): x is number => x !== undefined);
      return plain(peaks.length === 0 ? undefined : Math.max(...peaks) / MIB);
    },
    target: () => '—',
  },
];

/** How much better Sluice is than the peer on this row: > 1 = Sluice faster (or smaller). */
function advantage(row: Row, sluice: Cell, peer: Cell): number | undefined {
  if (sluice.value === undefined || peer.value === undefined || sluice.value === 0 || peer.value === 0) return undefined;
  return row.higherIsBetter ? sluice.value / peer.value : peer.value / sluice.value;
}

/**
 * One Markdown table (readable in a terminal too): rows = ingest, the questions, disk, RSS;
 * columns = the three peers, Sluice's advantage over each (> 1 = Sluice faster or smaller), and
 * whether Sluice meets the issue's target. `(!)` marks an answer that disagreed with the expected.
 */
export function formatResultsTable(report: PeersReport): string {
  const byName = new Map(report.peers.map((p) => [p.name, p]));
  const header = ['', SLUICE, INFLUXDB, VICTORIA, 'Sluice/Influx', 'Sluice/VM', 'target (Sluice)'];
  const lines: string[][] = [header];
  for (const row of ROWS) {
    const s = row.cell(byName.get(SLUICE));
    const i = row.cell(byName.get(INFLUXDB));
    const v = row.cell(byName.get(VICTORIA));
    lines.push([row.label, s.text, i.text, v.text, ratio(advantage(row, s, i)), ratio(advantage(row, s, v)), row.target(s, i, v)]);
  }
  const widths = header.map((_, c) => Math.max(...lines.map((l) => l[c]!.length)));
  const render = (cells: string[]): string =>
    `| ${cells.map((cell, c) => (c === 0 || c === cells.length - 1 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join(' | ')} |`;
  const rule = `|${widths.map((w, c) => (c === 0 || c === widths.length - 1 ? `:${'-'.repeat(w + 1)}` : `${'-'.repeat(w + 1)}:`)).join('|')}|`;
  return [render(lines[0]!), rule, ...lines.slice(1).map(render)].join('\n');
}
