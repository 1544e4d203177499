import { displayValue } from '../values/format-value.js';
import type { Table } from './table.js';

/**
 * A plain-text rendering of a table for test failures and `sluice flux test` output, in the
 * spirit of Flux's: the key on the first line, then `label:type` headers and aligned rows.
 */
export function formatTable(table: Table): string {
  const keys = table.key.cols.map((c) => c.label).join(', ');
  const header = table.cols.map((c) => `${c.label}:${c.type}`);
  const rows: string[][] = [];
  for (let i = 0; i < table.length; i++) rows.push(table.cols.map((_, j) => displayValue(table.value(i, j))));
  const widths = header.map((h, j) => Math.max(h.length, ...rows.map((r) => r[j]!.length)));
  const line = (cells: readonly string[]): string => cells.map((c, j) => c.padStart(widths[j]!)).join('  ');
  const out = [`Table: keys: [${keys}]`, line(header), widths.map((w) => '-'.repeat(w)).join('  ')];
  for (const r of rows) out.push(line(r));
  return out.join('\n');
}
