import { ErrorCode, SluiceError } from '../../core/errors.js';
import { formatTable } from '../execute/format-table.js';
import { FluxCompileError, runProgram, type ExecContextInit, type PackageRegistry } from '../interpreter/index.js';
import { resolveNames, type ScopeDescription } from '../semantic/index.js';
import type { Table } from '../execute/table.js';
import type { File } from '../syntax/ast.js';

/** The result name whose tables mean "the test failed" (where `testing.diff` yields its diff). */
export const ERROR_OUTPUT = 'errorOutput';

export interface TestProgramOptions {
  readonly registry: PackageRegistry;
  /** The registry's scope, computed once per registry by the caller (it is not cheap). */
  readonly scope?: ScopeDescription;
  /** `now()` when the program does not set `option now` (ns); the wall clock by default. */
  readonly nowNs?: bigint;
  /** Wall-clock limit for the whole testcase, in milliseconds. */
  readonly timeoutMs?: number;
  /** What the host gives the programs (storage behind from()/to(), ...); none by default. */
  readonly externals?: ExecContextInit['externals'];
}

export type TestVerdict =
  | { readonly pass: true }
  | { readonly pass: false; readonly kind: 'error' | 'diff' | 'timeout'; readonly message: string };

/**
 * Runs one testcase program the way `flux test` judges it: any compile or runtime error (in any
 * result) fails it with the error's message; any table in a result named `errorOutput` fails it
 * with the tables rendered; other results are read in full (so their errors count) and ignored.
 *
 * The timeout aborts the execution's signal and stops waiting; work that never checks the signal
 * may continue in the background, so a host running untrusted programs should isolate them
 * (scripts/flux-conformance.mjs runs them in a worker it can terminate).
 */
export async function runTestProgram(program: File, opts: TestProgramOptions): Promise<TestVerdict> {
  const abort = new AbortController();
  const timeoutMs = opts.timeoutMs ?? 0;
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<TestVerdict>((resolve) => {
    if (timeoutMs > 0) {
      timer = setTimeout(() => {
        abort.abort(new SluiceError(ErrorCode.Invalid, `testcase timed out after ${timeoutMs} ms`));
        resolve({ pass: false, kind: 'timeout', message: `timed out after ${timeoutMs} ms` });
      }, timeoutMs);
    }
  });
  const judged = judge(program, opts, abort.signal);
  try {
    return await Promise.race([judged, timedOut]);
  } finally {
    clearTimeout(timer);
  }
}

async function judge(program: File, opts: TestProgramOptions, signal: AbortSignal): Promise<TestVerdict> {
  const diffs: string[] = [];
  const counts = { tables: 0, rows: 0, removed: 0, added: 0 };
  try {
    const diagnostics = resolveNames(program, opts.scope ?? opts.registry.scopeDescription(), program.name);
    if (diagnostics.length > 0) throw new FluxCompileError(diagnostics);
    const run = await runProgram(program, {
      registry: opts.registry,
      signal,
      ...(opts.nowNs === undefined ? {} : { nowNs: opts.nowNs }),
      ...(opts.externals === undefined ? {} : { externals: opts.externals }),
    });
    // Indexed loop: reading a result may register more (a yield inside a function called lazily).
    for (let i = 0; i < run.results.length; i++) {
      const result = run.results[i]!;
      for await (const table of result.stream.tables) {
        if (result.name !== ERROR_OUTPUT) continue;
        diffs.push(formatTable(table));
        countDiff(table, counts);
      }
    }
  } catch (e) {
    return { pass: false, kind: 'error', message: errorMessage(e) };
  }
  if (diffs.length > 0) return { pass: false, kind: 'diff', message: `${diffSummary(counts)}\n${diffs.join('\n\n')}` };
  return { pass: true };
}

interface DiffCounts {
  tables: number;
  rows: number;
  /** Rows marked `-` (only in want) and `+` (only in got) in a `_diff` column, as testing.diff writes. */
  removed: number;
  added: number;
}

function countDiff(table: Table, counts: DiffCounts): void {
  counts.tables++;
  counts.rows += table.length;
  const j = table.colIndex('_diff');
  if (j < 0) return;
  for (let i = 0; i < table.length; i++) {
    const v = table.value(i, j);
    if (v.kind !== 'string') continue;
    if (v.value === '-') counts.removed++;
    else if (v.value === '+') counts.added++;
  }
}

/** The first line of a diff failure: how much differs, before the tables themselves. */
function diffSummary(c: DiffCounts): string {
  const tables = `${c.tables} ${c.tables === 1 ? 'table' : 'tables'}`;
  const rows = `${c.rows} ${c.rows === 1 ? 'row' : 'rows'}`;
  const marks = c.removed + c.added > 0 ? ` (${c.removed} -want, ${c.added} +got)` : '';
  return `errorOutput: ${tables}, ${rows}${marks}`;
}

function errorMessage(e: unknown): string {
  if (e instanceof SluiceError) return e.message;
  // Not a Flux error: a defect in the engine. Keep the stack's first frame for whoever fixes it.
  if (e instanceof Error) return `internal error: ${e.message}${firstFrame(e)}`;
  return `internal error: ${String(e)}`;
}

function firstFrame(e: Error): string {
  const frame = e.stack?.split('\n').find((l) => l.trimStart().startsWith('at '));
  return frame === undefined ? '' : ` (${frame.trim()})`;
}
