import { describe, expect, it } from 'vitest';
import { tableFromColumns } from '../../../execute/table-builder.js';
import type { Table } from '../../../execute/table.js';
import { runProgram, type PackageDef } from '../../../interpreter/index.js';
import { streamValue } from '../../../values/value.js';
import { standardLibrary } from '../../index.js';

/**
 * Steps that work on everything they were given at once (join, group, sort) stop at their next
 * checkpoint when the query is cancelled after their input ended: the consumer gets no table.
 */

let ended = 0;
let onEnded: ((count: number) => void) | undefined;

/**
 * `probe.tables(n:, early:)`: n tables keyed by `k`, 200 rows each; counts the streams read to
 * their end (with `early`, as it is about to hand over its last table instead).
 */
const probePackage: PackageDef = {
  path: 'probe',
  builtins: {
    tables: {
      signature: '(n: int, ?early: bool) => stream[A]',
      call(args) {
        const n = Number(args.int('n'));
        const early = args.boolOr('early', false);
        return streamValue(
          args.output(async function* () {
            for (let i = 0; i < n; i++) {
              if (early && i === n - 1) onEnded?.(++ended);
              const rows = Array.from({ length: 200 }, (_, r) => r);
              yield tableFromColumns(
                [
                  ['_time', 'time', rows.map((r) => BigInt(200 - r) * 1_000_000_000n)],
                  ['k', 'string', rows.map(() => `k${i}`)],
                  ['_value', 'float', rows.map((r) => (r * 7919) % 101)],
                ],
                ['k'],
              );
            }
            if (!early) onEnded?.(++ended);
          }),
        );
      },
    },
  },
};
const registry = standardLibrary().register(probePackage);

/** Runs `src`, cancelling once `streams` input streams have been read to their end; the tables the consumer got. */
async function cancelledAfterInput(src: string, streams: number): Promise<{ got: Table[]; error: unknown }> {
  ended = 0;
  const ac = new AbortController();
  onEnded = (count) => {
    if (count === streams) ac.abort(new Error('client went away'));
  };
  const got: Table[] = [];
  try {
    const r = await runProgram(`import "probe"\n${src}`, { registry, signal: ac.signal });
    for await (const t of r.results[0]!.stream.tables) got.push(t);
    return { got, error: undefined };
  } catch (error) {
    return { got, error };
  } finally {
    onEnded = undefined;
  }
}

describe('cancelled after the input ended', () => {
  it.each([
    ['join', 'join(tables: {a: probe.tables(n: 40), b: probe.tables(n: 40)}, on: ["_time", "k"])', 2],
    ['group', 'probe.tables(n: 40) |> group()', 1],
  ])('%s gives nothing', async (_name, src, streams) => {
    const { got, error } = await cancelledAfterInput(src, streams);
    expect(String(error)).toContain('client went away');
    expect(got).toEqual([]);
  });

  it('sort stops inside the table it was sorting when the query is cancelled', async () => {
    // Cancelled as the last table is handed to sort: the tables sorted before come out, that one not.
    const { got, error } = await cancelledAfterInput('probe.tables(n: 3, early: true) |> sort(columns: ["_value"])', 1);
    expect(String(error)).toContain('client went away');
    expect(got.length).toBe(2);
  });

  it('and the same queries answer when nothing cancels them', async () => {
    const r = await runProgram('import "probe"\njoin(tables: {a: probe.tables(n: 40), b: probe.tables(n: 40)}, on: ["_time", "k"])', { registry });
    const tables: Table[] = [];
    for await (const t of r.results[0]!.stream.tables) tables.push(t);
    expect(tables.length).toBe(40);
    expect(tables.every((t) => t.length === 200)).toBe(true);
  });
});
