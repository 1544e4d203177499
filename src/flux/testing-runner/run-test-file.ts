import { readFile } from 'node:fs/promises';
import { expandTestCases, formatDiagnostics, parse, type TestCaseProgram, type TestModuleReader } from '../syntax/index.js';
import { runTestProgram, type TestProgramOptions } from './run-test-program.js';
import { applyTestOverrides, type TestOverrides } from './test-overrides.js';
import { readTestTags } from './test-tags.js';
import { selectTestCase, type TestSelection } from './test-selection.js';
import { testModuleReader } from './test-module-reader.js';

export type TestStatus = 'pass' | 'fail' | 'skip';

/** The outcome of one testcase. */
export interface TestCaseReport {
  /** `pkg.testcase`: the package clause without `_test`, then the testcase name. */
  readonly name: string;
  readonly testcase: string;
  readonly file: string;
  /** Line of the `testcase` statement (1-based); 0 when the file did not parse. */
  readonly line: number;
  readonly status: TestStatus;
  /** Why it failed (error message or rendered diff) or was skipped; '' for a pass. */
  readonly reason: string;
  /** For failures: what kind of failure. */
  readonly failure?: 'error' | 'diff' | 'timeout';
  readonly durationMs: number;
}

export interface TestFileOptions extends TestProgramOptions, TestSelection {
  /** Resolves `extends` paths; by default through `fluxtest.root` files above the test file. */
  readonly readModule?: TestModuleReader;
  /** Called before each selected testcase runs (a host watching for hangs uses it). */
  readonly onStart?: (name: string) => void;
  /**
   * Full testcase names already used in this run (→ `file:line`), shared across files: Flux
   * rejects two testcases with one name in a package. Each run testcase's name is added.
   */
  readonly names?: Map<string, string>;
  /** Flux added to every testcase after the file's preamble (see TestOverrides). */
  readonly overrides?: TestOverrides;
  /** Called with each report as soon as it is known (so a CLI can print as it goes). */
  readonly onReport?: (report: TestCaseReport) => void;
}

/** Reads and runs one `*_test.flux` file; see runTestSource. */
export async function runTestFile(path: string, opts: TestFileOptions): Promise<TestCaseReport[]> {
  const source = await readFile(path, 'utf8');
  return runTestSource(source, path, { readModule: testModuleReader(path), ...opts });
}

/**
 * Runs every selected testcase of a test file, in order, as Flux's `flux test` does: each becomes
 * its own program (the file's imports and non-testcase statements, then the testcase's block),
 * which passes unless it errors or yields a table to `errorOutput`. `expect.planner` and other
 * stubs are the stdlib's business; this only reads results. A file that does not parse fails all
 * of its testcases (or one pseudo-testcase named after the file when none can be found).
 */
export async function runTestSource(source: string, fileName: string, opts: TestFileOptions): Promise<TestCaseReport[]> {
  const parsed = parse(source, fileName);
  const pkg = packageName(parsed.file.package?.name.name);
  const testcases = parsed.file.body.filter((s) => s.kind === 'TestCaseStatement');
  const fail = (testcase: string, line: number, reason: string): TestCaseReport => ({
    name: `${pkg}.${testcase}`,
    testcase,
    file: fileName,
    line,
    status: 'fail',
    reason,
    failure: 'error',
    durationMs: 0,
  });
  if (parsed.diagnostics.length > 0) {
    const reason = formatDiagnostics(parsed.diagnostics);
    if (testcases.length === 0) return notify([fail(fileStem(fileName), 0, reason)], opts);
    return notify(testcases.filter((t) => selected(`${pkg}.${t.id.name}`, opts)).map((t) => fail(t.id.name, t.loc.start.line, reason)), opts);
  }
  let programs: TestCaseProgram[];
  try {
    programs = expandTestCases(parsed.file, opts.readModule);
  } catch (e) {
    // An unreadable `extends` parent: the file's testcases cannot be built.
    const reason = e instanceof Error ? e.message : String(e);
    return notify(testcases.filter((t) => selected(`${pkg}.${t.id.name}`, opts)).map((t) => fail(t.id.name, t.loc.start.line, reason)), opts);
  }
  const scope = opts.scope ?? opts.registry.scopeDescription();
  const reports: TestCaseReport[] = [];
  const names = opts.names ?? new Map<string, string>();
  const preambleLength = parsed.file.body.length - testcases.length;
  const report = (r: TestCaseReport): void => {
    reports.push(r);
    opts.onReport?.(r);
  };
  for (const p of programs) {
    const name = `${pkg}.${p.name}`;
    const line = p.testcase.loc.start.line;
    const base = { name, testcase: p.name, file: fileName, line };
    const choice = selectTestCase(name, p.name, readTestTags(p.file.body), opts);
    const earlier = names.get(name);
    if (earlier !== undefined && (choice.run || choice.skip)) {
      report({ ...base, status: 'fail', reason: `duplicate testcase name ${name} (first at ${earlier})`, failure: 'error', durationMs: 0 });
      continue;
    }
    names.set(name, `${fileName}:${line}`);
    if (!choice.run) {
      if (choice.skip) report({ ...base, status: 'skip', reason: choice.reason, durationMs: 0 });
      continue;
    }
    opts.onStart?.(name);
    const started = performance.now();
    const program = opts.overrides === undefined ? p.file : applyTestOverrides(p.file, preambleLength, opts.overrides);
    const verdict = await runTestProgram(program, { ...opts, scope });
    const durationMs = performance.now() - started;
    report(
      verdict.pass
        ? { ...base, status: 'pass', reason: '', durationMs }
        : { ...base, status: 'fail', reason: verdict.message, failure: verdict.kind, durationMs },
    );
  }
  return reports;
}

function notify(reports: TestCaseReport[], opts: TestFileOptions): TestCaseReport[] {
  for (const r of reports) opts.onReport?.(r);
  return reports;
}

function selected(name: string, sel: TestSelection): boolean {
  return sel.run === undefined || sel.run.test(name);
}

/** `universe_test` → `universe`; a file without a package clause is `main`. */
function packageName(clause: string | undefined): string {
  if (clause === undefined) return 'main';
  return clause.endsWith('_test') ? clause.slice(0, -'_test'.length) : clause;
}

function fileStem(fileName: string): string {
  const base = fileName.split(/[\\/]/).pop() ?? fileName;
  return base.replace(/_test\.flux$|\.flux$/, '');
}
