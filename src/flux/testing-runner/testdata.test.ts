import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { standardLibrary } from '../stdlib/index.js';
import { parse } from '../syntax/index.js';
import { runTestFile } from './run-test-file.js';

/**
 * Our own Flux tests (src/flux/testdata/*_test.flux) run through the runner, one vitest test per
 * testcase, so `npm test` covers them. Each must pass. While the standard library is still being
 * written, a testcase that cannot compile because a package or function does not exist yet is
 * reported as skipped with the missing names; any other failure (a runtime error, a difference in
 * errorOutput) fails the test.
 */
const DIR = join(import.meta.dirname, '..', 'testdata');
const registry = standardLibrary();
const scope = registry.scopeDescription();

const cases = readdirSync(DIR)
  .filter((f) => f.endsWith('_test.flux'))
  .sort()
  .flatMap((file) =>
    parse(readFileSync(join(DIR, file), 'utf8'), file)
      .file.body.filter((s) => s.kind === 'TestCaseStatement')
      .map((s) => ({ file, testcase: s.id.name })),
  );

/** Compile diagnostics that only say the stdlib does not have something yet. */
function missingStdlib(reason: string): string[] | undefined {
  const lines = reason.split('\n').filter((l) => l !== '');
  const missing = lines.map((l) => /^error [^@]*@[\d:-]+: (invalid import path .*|undefined identifier .*)$/.exec(l)?.[1]);
  return missing.every((m) => m !== undefined) ? [...new Set(missing as string[])] : undefined;
}

describe('src/flux/testdata', () => {
  it('has testcases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(10);
  });

  it.for(cases)('$file $testcase', async ({ file, testcase }, ctx) => {
    const reports = await runTestFile(join(DIR, file), { registry, scope, run: new RegExp(`\\.${testcase}$`), timeoutMs: 20_000 });
    expect(reports).toHaveLength(1);
    const [r] = reports;
    if (r!.status === 'fail' && r!.failure === 'error') {
      const missing = missingStdlib(r!.reason);
      if (missing !== undefined) ctx.skip(`stdlib not there yet: ${missing.join('; ')}`);
    }
    expect(r!.reason).toBe('');
    expect(r!.status).toBe('pass');
  });
});
