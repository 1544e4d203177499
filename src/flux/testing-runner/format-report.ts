import type { TestCaseReport } from './run-test-file.js';

/** Totals of a test run. */
export interface TestSummary {
  readonly passed: number;
  readonly failed: number;
  readonly skipped: number;
}

export function summarize(reports: Iterable<TestCaseReport>): TestSummary {
  let passed = 0;
  let failed = 0;
  let skipped = 0;
  for (const r of reports) {
    if (r.status === 'pass') passed++;
    else if (r.status === 'fail') failed++;
    else skipped++;
  }
  return { passed, failed, skipped };
}

/**
 * One report as `sluice flux test` prints it: `PASS name`, `SKIP name: reason` or
 * `FAIL name: reason`. A multi-line reason (a rendered diff) follows on indented lines so each
 * testcase still starts exactly one line that begins with its status.
 */
export function formatReportLine(r: TestCaseReport): string {
  const status = r.status.toUpperCase();
  if (r.reason === '') return `${status} ${r.name}`;
  const [first, ...rest] = r.reason.split('\n');
  const tail = rest.map((l) => `    ${l}`).join('\n');
  return `${status} ${r.name}: ${first}${rest.length > 0 ? `\n${tail}` : ''}`;
}

/** The last line of a run: `N passed, M failed, K skipped`. */
export function formatSummaryLine(s: TestSummary): string {
  return `${s.passed} passed, ${s.failed} failed, ${s.skipped} skipped`;
}
