import { describe, expect, it } from 'vitest';
import { collectTables } from '../../execute/table-stream.js';
import { runProgram } from '../../interpreter/index.js';
import { standardLibrary } from '../index.js';

const registry = standardLibrary();

async function rowCounts(source: string): Promise<number[]> {
  const run = await runProgram(source, { registry });
  const out: number[] = [];
  for (const r of run.results) out.push((await collectTables(r.stream.tables)).reduce((n, t) => n + t.length, 0));
  return out;
}

const DATA = 'array.from(rows: [{a: 1}, {a: 2}])';

describe('internal/debug, testing/expect, planner', () => {
  it.each([
    ['pass', 2],
    ['opaque', 2],
    ['slurp', 2],
    ['sink', 0],
  ])('debug.%s', async (fn, rows) => {
    expect(await rowCounts(`import "array"\nimport "internal/debug"\n${DATA} |> debug.${fn}()`)).toEqual([rows]);
  });

  it('reads options with getOption after they are set', async () => {
    const src = `import "array"\nimport "internal/debug"\nimport "planner"
option planner.disablePhysicalRules = ["x"]
array.from(rows: [{v: debug.getOption(pkg: "planner", name: "disablePhysicalRules")[0]}]) |> filter(fn: (r) => r.v == "x")`;
    expect(await rowCounts(src)).toEqual([1]);
  });

  it('accepts expect.planner as a no-op', async () => {
    expect(await rowCounts(`import "array"\nimport "testing/expect"\nexpect.planner(rules: ["r": 1])\n${DATA}`)).toEqual([2]);
  });

  it('makes typed nulls', async () => {
    expect(await rowCounts(`import "array"\nimport "internal/debug"\narray.from(rows: [{v: 1, n: debug.null(type: "int")}]) |> filter(fn: (r) => not exists r.n)`)).toEqual([1]);
  });
});
