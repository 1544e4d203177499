import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileRegexp } from '../../flux/interpreter/index.js';
import { runRows } from '../../flux/stdlib/experimental/run-tables.js';
import { escapeStringText } from '../../flux/syntax/printer.js';
import type { Predicate } from '../../storage/storage.js';
import { columnValue } from '../../flux/execute/column.js';
import { runProgram } from '../../flux/interpreter/index.js';
import { standardLibrary } from '../../flux/stdlib/index.js';
import { stringOf } from '../../flux/values/format-value.js';
import type { ValueFilter } from '../value-filter.js';
import { predicateFlux, re2Source, remoteCardinalityQuery, remoteReadQuery, valueFilterFlux } from './remote-read-query.js';

const T0 = 1_767_225_600_000_000_000n; // 2026-01-01T00:00:00Z

describe('remoteReadQuery', () => {
  it.each<[string, Parameters<typeof remoteReadQuery>[0], string]>([
    [
      'bucket and range only',
      { target: { host: 'http://h', bucket: 'b' }, startNs: T0, stopNs: T0 + 3_600_000_000_001n },
      'from(bucket: "b")\n    |> range(start: 2026-01-01T00:00:00Z, stop: 2026-01-01T01:00:00.000000001Z)\n',
    ],
    [
      'bucketID, a predicate and an aggregate',
      {
        target: { host: 'http://h', bucketID: '0123456789abcdef', bucket: undefined },
        startNs: T0,
        stopNs: T0 + 1n,
        predicate: { kind: 'and', left: { kind: 'compare', key: '_measurement', op: '==', value: 'cpu' }, right: { kind: 'regex', key: 'my tag', op: '!~', pattern: /^a\/b$/i } },
        aggregate: { name: 'count' },
      },
      'from(bucketID: "0123456789abcdef")\n    |> range(start: 2026-01-01T00:00:00Z, stop: 2026-01-01T00:00:00.000000001Z)\n' +
        '    |> filter(fn: (r) => (r._measurement == "cpu") and (r["my tag"] !~ /(?i)^a\\/b$/))\n    |> count()\n',
    ],
    [
      'a bucket name needing escapes; a `true` predicate sends no filter',
      { target: { host: 'http://h', bucket: 'a "b" \\ ${c}' }, startNs: 0n, stopNs: 1n, predicate: { kind: 'true' } },
      'from(bucket: "a \\"b\\" \\\\ \\x24{c}")\n    |> range(start: 1970-01-01T00:00:00Z, stop: 1970-01-01T00:00:00.000000001Z)\n',
    ],
    [
      'a windowed aggregate, as storage rows (non-empty windows, timed at their start)',
      { target: { host: 'http://h', bucket: 'b' }, startNs: T0, stopNs: T0 + 1n, aggregate: { name: 'mean', window: { everyNs: 5_400_000_000_000n, offsetNs: -300_000_000_000n } } },
      'from(bucket: "b")\n    |> range(start: 2026-01-01T00:00:00Z, stop: 2026-01-01T00:00:00.000000001Z)\n' +
        '    |> aggregateWindow(every: 1h30m, offset: -5m, fn: mean, createEmpty: false, timeSrc: "_start")\n',
    ],
  ])('%s', (_name, read, expected) => {
    expect(remoteReadQuery(read)).toBe(expected);
  });
});

describe('remoteReadQuery with value conjuncts', () => {
  it('sends them as a second filter, after the series predicate, in the order and operand side they were written', () => {
    expect(
      remoteReadQuery({
        target: { host: 'http://h', bucket: 'b' },
        startNs: T0,
        stopNs: T0 + 1n,
        predicate: { kind: 'compare', key: '_field', op: '==', value: 'usage' },
        values: [
          { op: '>', literal: 50.5, literalLeft: false },
          { op: '<=', literal: 90n, literalLeft: true },
          { op: '!=', literal: 'x "y"', literalLeft: false },
          { op: '==', literal: true, literalLeft: false },
        ],
      }),
    ).toBe(
      'from(bucket: "b")\n    |> range(start: 2026-01-01T00:00:00Z, stop: 2026-01-01T00:00:00.000000001Z)\n' +
        '    |> filter(fn: (r) => r._field == "usage")\n' +
        '    |> filter(fn: (r) => r._value > 50.5 and 90 <= r._value and r._value != "x \\"y\\"" and r._value == true)\n',
    );
  });
});

describe('valueFilterFlux literals', () => {
  /** The literal as Flux reads it back: its type and exact value. */
  async function readBack(f: ValueFilter): Promise<{ type: string; text: string }> {
    const flux = valueFilterFlux(f).replace(/^r\._value \S+ /, '');
    const run = await runProgram(`import "array"\narray.from(rows: [{v: ${flux}}])`, { registry: standardLibrary() });
    for await (const t of run.results[0]!.stream.tables) {
      const v = columnValue(t.columns[t.colIndex('v')]!, 0);
      return { type: v.kind, text: stringOf(v) };
    }
    throw new Error('no table');
  }

  it.each<[number | bigint | string | boolean, string, string]>([
    [1.5, 'float', '1.5'],
    [90, 'float', '90'],
    [-2.25, 'float', '-2.25'],
    [-0, 'float', '-0'],
    [1e21, 'float', '1e+21'],
    [1.5e-7, 'float', '1.5e-07'],
    [Number.MAX_VALUE, 'float', '1.7976931348623157e+308'],
    [Number.NaN, 'float', 'NaN'],
    [Number.POSITIVE_INFINITY, 'float', '+Inf'],
    [Number.NEGATIVE_INFINITY, 'float', '-Inf'],
    [0n, 'int', '0'],
    [-42n, 'int', '-42'],
    [9_223_372_036_854_775_807n, 'int', '9223372036854775807'],
    [-9_223_372_036_854_775_808n, 'int', '-9223372036854775808'],
    [9_223_372_036_854_775_808n, 'uint', '9223372036854775808'],
    [18_446_744_073_709_551_615n, 'uint', '18446744073709551615'],
    ['a "b" \\ ${c}', 'string', 'a "b" \\ ${c}'],
    [false, 'bool', 'false'],
  ])('%s reads back as a %s %s', async (literal, type, text) => {
    const got = await readBack({ op: '==', literal, literalLeft: false });
    expect(got.type).toBe(type);
    // Float text as Flux prints it; the exact value is what matters for floats.
    if (type === 'float') expect(Object.is(Number(got.text.replace('Inf', 'Infinity')), literal) || (Number.isNaN(literal as number) && got.text === 'NaN')).toBe(true);
    else expect(got.text).toBe(text);
  });
});

describe('valueFilterFlux literals, any value', () => {
  it('every double, int64 and uint64 reads back in Flux as exactly itself', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.oneof(fc.double(), fc.bigInt({ min: -(2n ** 63n), max: 2n ** 64n - 1n })), { minLength: 1, maxLength: 20 }),
        async (values) => {
          const lits = values.map((v) => valueFilterFlux({ op: '==', literal: v, literalLeft: true }).replace(/ == r\._value$/, ''));
          const run = await runProgram(`import "array"\narray.from(rows: [${lits.map((l) => `{v: string(v: ${l})}`).join(', ')}])`, { registry: standardLibrary() });
          const got: string[] = [];
          for await (const t of run.results[0]!.stream.tables) for (let i = 0; i < t.length; i++) got.push(stringOf(columnValue(t.columns[t.colIndex('v')]!, i)));
          // Flux's string() of the value, against the same conversion of the original.
          expect(got.map((text, i) => sameValue(text, values[i]!))).toEqual(values.map(() => true));
        },
      ),
      { numRuns: 30 },
    );
  });
});

/** Whether Flux's `string(v:)` text names exactly `v` (a double to the bit, an integer exactly). */
function sameValue(text: string, v: number | bigint): boolean {
  if (typeof v === 'bigint') return BigInt(text) === v;
  if (Number.isNaN(v)) return text === 'NaN';
  return Object.is(Number(text.replace(/^\+?Inf$/, 'Infinity').replace(/^-Inf$/, '-Infinity')), v);
}

describe('remoteCardinalityQuery', () => {
  it('asks the remote for influxdb.cardinality with absolute bounds and the predicate', () => {
    expect(
      remoteCardinalityQuery({
        target: { host: 'http://h', bucket: 'b' },
        startNs: T0,
        stopNs: T0 + 60_000_000_000n,
        predicate: { kind: 'not', operand: { kind: 'compare', key: 'host', op: '==', value: 'a' } },
      }),
    ).toBe('import "influxdata/influxdb"\n\ninfluxdb.cardinality(bucket: "b", start: 2026-01-01T00:00:00Z, stop: 2026-01-01T00:01:00Z, predicate: (r) => not (r.host == "a"))\n');
  });
});

describe('re2Source', () => {
  it.each([
    ['^a$', '^a$'],
    ['(?i)cpu', '(?i)cpu'],
    ['(?is)a.b', '(?is)a.b'],
    ['(?P<name>x+)', '(?P<name>x+)'],
    ['a\\z', 'a\\z'],
    ['', ''],
    ['a/b', 'a/b'],
    ['\\\\/', '\\\\/'],
  ])('%s survives the trip through a JavaScript RegExp as %s', (flux, back) => {
    expect(re2Source(compileRegexp(flux))).toBe(back);
  });
});

/** What storage means by a predicate (a missing key compares as ""), over plain rows. */
function holds(p: Predicate, row: Record<string, string>): boolean {
  switch (p.kind) {
    case 'true':
      return true;
    case 'compare':
      return (row[p.key] ?? '') === p.value === (p.op === '==');
    case 'regex':
      return p.pattern.test(row[p.key] ?? '') === (p.op === '=~');
    case 'and':
      return holds(p.left, row) && holds(p.right, row);
    case 'or':
      return holds(p.left, row) || holds(p.right, row);
    case 'not':
      return !holds(p.operand, row);
  }
}

const KEYS = ['_measurement', '_field', 'host', 'my tag', 'if'];
const VALUES = ['', 'a', 'A', 'a b', 'q"uote', '${x}', '\\', 'a/b', 'ü'];
const PATTERNS = ['^a', '(?i)^A$', 'a|b', '\\s', '^$', '[[:upper:]]', '\\\\', '"', 'a/b', '(?P<n>a)\\z', '^\\$\\{'];
const ROWS: Record<string, string>[] = Array.from({ length: 40 }, (_, i) =>
  Object.fromEntries(KEYS.map((k, j) => [k, VALUES[(i * (j + 2) + j) % VALUES.length]!])),
);

const predicate: fc.Arbitrary<Predicate> = fc.letrec<{ p: Predicate }>((tie) => ({
  p: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.record({ kind: fc.constant('compare' as const), key: fc.constantFrom(...KEYS), op: fc.constantFrom('==' as const, '!=' as const), value: fc.constantFrom(...VALUES) }),
    fc.record({
      kind: fc.constant('regex' as const),
      key: fc.constantFrom(...KEYS),
      op: fc.constantFrom('=~' as const, '!~' as const),
      pattern: fc.constantFrom(...PATTERNS).map(compileRegexp),
    }),
    fc.constant({ kind: 'true' as const }),
    fc.record({ kind: fc.constantFrom('and' as const, 'or' as const), left: tie('p'), right: tie('p') }),
    fc.record({ kind: fc.constant('not' as const), operand: tie('p') }),
  ),
})).p;

describe('predicateFlux', () => {
  it('selects in Flux exactly the rows the storage predicate selects', async () => {
    const data = `import "array"\ndata = array.from(rows: [${ROWS.map((r) => `{${KEYS.map((k) => `"${k}": "${escapeStringText(r[k]!)}"`).join(', ')}, i: ${ROWS.indexOf(r)}}`).join(',\n')}])\n`;
    await fc.assert(
      fc.asyncProperty(predicate, async (p) => {
        const got = await runRows(`${data}data |> filter(fn: (r) => ${predicateFlux(p)})`);
        const want = ROWS.flatMap((r, i) => (holds(p, r) ? [`${i}`] : []));
        expect(got.map((r) => r['i'])).toEqual(want);
      }),
      { numRuns: 60 },
    );
  });
});
