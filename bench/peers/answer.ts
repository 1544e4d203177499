import { parseAnnotatedCsv } from './annotated-csv.js';
import type { QuestionId } from './questions.js';

/**
 * What a response says, reduced to figures every query language can be checked on: how many
 * numeric result values it holds, their sum, and how many distinct hosts they belong to.
 */
export interface AnswerSummary {
  values: number;
  sum: number;
  hosts: number;
}

/** Flux annotated CSV: the `_value` cells (and the `hostname` column when present). */
export function summarizeFluxCsv(text: string): AnswerSummary {
  let values = 0;
  let sum = 0;
  const hosts = new Set<string>();
  for (const block of parseAnnotatedCsv(text)) {
    const valueAt = block.header.indexOf('_value');
    const hostAt = block.header.indexOf('hostname');
    if (valueAt < 0) continue;
    for (const row of block.rows) {
      const cell = row[valueAt];
      if (cell === undefined || cell === '') continue;
      values++;
      sum += Number(cell);
      if (hostAt >= 0) hosts.add(row[hostAt]!);
    }
  }
  return { values, sum, hosts: hosts.size };
}

interface InfluxqlResponse {
  error?: string;
  results?: Array<{
    error?: string;
    series?: Array<{ tags?: Record<string, string>; columns: string[]; values: Array<Array<number | string | null>> }>;
  }>;
}

/** InfluxDB 1.x `/query` JSON: every non-null number outside the `time` column. */
export function summarizeInfluxqlJson(text: string): AnswerSummary {
  const response = JSON.parse(text) as InfluxqlResponse;
  if (response.error !== undefined) throw new Error(`InfluxQL error: ${response.error}`);
  let values = 0;
  let sum = 0;
  const hosts = new Set<string>();
  for (const result of response.results ?? []) {
    if (result.error !== undefined) throw new Error(`InfluxQL error: ${result.error}`);
    for (const series of result.series ?? []) {
      const timeAt = series.columns.indexOf('time');
      const host = series.tags?.['hostname'];
      for (const row of series.values) {
        for (let i = 0; i < row.length; i++) {
          const v = row[i];
          if (i === timeAt || typeof v !== 'number') continue;
          values++;
          sum += v;
          if (host !== undefined) hosts.add(host);
        }
      }
    }
  }
  return { values, sum, hosts: hosts.size };
}

interface PromResponse {
  status: string;
  error?: string;
  data?: {
    resultType: string;
    result: Array<{ metric: Record<string, string>; value?: [number, string]; values?: Array<[number, string]> }>;
  };
}

/** Prometheus-API JSON (`vector` or `matrix`): every sample value. */
export function summarizePromJson(text: string): AnswerSummary {
  const response = JSON.parse(text) as PromResponse;
  if (response.status !== 'success' || response.data === undefined) {
    throw new Error(`MetricsQL error: ${response.error ?? text.slice(0, 300)}`);
  }
  let values = 0;
  let sum = 0;
  const hosts = new Set<string>();
  for (const series of response.data.result) {
    const samples = series.values ?? (series.value === undefined ? [] : [series.value]);
    for (const [, v] of samples) {
      values++;
      sum += Number(v);
    }
    const host = series.metric['hostname'];
    if (host !== undefined && samples.length > 0) hosts.add(host);
  }
  return { values, sum, hosts: hosts.size };
}

/**
 * Differences between an answer and the expected one, as readable lines (empty = agrees).
 * (e) is checked on its sum only: Flux and MetricsQL give one number, InfluxQL one per field.
 * Sums may differ in the last bits (summation order), hence the relative tolerance.
 */
export function compareAnswer(q: QuestionId, got: AnswerSummary, want: AnswerSummary, relTolerance = 1e-9): string[] {
  const problems: string[] = [];
  if (q !== 'e') {
    if (got.values !== want.values) problems.push(`values: got ${got.values}, want ${want.values}`);
    if (got.hosts !== want.hosts) problems.push(`hosts: got ${got.hosts}, want ${want.hosts}`);
  }
  const scale = Math.max(1, Math.abs(want.sum));
  if (!(Math.abs(got.sum - want.sum) <= relTolerance * scale)) problems.push(`sum of values: got ${got.sum}, want ${want.sum}`);
  return problems;
}
