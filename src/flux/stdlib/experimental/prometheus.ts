import { GroupKey } from '../../execute/group-key.js';
import { KeyedTableBuilders } from '../../execute/keyed-table-builders.js';
import { CallError, type BuiltinSpec, type PackageDef } from '../../interpreter/index.js';
import { floatValue, stringValue, streamValue, timeValue } from '../../values/value.js';
import { HTTP_CLIENT, fetchHttpClient } from '../http/http-client.js';

export interface PromSample {
  readonly name: string;
  /** Sorted by label name. */
  readonly labels: readonly (readonly [string, string])[];
  readonly value: number;
}

/**
 * Samples of a Prometheus text exposition (version 0.0.4): `name{l="v",…} value [timestamp]`
 * per line; `#` lines (HELP/TYPE) and blank lines are skipped. Label values unescape `\\`,
 * `\"` and `\n`. A malformed line is an error naming it.
 */
export function parsePromText(text: string): PromSample[] {
  const out: PromSample[] = [];
  for (const [n, raw] of text.split('\n').entries()) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})?\s+(\S+)(\s+-?\d+)?$/.exec(line);
    if (m === null) throw new CallError(`prometheus: cannot parse line ${n + 1}: ${line}`);
    const labels: [string, string][] = [];
    const body = m[3] ?? '';
    const re = /\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*=\s*"((?:[^"\\]|\\.)*)"\s*,?/gy;
    let pos = 0;
    while (pos < body.length) {
      re.lastIndex = pos;
      const lm = re.exec(body);
      if (lm === null) throw new CallError(`prometheus: bad labels on line ${n + 1}: ${line}`);
      labels.push([lm[1]!, lm[2]!.replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c))]);
      pos = re.lastIndex;
    }
    labels.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    const v = m[4]!;
    const value = v === '+Inf' ? Infinity : v === '-Inf' ? -Infinity : v === 'NaN' ? NaN : Number(v);
    if (Number.isNaN(value) && v !== 'NaN') throw new CallError(`prometheus: bad value on line ${n + 1}: ${v}`);
    out.push({ name: m[1]!, labels, value });
  }
  return out;
}

/**
 * `prometheus.scrape(url:)`: one row per sample, `_measurement` "prometheus", `_field` the metric
 * name, `_value` the float value, `_time` now(), plus `url` and the labels as key columns.
 */
const scrape: BuiltinSpec = {
  signature: '(url: string) => stream[A]',
  call(args) {
    const url = args.string('url');
    const client = args.ctx.external(HTTP_CLIENT) ?? fetchHttpClient;
    const nowNs = args.ctx.now();
    return streamValue(
      args.output(async function* () {
        const res = await client
          .send({ method: 'GET', url, headers: new Map(), body: new Uint8Array(0), timeoutMs: 0, insecureSkipVerify: false, signal: args.ctx.signal })
          .catch((e: Error) => Promise.reject(new CallError(`prometheus.scrape ${url}: ${e.message}`)));
        if (res.statusCode < 200 || res.statusCode > 299) throw new CallError(`prometheus.scrape ${url}: status ${res.statusCode}`);
        const builders = new KeyedTableBuilders(args.ctx.budget);
        for (const s of parsePromText(Buffer.from(res.body).toString('utf8'))) {
          const keyEntries = [
            ['_measurement', 'prometheus'],
            ['_field', s.name],
            ['url', url],
            ...s.labels,
          ] as const;
          const key = GroupKey.of(keyEntries.map(([l, v]) => [{ label: l, type: 'string' as const }, stringValue(v)] as const));
          const b = builders.builder(key);
          b.addColumn('_time', 'time');
          b.addColumn('_measurement', 'string');
          b.addColumn('_field', 'string');
          b.addColumn('_value', 'float');
          b.addColumn('url', 'string');
          for (const [l] of s.labels) b.addColumn(l, 'string');
          b.appendRow([timeValue(nowNs), stringValue('prometheus'), stringValue(s.name), floatValue(s.value), stringValue(url), ...s.labels.map(([, v]) => stringValue(v))]);
        }
        yield* builders.finish();
      }),
    );
  },
};

// histogramQuantile over Prometheus histograms: version 2 rows carry the bucket bound in an
// `le` string column; version 1 rows name the bound in `_field` (with extra sum/count fields).
const source = `
import "experimental"

_histogramQuantile = histogramQuantile

_quantileOfBuckets = (tables, quantile, onNonmonotonic) =>
    tables
        |> _histogramQuantile(quantile: quantile, onNonmonotonic: onNonmonotonic)
        |> group(mode: "except", columns: ["le", "_value", "_time"])
        |> set(key: "quantile", value: string(v: quantile))
        |> experimental.group(mode: "extend", columns: ["quantile"])

histogramQuantile = (tables=<-, quantile, metricVersion=2, onNonmonotonic="error") =>
    if metricVersion == 2 then
        _quantileOfBuckets(
            tables: tables
                |> group(mode: "except", columns: ["le", "_value"])
                |> map(fn: (r) => ({r with le: float(v: r.le)})),
            quantile: quantile,
            onNonmonotonic: onNonmonotonic,
        )
    else if metricVersion == 1 then
        _quantileOfBuckets(
            tables: tables
                |> filter(fn: (r) => r._field != "sum" and r._field != "count")
                |> map(fn: (r) => ({r with le: float(v: r._field)}))
                |> group(mode: "except", columns: ["_field", "le", "_value"]),
            quantile: quantile,
            onNonmonotonic: onNonmonotonic,
        )
    else
        die(msg: "Invalid metricVersion. Available versions are 1 and 2.")
`;

export const experimentalPrometheus: PackageDef = { path: 'experimental/prometheus', builtins: { scrape }, source };
