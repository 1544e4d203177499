import { describe, expect, it } from 'vitest';
import { collectTables } from '../../execute/table-stream.js';
import { runProgram, type PackageDef } from '../../interpreter/index.js';
import { intValue } from '../../values/value.js';
import { standardLibrary } from '../index.js';

/**
 * filter() and map() whose function does not compile to column kernels evaluate it row by row;
 * over one table of many rows they pass the execution's checkpoint every 16,384 rows, so a
 * cancelled query stops inside the table rather than after all of it.
 */

const ROWS = 60_000;
let calls = 0;
let cancel: (() => void) | undefined;

/** `probe.tick(v:)`: returns v, counts its calls, and cancels the query at the 100th. */
const probePackage: PackageDef = {
  path: 'probe',
  builtins: {
    tick: {
      signature: '(v: int) => int',
      call(args) {
        calls++;
        if (calls === 100) cancel?.();
        return intValue(args.int('v'));
      },
    },
  },
};
const registry = standardLibrary().register(probePackage);

async function runCancelled(pipeline: string): Promise<unknown> {
  calls = 0;
  const ac = new AbortController();
  cancel = () => ac.abort(new Error('client went away'));
  const src = `import "generate"\nimport "probe"\ngenerate.from(count: ${ROWS}, fn: (n) => n, start: 2021-01-01T00:00:00Z, stop: 2021-01-02T00:00:00Z) |> ${pipeline}`;
  const r = await runProgram(src, { registry, signal: ac.signal });
  return collectTables(r.results[0]!.stream.tables);
}

describe('row functions evaluated row by row', () => {
  it.each([
    ['map', 'map(fn: (r) => ({r with x: probe.tick(v: r._value)}))'],
    ['filter', 'filter(fn: (r) => probe.tick(v: r._value) >= 0)'],
  ])('%s stops inside a long table when the query is cancelled', async (_name, pipeline) => {
    await expect(runCancelled(pipeline)).rejects.toThrow('client went away');
    expect(calls).toBeGreaterThanOrEqual(100);
    expect(calls).toBeLessThan(ROWS / 2);
  });

  it('and evaluates every row when it is not', async () => {
    cancel = undefined;
    calls = 0;
    const src = `import "generate"\nimport "probe"\ngenerate.from(count: ${ROWS}, fn: (n) => n, start: 2021-01-01T00:00:00Z, stop: 2021-01-02T00:00:00Z) |> map(fn: (r) => ({r with x: probe.tick(v: r._value)}))`;
    const r = await runProgram(src, { registry });
    const [t] = await collectTables(r.results[0]!.stream.tables);
    expect(t!.length).toBe(ROWS);
    expect(calls).toBe(ROWS);
  });
});
