/**
 * The six peer-benchmark questions of issue 5 (see docs/benchmarks.md), written once per query
 * language: Flux for Sluice, InfluxQL for InfluxDB 1.6, MetricsQL for VictoriaMetrics.
 */
export const QUESTION_IDS = ['a', 'a10', 'c', 'd', 'e', 'f'] as const;
export type QuestionId = (typeof QUESTION_IDS)[number];

export const QUESTION_TITLES: Record<QuestionId, string> = {
  a: '5-min mean of usage_user per host',
  a10: '5-min mean of all 10 fields per host',
  c: 'last point per host (all fields)',
  d: 'rows with usage_user > 90 (first half)',
  e: 'count of all values',
  f: '5-min means of all fields written to bench_5m',
};

/** The data set every peer holds: `hosts` × `hours` of cpu-only lines from `startNs` (T0). */
export interface Scenario {
  startNs: bigint;
  hours: number;
  hosts: number;
}

export const WINDOW_NS = 300_000_000_000n;
const HOUR_NS = 3_600_000_000_000n;

/** T1 = T0 + hours. */
export function stopNs(s: Scenario): bigint {
  return s.startNs + BigInt(s.hours) * HOUR_NS;
}

/** (d) reads the first half of the data: 12 h of the full 24 h. */
export function halfNs(s: Scenario): bigint {
  return s.startNs + (BigInt(s.hours) * HOUR_NS) / 2n;
}

/** RFC 3339 with nanoseconds only when needed (T0 and T1 are whole seconds in practice). */
export function rfc3339(ns: bigint): string {
  const ms = ns / 1_000_000n;
  const subMs = ns % 1_000_000n;
  const iso = new Date(Number(ms)).toISOString();
  if (subMs === 0n) return iso.endsWith('.000Z') ? iso.replace('.000Z', 'Z') : iso;
  return iso.replace('Z', '') + subMs.toString().padStart(6, '0') + 'Z';
}

export function fluxQuery(q: QuestionId, s: Scenario): string {
  const from = `from(bucket: "bench")`;
  const range = (stop: bigint): string => `|> range(start: ${rfc3339(s.startNs)}, stop: ${rfc3339(stop)})`;
  const cpu = `|> filter(fn: (r) => r._measurement == "cpu")`;
  const mean5m = `|> aggregateWindow(every: 5m, fn: mean, createEmpty: false)`;
  switch (q) {
    case 'a':
      return `${from} ${range(stopNs(s))} |> filter(fn: (r) => r._measurement == "cpu" and r._field == "usage_user") ${mean5m}`;
    case 'a10':
      return `${from} ${range(stopNs(s))} ${cpu} ${mean5m}`;
    case 'c':
      return `${from} ${range(stopNs(s))} ${cpu} |> last()`;
    case 'd':
      return `${from} ${range(halfNs(s))} |> filter(fn: (r) => r._measurement == "cpu" and r._field == "usage_user" and r._value > 90.0)`;
    case 'e':
      return `${from} ${range(stopNs(s))} ${cpu} |> count() |> group() |> sum()`;
    case 'f':
      return `${from} ${range(stopNs(s))} ${cpu} ${mean5m} |> to(bucket: "bench_5m")`;
  }
}

export function influxqlQuery(q: QuestionId, s: Scenario): string {
  const where = (stop: bigint): string => `time >= '${rfc3339(s.startNs)}' AND time < '${rfc3339(stop)}'`;
  const t1 = stopNs(s);
  switch (q) {
    case 'a':
      return `SELECT mean(usage_user) FROM cpu WHERE ${where(t1)} GROUP BY time(5m), * fill(none)`;
    case 'a10':
      return `SELECT mean(*) FROM cpu WHERE ${where(t1)} GROUP BY time(5m), * fill(none)`;
    case 'c':
      return `SELECT last(*) FROM cpu WHERE ${where(t1)} GROUP BY *`;
    case 'd':
      return `SELECT usage_user FROM cpu WHERE usage_user > 90 AND ${where(halfNs(s))} GROUP BY *`;
    case 'e':
      return `SELECT count(*) FROM cpu WHERE ${where(t1)}`;
    case 'f':
      return `SELECT mean(*) INTO "bench_5m"."autogen".:MEASUREMENT FROM cpu WHERE ${where(t1)} GROUP BY time(5m), *`;
  }
}

/** A Prometheus-API request: `/api/v1/query_range` (matrix) or `/api/v1/query` (vector). */
export interface PromRequest {
  path: '/api/v1/query_range' | '/api/v1/query';
  params: Record<string, string>;
}

/**
 * VictoriaMetrics keeps millisecond timestamps and its range windows are `(t − w, t]`, Flux's
 * are `[start, stop)`: evaluating at `stop − 1 ms` makes the two windows hold the same samples.
 */
function promSeconds(ns: bigint): string {
  const ms = ns / 1_000_000n;
  return `${ms / 1000n}.${(ms % 1000n).toString().padStart(3, '0')}`;
}

/** MetricsQL for the question, or undefined where VictoriaMetrics has no equivalent (f). */
export function metricsqlQuery(q: QuestionId, s: Scenario): PromRequest | undefined {
  const t1 = stopNs(s) - 1_000_000n;
  const allFields = `{__name__=~"cpu_usage_.*"}`;
  const window = `${s.hours}h`;
  const means = (query: string): PromRequest => ({
    path: '/api/v1/query_range',
    params: { query, start: promSeconds(s.startNs + WINDOW_NS - 1_000_000n), end: promSeconds(t1), step: '5m' },
  });
  switch (q) {
    case 'a':
      return means('avg_over_time(cpu_usage_user[5m])');
    case 'a10':
      return means(`avg_over_time(${allFields}[5m]) keep_metric_names`);
    case 'c':
      return { path: '/api/v1/query', params: { query: `last_over_time(${allFields}[${window}]) keep_metric_names`, time: promSeconds(t1) } };
    case 'd':
      return {
        path: '/api/v1/query_range',
        params: { query: 'cpu_usage_user > 90', start: promSeconds(s.startNs), end: promSeconds(halfNs(s) - 1_000_000n), step: '10s' },
      };
    case 'e':
      return { path: '/api/v1/query', params: { query: `sum(count_over_time(${allFields}[${window}]))`, time: promSeconds(t1) } };
    case 'f':
      return undefined;
  }
}
