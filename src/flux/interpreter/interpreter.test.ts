import { describe, expect, it } from 'vitest';
import { collectTables } from '../execute/table-stream.js';
import { standardLibrary } from '../stdlib/index.js';
import { displayValue } from '../values/format-value.js';
import type { Value } from '../values/value.js';
import { runProgram } from './program.js';

const registry = standardLibrary();
const NOW = 1_600_000_000_000_000_000n;

/** Runs a program and returns every result's tables as plain rows. */
async function rows(source: string): Promise<Record<string, unknown>[][]> {
  const run = await runProgram(source, { registry, nowNs: NOW });
  const out: Record<string, unknown>[][] = [];
  for (const r of run.results) {
    for (const t of await collectTables(r.stream.tables)) {
      const table: Record<string, unknown>[] = [];
      for (let i = 0; i < t.length; i++) {
        const row: Record<string, unknown> = {};
        t.cols.forEach((c, j) => (row[c.label] = plain(t.value(i, j))));
        table.push(row);
      }
      out.push(table);
    }
  }
  return out;
}

function plain(v: Value): unknown {
  return v.kind === 'null' ? null : 'value' in v ? v.value : displayValue(v);
}

/** Evaluates one expression inside a program (with the given preamble). */
async function value(expr: string, preamble = ''): Promise<unknown> {
  const r = await rows(`import "array"\n${preamble}\narray.from(rows: [{v: ${expr}}])`);
  return r[0]![0]!.v;
}

describe('expressions', () => {
  it.each([
    ['1 + 2 * 3', 7n],
    ['(1 + 2) * 3', 9n],
    ['7 / 2', 3n],
    ['-7 % 3', -1n],
    ['1.5 * 2.0', 3],
    ['"a" + "b"', 'ab'],
    ['2 ^ 3', 8],
    ['1 < 2', true],
    ['2.5 >= 3.0', false],
    ['"abc" =~ /^a/', true],
    ['"abc" !~ /^b/', true],
    ['not true', false],
    ['true and false', false],
    ['false or true', true],
    ['if 1 > 2 then "x" else "y"', 'y'],
    ['[1, 2, 3][1]', 2n],
    ['{a: 1, b: "x"}.b', 'x'],
    ['{a: 1, b: "x"}["a"]', 1n],
    ['"n=${1 + 1}"', 'n=2'],
    ['exists {a: 1}.b', false],
    // Three-valued logic: null decides nothing unless the other side does.
    ['{}.n or true', true],
    ['{}.n and false', false],
    ['false and {}.n', false],
    ['exists ({}.n or false)', false],
    ['exists (true and {}.n)', false],
    ['"t=${2020-01-01T00:00:00Z}"', 't=2020-01-01T00:00:00.000000000Z'],
    ['9223372036854775807 + 1', -9223372036854775808n],
  ])('%s', async (expr, want) => {
    expect(await value(expr)).toEqual(want);
  });

  it('evaluates durations and times', async () => {
    expect(await value('2020-01-01T00:00:00Z')).toBe(1577836800000000000n);
    expect(await value('1h30m')).toEqual({ months: 0, nanoseconds: 5_400_000_000_000n, negative: false });
  });

  it('short-circuits and/or', async () => {
    expect(await value('false and die(msg: "x")', 'die = (msg) => 1 / 0 == 0')).toBe(false);
  });

  it('reports arithmetic on mismatched types at the operator', async () => {
    await expect(value('1 + 1.0')).rejects.toThrow(/error @3:23-3:30: unsupported binary expression int \+ float/);
  });
});

describe('functions', () => {
  it('binds named arguments and defaults', async () => {
    expect(await value('f(a: 1)', 'f = (a, b=10) => a + b')).toBe(11n);
    expect(await value('f(a: 1, b: 2)', 'f = (a, b=10) => a + b')).toBe(3n);
  });

  it('passes the pipe argument', async () => {
    expect(await value('3 |> inc()', 'inc = (x=<-) => x + 1')).toBe(4n);
  });

  it('runs block bodies with local variables', async () => {
    expect(await value('f(x: 2)', 'f = (x) => {\n y = x * x\n return y + 1\n}')).toBe(5n);
  });

  it('closes over the defining scope', async () => {
    expect(await value('add5(x: 1)', 'adder = (n) => (x) => x + n\nadd5 = adder(n: 5)')).toBe(6n);
  });

  it('rejects recursion, as Flux does (a name is not in scope in its own definition)', async () => {
    await expect(value('fact(n: 10)', 'fact = (n) => if n <= 1 then 1 else n * fact(n: n - 1)')).rejects.toThrow(
      /undefined identifier fact/,
    );
  });

  it('rejects a missing required argument with its name', async () => {
    await expect(value('f()', 'f = (a) => a')).rejects.toThrow(/missing required argument a/);
  });

  it('rejects an unknown argument before running, with Flux\'s message', async () => {
    await expect(value('f(a: 1, z: 2)', 'f = (a) => a')).rejects.toThrow(/error @3:\d+-3:\d+: found unexpected argument z/);
  });

  it('checks builtin calls against their declared signatures before running', async () => {
    await expect(rows('import "array"\narray.from(rows: [{a: 1}]) |> filter()')).rejects.toThrow(/missing required argument fn/);
  });
});

describe('programs', () => {
  it('reports undefined identifiers before running', async () => {
    await expect(rows('x = y + 1')).rejects.toThrow('error @1:5-1:6: undefined identifier y');
  });

  it('reports unknown package members before running', async () => {
    await expect(rows('import "array"\narray.nope(rows: [])')).rejects.toThrow('error @2:7-2:11: record is missing label nope');
  });

  it('reports syntax errors', async () => {
    await expect(rows('x = (1 + ')).rejects.toThrow(/^error @1/);
  });

  it('yields named results and implicit _result', async () => {
    const run = await runProgram(
      'import "array"\narray.from(rows: [{a: 1}]) |> yield(name: "one")\narray.from(rows: [{a: 2}])',
      { registry, nowNs: NOW },
    );
    expect(run.results.map((r) => r.name)).toEqual(['one', '_result']);
  });

  it('lets a stream variable be read by two yields', async () => {
    const r = await rows('import "array"\ndata = array.from(rows: [{a: 1}, {a: 2}])\ndata |> yield(name: "x")\ndata |> filter(fn: (r) => r.a > 1) |> yield(name: "y")');
    expect(r).toEqual([[{ a: 1n }, { a: 2n }], [{ a: 2n }]]);
  });

  it('uses option now for now()', async () => {
    expect(await value('now()')).toBe(NOW);
    expect(await value('now()', 'option now = () => 2021-01-01T00:00:00Z')).toBe(1609459200000000000n);
  });
});

describe('filter and map', () => {
  it('filters rows and maps records', async () => {
    const r = await rows(`import "array"
array.from(rows: [{_value: 1.0, t: "a"}, {_value: 5.0, t: "b"}, {_value: 9.0, t: "c"}])
  |> filter(fn: (r) => r._value > 2.0)
  |> map(fn: (r) => ({r with _value: r._value * 2.0, extra: r.t + "!"}))`);
    expect(r).toEqual([
      [
        { _value: 10, t: 'b', extra: 'b!' },
        { _value: 18, t: 'c', extra: 'c!' },
      ],
    ]);
  });

  it('positions a runtime error inside a row function at the call', async () => {
    await expect(rows('import "array"\narray.from(rows: [{a: 1}]) |> map(fn: (r) => ({r with a: r.a / 0}))')).rejects.toThrow(
      /cannot divide by zero/,
    );
  });
});
