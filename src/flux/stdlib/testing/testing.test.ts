import { describe, expect, it } from 'vitest';
import { collectTables } from '../../execute/table-stream.js';
import { runProgram } from '../../interpreter/index.js';
import { standardLibrary } from '../index.js';

const registry = standardLibrary();

const TABLE = `
#datatype,string,long,string,dateTime:RFC3339,double
#group,false,false,true,false,false
#default,_result,,,,
,result,table,host,_time,_value
,,0,a,2020-01-01T00:00:00Z,1.5
,,0,a,2020-01-01T00:00:10Z,2.5
`;

/** Runs a program and returns, per result name, the number of rows it produced. */
async function resultRows(source: string): Promise<Record<string, number>> {
  const run = await runProgram(source, { registry, nowNs: 0n });
  const out: Record<string, number> = {};
  for (const r of run.results) {
    const tables = await collectTables(r.stream.tables);
    out[r.name] = (out[r.name] ?? 0) + tables.reduce((n, t) => n + t.length, 0);
  }
  return out;
}

describe('testing.diff', () => {
  it('yields nothing to errorOutput when the streams are equal', async () => {
    const rows = await resultRows(`import "csv"\nimport "testing"\ntesting.diff(got: csv.from(csv: "${TABLE}"), want: csv.from(csv: "${TABLE}"))`);
    expect(rows).toEqual({ errorOutput: 0 });
  });

  it('yields the differing rows to errorOutput', async () => {
    const other = TABLE.replace('2.5', '3.5');
    const rows = await resultRows(`import "csv"\nimport "testing"\ntesting.diff(got: csv.from(csv: "${TABLE}"), want: csv.from(csv: "${other}"))`);
    // The unchanged first row as context, then the want row (-) and the got row (+).
    expect(rows.errorOutput).toBe(3);
  });
});

describe('testing.assertEquals and assertEmpty', () => {
  it('fails on unequal streams with the test name', async () => {
    const other = TABLE.replace('1.5', '0.5');
    await expect(
      resultRows(`import "csv"\nimport "testing"\ntesting.assertEquals(name: "t1", got: csv.from(csv: "${TABLE}"), want: csv.from(csv: "${other}"))`),
    ).rejects.toThrow(/test t1: unequal streams/);
  });

  it('assertEmpty fails on rows', async () => {
    await expect(resultRows(`import "csv"\nimport "testing"\ncsv.from(csv: "${TABLE}") |> testing.assertEmpty()`)).rejects.toThrow(
      /found non-empty table/,
    );
  });
});

describe('testing.shouldError and assertEqualValues', () => {
  it('passes when the function fails with a matching message', async () => {
    const rows = await resultRows(`import "testing"\ntesting.shouldError(fn: () => die(msg: "boom here"), want: /boom/)`);
    expect(rows).toEqual({ errorOutput: 0 });
  });

  it('reports a non-matching message', async () => {
    const rows = await resultRows(`import "testing"\ntesting.shouldError(fn: () => die(msg: "other"), want: /boom/)`);
    expect(rows).toEqual({ errorOutput: 1 });
  });

  it('compares plain values', async () => {
    expect(await resultRows(`import "testing"\ntesting.assertEqualValues(got: 1 + 1, want: 2)`)).toEqual({ errorOutput: 0 });
    expect((await resultRows(`import "testing"\ntesting.assertEqualValues(got: 1, want: 2)`)).errorOutput).toBe(2);
  });
});

describe('csv.from', () => {
  it('reads raw CSV as strings', async () => {
    const run = await runProgram('import "csv"\ncsv.from(csv: "a,b\\n1,x\\n", mode: "raw")', { registry });
    const [t] = await collectTables(run.results[0]!.stream.tables);
    expect(t!.cols).toEqual([
      { label: 'a', type: 'string' },
      { label: 'b', type: 'string' },
    ]);
  });

  it('prefixes decoding errors as Flux does', async () => {
    await expect(resultRows('import "csv"\ncsv.from(csv: "#datatype,nonsense\\n")')).rejects.toThrow(/error in csv.from\(\)/);
  });
});
