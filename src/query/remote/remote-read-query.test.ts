import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileRegexp } from '../../flux/interpreter/index.js';
import { runRows } from '../../flux/stdlib/experimental/run-tables.js';
import { escapeStringText } from '../../flux/syntax/printer.js';
import type { Predicate } from '../../storage/storage.js';
import { predicateFlux, re2Source, remoteCardinalityQuery, remoteReadQuery } from './remote-read-query.js';

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
