import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ANNOTATED_DIALECT } from '../src/flux/csv/index.js';
import { DEFAULT_QUERY_LIMITS, QueryController } from '../src/query/query-controller.js';
import { QueryService } from '../src/query/query-service.js';
import type { ReadRequest, Storage } from '../src/storage/storage.js';
import { SystemClock } from '../src/core/clock.js';
import { startTestServer, type TestServer } from './helpers/test-server.js';

/**
 * Push-down must not change results: every query runs twice over the same stored data, once
 * with filter/aggregates pushed into storage reads and once with the plain Flux implementations
 * over raw reads, and the annotated CSV must be identical.
 */

let ts: TestServer;
const T0 = 1_704_067_200n * 1_000_000_000n; // 2024-01-01T00:00:00Z
const reads: ReadRequest[] = [];

function service(): QueryService {
  const real = ts.server.openedStorage!;
  // Records what reaches storage, to check that push-down really happened.
  const recording: Storage = Object.assign(Object.create(real) as Storage, {
    read: (r: ReadRequest) => {
      reads.push(r);
      return real.read(r);
    },
  });
  return new QueryService({ meta: ts.server.meta, storage: () => recording, controller: new QueryController(DEFAULT_QUERY_LIMITS, new SystemClock()) });
}

async function run(svc: QueryService, query: string, pushDown: boolean): Promise<string> {
  let out = '';
  const org = ts.server.meta.orgs.findByName('acme')!;
  const outcome = await svc.execute(
    {
      query,
      org,
      auth: { allows: () => true },
      nowNs: T0 + 3_600_000_000_000n,
      dialect: ANNOTATED_DIALECT,
      signal: new AbortController().signal,
      pushDown,
    },
    (chunk) => {
      out += chunk;
    },
  );
  if (outcome.error !== undefined) throw outcome.error;
  return out;
}

/** The whole body (an error table included) and the error, thrown or returned: `body|message`. */
async function bodyAndError(svc: QueryService, query: string, pushDown: boolean): Promise<string> {
  let out = '';
  const org = ts.server.meta.orgs.findByName('acme')!;
  const outcome = await svc
    .execute({ query, org, auth: { allows: () => true }, nowNs: T0, dialect: ANNOTATED_DIALECT, signal: new AbortController().signal, pushDown }, (chunk) => void (out += chunk))
    .catch((e: unknown) => ({ error: e as Error }));
  return `${out}|${outcome.error?.message ?? ''}`;
}

beforeAll(async () => {
  ts = await startTestServer({ setup: true });
  // Irregular times (a deterministic walk), a gap with no points, three hosts on two measurements,
  // a float and an integer field.
  const lines: string[] = [];
  let t = T0;
  let seed = 7;
  const next = (): number => (seed = (seed * 1103515245 + 12345) % 2147483648);
  for (let i = 0; i < 400; i++) {
    t += BigInt(1 + (next() % 20)) * 1_000_000_000n;
    if (i === 200) t += 600n * 1_000_000_000n;
    const host = ['a', 'b', 'c'][next() % 3]!;
    const m = next() % 2 === 0 ? 'cpu' : 'mem';
    lines.push(`${m},host=${host},dc=${host === 'c' ? 'x' : 'y'} f=${(next() % 1000) / 10},i=${(next() % 50) - 25}i ${t}`);
  }
  // Field types storage cannot always aggregate (sum of strings): errors must match too.
  for (let i = 0; i < 6; i++) lines.push(`t s="v${i}",b=${i % 2 === 0},u=${i}u ${T0 + BigInt(i) * 1_000_000_000n}`);
  // A numeric series read before a string one (field keys sort "a" < "s"): storage aggregates the
  // first and refuses the second, mid-stream.
  for (let i = 0; i < 4; i++) lines.push(`t a=${i}.5 ${T0 + BigInt(i) * 1_000_000_000n}`);
  const res = await fetch(`${ts.url}/api/v2/write?org=acme&bucket=telemetry`, {
    method: 'POST',
    headers: { authorization: `Token ${ts.token}` },
    body: lines.join('\n'),
  });
  expect(res.status).toBe(204);
});
afterAll(async () => {
  await ts.cleanup();
});

const filters = [
  'r._measurement == "cpu"',
  'r._measurement == "mem" and r._field == "f"',
  'r.host == "a" or r.host == "c"',
  'r.host != "b"',
  'r.host =~ /^[ab]$/ and r._field == "i"',
  // Grafana's multi-value variables: contains() of a tag in a list of strings.
  'contains(value: r.host, set: ["a", "c"]) and r._field == "f"',
  'not contains(value: r.dc, set: ["x"])',
  'r.dc !~ /x/',
  // String tests with a pattern form become regex predicates (not under `not`); measurement t has
  // no host or dc tag, where Flux's call gives null.
  'strings.hasPrefix(v: r.host, prefix: "a") or r.dc == "x"',
  'strings.containsStr(v: r._measurement, substr: "e") and strings.hasSuffix(v: r.dc, suffix: "y")',
  'not strings.hasSuffix(v: r.dc, suffix: "x")',
  'not (r._measurement == "cpu")',
  '"cpu" == r._measurement and r._value > 10',
  'r._field == "f" and r._value < 50.0',
  // Value comparisons pre-filtered on the read's typed arrays: int/float literals on both field
  // types (exact mixed comparison), either operand order, every operator.
  'r._measurement != "t" and r._value >= 12',
  'r._measurement == "mem" and 10.5 <= r._value and r.host == "a"',
  'r._measurement != "t" and (r._value == 3 or r._value == 3.0)',
  'r._measurement == "cpu" and r._value != 7 and 40.0 > r._value',
  'r._measurement != "t" and -5 >= r._value',
  'r._measurement == "cpu" and r._value == 0.5',
];
const fns = ['count', 'sum', 'mean', 'min', 'max', 'first', 'last'];
const everys = ['10s', '1m', '90s', '7m', '1h'];

const queryArb = fc
  .record({
    startS: fc.integer({ min: -100, max: 3000 }),
    lengthS: fc.integer({ min: 1, max: 5000 }),
    filter: fc.option(fc.constantFrom(...filters), { nil: undefined }),
    fieldFilter: fc.constantFrom('f', 'i'),
    tail: fc.oneof(
      fc.constant(''),
      fc.constantFrom(...fns).map((f) => `|> ${f}()`),
      fc.record({
        fn: fc.constantFrom(...fns),
        every: fc.constantFrom(...everys),
        createEmpty: fc.boolean(),
        offset: fc.constantFrom('', ', offset: 13s', ', offset: -1m'),
      }).map((a) => `|> aggregateWindow(every: ${a.every}, fn: ${a.fn}, createEmpty: ${a.createEmpty}${a.offset})`),
      fc.record({
        fn: fc.constantFrom(...fns),
        every: fc.constantFrom(...everys),
        offset: fc.constantFrom('', ', offset: 13s', ', offset: -1m'),
        // Overlapping windows, windows with gaps between them, and ones longer than short ranges.
        period: fc.constantFrom('', '', ', period: 3m', ', period: 25s', ', period: 2h'),
      }).map((a) => `|> window(every: ${a.every}${a.offset}${a.period}) |> ${a.fn}()`),
    ),
  })
  .map((q) => {
    const s = new Date(Date.UTC(2024, 0, 1) + q.startS * 1000).toISOString();
    const e = new Date(Date.UTC(2024, 0, 1) + (q.startS + q.lengthS) * 1000).toISOString();
    const filter = q.filter === undefined ? '' : `|> filter(fn: (r) => ${q.filter})`;
    // Sums and means of mixed field types would fail either way: keep one field per query.
    return `import "strings"\nfrom(bucket: "telemetry") |> range(start: ${s}, stop: ${e}) ${filter} |> filter(fn: (r) => r._field == "${q.fieldFilter}") ${q.tail}`;
  });

describe('push-down', () => {
  it('gives the same tables (or error) as plain execution', async () => {
    const svc = service();
    await fc.assert(
      fc.asyncProperty(queryArb, async (query) => {
        // Errors too: a string test of a tag fails on a series without it, pushed or not.
        const pushed = await bodyAndError(svc, query, true);
        const plain = await bodyAndError(svc, query, false);
        expect(pushed, query).toBe(plain);
      }),
      { numRuns: Number(process.env.PUSHDOWN_RUNS ?? 150) },
    );
  });

  it('pushes window() |> aggregate into one windowed storage read (and leaves other uses of window to Flux)', async () => {
    const svc = service();
    const base = 'from(bucket: "telemetry") |> range(start: 2024-01-01T00:00:00Z, stop: 2024-01-01T01:00:00Z) |> filter(fn: (r) => r._field == "f")';
    for (const fn of fns) {
      reads.length = 0;
      const query = `${base} |> window(every: 5m, offset: 1m) |> ${fn}()`;
      const pushed = await run(svc, query, true);
      expect(reads.map((r) => [r.aggregate, r.window?.everyNs, r.window?.offsetNs]), query).toEqual([[fn, 300_000_000_000n, 60_000_000_000n]]);
      expect(pushed, query).toBe(await run(svc, query, false));
    }
    // Windows longer or shorter than their spacing too (timedMovingAverage's window(every, period) |> mean).
    for (const [fn, period] of [['mean', '15m'], ['max', '2m']] as const) {
      reads.length = 0;
      const query = `${base} |> window(every: 5m, period: ${period}) |> ${fn}()`;
      const pushed = await run(svc, query, true);
      const periodNs = BigInt(Number.parseInt(period, 10) * 60) * 1_000_000_000n;
      expect(reads.map((r) => [r.aggregate, r.window?.everyNs, r.window?.periodNs]), query).toEqual([[fn, 300_000_000_000n, periodNs]]);
      expect(pushed, query).toBe(await run(svc, query, false));
    }
    for (const tail of [
      '|> window(every: 5m)',
      '|> window(every: 5m) |> filter(fn: (r) => r.host == "a") |> count()',
      '|> window(every: 5m, createEmpty: true) |> count()',
      // Longer than the range: windows clipped to it coincide, and window() merges them.
      '|> window(every: 5m, period: 2h) |> sum()',
      '|> aggregateWindow(every: 5m, period: 10m, fn: sum)',
    ]) {
      reads.length = 0;
      const query = `${base} ${tail}`;
      const pushed = await run(svc, query, true);
      expect(reads.length, query).toBeGreaterThan(0);
      expect(reads.every((r) => r.aggregate === undefined), query).toBe(true);
      expect(pushed, query).toBe(await run(svc, query, false));
    }
    // Each point in more than 1,000 windows (storage would compute them all in one go): Flux's.
    for (const [period, pushes] of [['99s', true], ['101s', false]] as const) {
      reads.length = 0;
      const query = `from(bucket: "telemetry") |> range(start: 2024-01-01T00:00:00Z, stop: 2024-01-01T00:03:00Z) |> filter(fn: (r) => r._field == "f" and r.host == "a") |> window(every: 100ms, period: ${period}) |> count()`;
      const pushed = await run(svc, query, true);
      expect(reads.some((r) => r.aggregate !== undefined), query).toBe(pushes);
      expect(pushed, query).toBe(await run(svc, query, false));
    }
  });

  it('gives the same results or errors for string, bool and uint fields', async () => {
    const svc = service();
    const outcome = (query: string, pushDown: boolean): Promise<string> => run(svc, query, pushDown).catch((e: unknown) => `error: ${(e as Error).message}`);
    let errors = 0;
    for (const field of ['s', 'b', 'u']) {
      for (const fn of fns) {
        for (const tail of [`|> ${fn}()`, `|> aggregateWindow(every: 2s, fn: ${fn})`, `|> window(every: 2s) |> ${fn}()`]) {
          const query = `from(bucket: "telemetry") |> range(start: 2024-01-01T00:00:00Z, stop: 2024-01-01T00:00:05Z) |> filter(fn: (r) => r._field == "${field}") ${tail}`;
          const pushed = await outcome(query, true);
          expect(pushed, query).toBe(await outcome(query, false));
          if (pushed.startsWith('error')) errors++;
        }
      }
    }
    // sum/mean/min/max of strings and bools fail (24 cases); everything else has results.
    expect(errors).toBe(24);
  });

  it('gives the tables before a field type storage cannot aggregate once, then the error, as plain execution does', async () => {
    const svc = service();
    const body = (query: string, pushDown: boolean): Promise<string> => bodyAndError(svc, query, pushDown);
    for (const tail of ['max()', 'min()', 'sum()', 'mean()', 'last()', 'aggregateWindow(every: 2s, fn: sum, createEmpty: false)', 'aggregateWindow(every: 2s, fn: max)', 'window(every: 2s) |> max()']) {
      const query = `from(bucket: "telemetry") |> range(start: 2024-01-01T00:00:00Z, stop: 2024-01-01T00:00:05Z) |> filter(fn: (r) => r._measurement == "t" and (r._field == "a" or r._field == "s")) |> ${tail}`;
      const pushed = await body(query, true);
      expect(pushed, query).toBe(await body(query, false));
      // The float series' table once (table 0), never again.
      expect(pushed.match(/^,_result,1,/m), query).toBeNull();
    }
  });

  it('aggregates after a value filter like the plain filter and aggregate, for every field type (results and errors)', async () => {
    const svc = service();
    const body = (query: string, pushDown: boolean): Promise<string> => bodyAndError(svc, query, pushDown);
    const cases = [
      ['s', 'r._value != "v1"'],
      ['s', 'r._value > 1.0'], // a type error either way
      ['b', 'r._value == true'],
      ['u', 'r._value > 2'],
      ['a', 'r._value > 1.0'],
      ['f', 'r._value > 50.0'],
      ['i', 'r._value <= 0'],
    ];
    reads.length = 0;
    for (const [field, cond] of cases) {
      for (const tail of ['count()', 'sum()', 'max()', 'last()', 'aggregateWindow(every: 2s, fn: count)', 'aggregateWindow(every: 10m, fn: mean, createEmpty: false)', 'aggregateWindow(every: 7m, fn: first)', 'window(every: 7m) |> first()', 'window(every: 10m) |> mean()']) {
        const query = `from(bucket: "telemetry") |> range(start: 2024-01-01T00:00:00Z, stop: 2024-01-02T00:00:00Z) |> filter(fn: (r) => r._field == "${field!}" and ${cond!}) |> ${tail}`;
        const pushed = await body(query, true);
        expect(pushed, query).toBe(await body(query, false));
      }
    }
    // Pushed: storage got the aggregate and the value filter together.
    expect(reads.some((r) => r.aggregate !== undefined && r.valueFilter !== undefined)).toBe(true);
  });

  it('pre-filters values of string, bool and uint fields like the plain filter (or leaves them to it)', async () => {
    const svc = service();
    const outcome = (query: string, pushDown: boolean): Promise<string> => run(svc, query, pushDown).catch((e: unknown) => `error: ${(e as Error).message}`);
    const cases = [
      ['s', 'r._value == "v1"'],
      ['s', 'r._value != "v1" and "v4" > r._value'],
      ['s', 'r._value >= "v3"'],
      ['s', 'r._value > 1.0'], // a type error either way
      ['b', 'r._value == true'],
      ['b', 'false != r._value'],
      ['u', 'r._value > 2'],
      ['u', 'r._value <= 2.5'],
      ['f', 'r._value > 90.0'],
    ];
    for (const [field, cond] of cases) {
      const query = `from(bucket: "telemetry") |> range(start: 2024-01-01T00:00:00Z, stop: 2024-01-02T00:00:00Z) |> filter(fn: (r) => r._field == "${field!}" and ${cond!})`;
      const pushed = await outcome(query, true);
      expect(pushed, query).toBe(await outcome(query, false));
    }
  });

  it('gives aggregateWindow InfluxDB\'s column order, pushed or not', async () => {
    const svc = service();
    for (const pushDown of [true, false]) {
      for (const createEmpty of [true, false]) {
        const csv = await run(
          svc,
          `from(bucket: "telemetry") |> range(start: 2024-01-01T00:00:00Z, stop: 2024-01-01T01:00:00Z) |> filter(fn: (r) => r._measurement == "cpu" and r._field == "f") |> aggregateWindow(every: 10m, fn: mean, createEmpty: ${createEmpty})`,
          pushDown,
        );
        const header = csv.split('\r\n').find((l) => l.startsWith(',result'));
        expect(header, `pushDown ${pushDown}`).toBe(',result,table,_start,_stop,_time,_value,_field,_measurement,dc,host');
      }
    }
  });

  it('pushes contains(value: r.tag, set: [strings]) into the storage predicate', async () => {
    const svc = service();
    reads.length = 0;
    const query = 'hosts = ["a", "c"]\nfrom(bucket: "telemetry") |> range(start: 2024-01-01T00:00:00Z, stop: 2024-01-01T01:00:00Z) |> filter(fn: (r) => contains(value: r.host, set: hosts))';
    const pushed = await run(svc, query, true);
    expect(reads).toHaveLength(1);
    expect(reads[0]!.predicate).toEqual({
      kind: 'or',
      left: { kind: 'compare', key: 'host', op: '==', value: 'a' },
      right: { kind: 'compare', key: 'host', op: '==', value: 'c' },
    });
    expect(pushed).toBe(await run(svc, query, false));
    // A script's own function named contains is not the builtin: not pushed.
    reads.length = 0;
    await run(svc, 'contains = (value, set) => true\nfrom(bucket: "telemetry") |> range(start: 2024-01-01T00:00:00Z, stop: 2024-01-01T01:00:00Z) |> filter(fn: (r) => contains(value: r.host, set: ["a"]))', true);
    expect(reads[0]!.predicate).toBeUndefined();
  });

  it('pushes string tests of _field and _measurement into storage, and narrows the read by a tag\'s', async () => {
    const svc = service();
    const q = (f: string): string =>
      `import "strings"\nfrom(bucket: "telemetry") |> range(start: 2024-01-01T00:00:00Z, stop: 2024-01-01T01:00:00Z) |> filter(fn: (r) => ${f}) |> aggregateWindow(every: 10m, fn: mean)`;
    // _measurement and _field are never null: the regex is exact, the whole shape stays in storage.
    reads.length = 0;
    const exact = q('strings.containsStr(v: r._measurement, substr: "p") and strings.hasSuffix(v: r._field, suffix: "f")');
    const pushed = await run(svc, exact, true);
    expect(reads).toHaveLength(1);
    expect(reads[0]!.predicate).toEqual({
      kind: 'and',
      left: { kind: 'regex', key: '_measurement', op: '=~', pattern: /p/ },
      right: { kind: 'regex', key: '_field', op: '=~', pattern: /f$/ },
    });
    expect(reads[0]!.aggregate).toBe('mean');
    expect(pushed).toMatch(/,f,cpu,y,a\r\n/);
    expect(pushed).toBe(await run(svc, exact, false));
    // A tag: series with the tag's prefix or without the tag are read, and the filter still runs
    // (over a series without the tag Flux's call fails: so does this query, as the plain one does).
    reads.length = 0;
    const tagged = q('r._measurement == "cpu" and strings.hasPrefix(v: r.host, prefix: "a")');
    const narrowed = await run(svc, tagged, true);
    expect(reads[0]!.predicate).toEqual({
      kind: 'and',
      left: { kind: 'compare', key: '_measurement', op: '==', value: 'cpu' },
      right: { kind: 'or', left: { kind: 'regex', key: 'host', op: '=~', pattern: /^a/ }, right: { kind: 'compare', key: 'host', op: '==', value: '' } },
    });
    expect(narrowed).toMatch(/,a\r\n/);
    expect(narrowed).not.toMatch(/,[bc]\r\n/);
    expect(narrowed).toBe(await run(svc, tagged, false));
    const missing = q('r._measurement == "t" and strings.hasPrefix(v: r.host, prefix: "a")');
    expect(await bodyAndError(svc, missing, true)).toBe(await bodyAndError(svc, missing, false));
    expect(await bodyAndError(svc, missing, true)).toMatch(/expected string, got null/);
    // Under not: nothing of the call reaches storage.
    reads.length = 0;
    await run(svc, q('not strings.hasPrefix(v: r._field, prefix: "f") and r._measurement == "cpu"'), true);
    expect(reads[0]!.predicate).toEqual({ kind: 'compare', key: '_measurement', op: '==', value: 'cpu' });
  });

  it('reaches storage as predicate, window and aggregate', async () => {
    const svc = service();
    reads.length = 0;
    await run(
      svc,
      'from(bucket: "telemetry") |> range(start: 2024-01-01T00:00:00Z, stop: 2024-01-01T01:00:00Z) |> filter(fn: (r) => r["_measurement"] == "cpu" and r.host =~ /a|b/) |> aggregateWindow(every: 5m, fn: mean)',
      true,
    );
    expect(reads).toHaveLength(1);
    const r = reads[0]!;
    expect(r.aggregate).toBe('mean');
    expect(r.window).toEqual({ everyNs: 300_000_000_000n, offsetNs: 0n, periodNs: 300_000_000_000n });
    expect(r.predicate).toMatchObject({ kind: 'and', left: { kind: 'compare', key: '_measurement', op: '==', value: 'cpu' }, right: { kind: 'regex', key: 'host', op: '=~' } });
    reads.length = 0;
    await run(svc, 'from(bucket: "telemetry") |> range(start: 2024-01-01T00:00:00Z) |> filter(fn: (r) => r._field == "f" and r._value > 1.0) |> count()', true);
    // The _field conjunct narrows the read, the _value one chooses the points storage counts.
    expect(reads[0]!.predicate).toEqual({ kind: 'compare', key: '_field', op: '==', value: 'f' });
    expect(reads[0]!.aggregate).toBe('count');
    expect(reads[0]!.valueFilter).toBeDefined();
  });
});
