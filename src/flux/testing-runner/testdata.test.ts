import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { standardLibrary } from '../stdlib/index.js';
import { parse } from '../syntax/index.js';
import { runTestFile } from './run-test-file.js';

/**
 * Our own Flux tests (src/flux/testdata/*_test.flux) run through the runner, one vitest test per
 * testcase, so `npm test` covers them: each must pass, and a failure shows the runner's reason
 * (the error, or the diff tables).
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

describe('src/flux/testdata', () => {
  it('has testcases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(10);
  });

  it.for(cases)('$file $testcase', async ({ file, testcase }) => {
    const reports = await runTestFile(join(DIR, file), { registry, scope, run: new RegExp(`\\.${testcase}$`), timeoutMs: 20_000 });
    expect(reports).toHaveLength(1);
    const [r] = reports;
    expect(r!.reason).toBe('');
    expect(r!.status).toBe('pass');
  });
});
