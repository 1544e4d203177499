import { collectTables } from '../../../execute/table-stream.js';
import { runProgram } from '../../../interpreter/index.js';
import { formatRfc3339Nano } from '../../../../core/time.js';
import type { Value } from '../../../values/value.js';
import { standardLibrary } from '../../index.js';

/** A result table as plain data: its key labels, column labels and rows (for tests). */
export interface PlainTable {
  key: string[];
  cols: string[];
  rows: Record<string, unknown>[];
}

const registry = standardLibrary();

/** NOW of test programs: 2020-01-01T00:00:00Z. */
export const TEST_NOW_NS = 1_577_836_800_000_000_000n;

/**
 * Runs a Flux program (for this folder's tests) and returns the tables of its results: ints as
 * bigint, floats as number, times as RFC3339 strings, nulls as null.
 */
export async function programTables(source: string): Promise<PlainTable[]> {
  const run = await runProgram(source, { registry, nowNs: TEST_NOW_NS });
  const out: PlainTable[] = [];
  for (const r of run.results) {
    for (const t of await collectTables(r.stream.tables)) {
      const rows: Record<string, unknown>[] = [];
      for (let i = 0; i < t.length; i++) {
        const row: Record<string, unknown> = {};
        t.cols.forEach((c, j) => (row[c.label] = plain(t.value(i, j))));
        rows.push(row);
      }
      out.push({ key: t.key.cols.map((c) => c.label), cols: t.cols.map((c) => c.label), rows });
    }
  }
  return out;
}

function plain(v: Value): unknown {
  switch (v.kind) {
    case 'null':
      return null;
    case 'time':
      return formatRfc3339Nano(v.value).replace('.000000000Z', 'Z');
    case 'int':
    case 'uint':
    case 'float':
    case 'string':
    case 'bool':
      return v.value;
    default:
      return v.kind;
  }
}

/**
 * The tables of a program, or its error's text without source positions (so that two programs
 * of different lengths compare), for tests holding one path to another.
 */
export async function programOutcome(source: string): Promise<PlainTable[] | string> {
  return programTables(source).catch((e: Error) => e.message.replace(/@\d+:\d+-\d+:\d+/g, '@'));
}

/**
 * A row function `(params) => body` written two ways: as given (compiled to column kernels where
 * the body allows), and as a block of two statements (never compiled: evaluated row by row).
 */
export function compiledAndEvaluated(params: string, body: string): [compiled: string, evaluated: string] {
  return [`(${params}) => ${body}`, `(${params}) => {\n unused = 0\n return ${body}\n}`];
}
