import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CallError, ExternalKey, type PackageDef } from '../interpreter/index.js';
import { standardLibrary } from '../stdlib/index.js';
import { streamValue, stringValue } from '../values/value.js';
import { formatReportLine, formatSummaryLine, summarize } from './format-report.js';
import { runTestFile, runTestSource, type TestCaseReport, type TestFileOptions } from './run-test-file.js';
import { parseSkipList } from './test-selection.js';
import { parseTestOverrides } from './test-overrides.js';

/**
 * A package of our own for these tests, so the runner is tested independently of how far the
 * real `testing` package has come: `check.fail` yields its input to `errorOutput` (what
 * `testing.diff` does with a difference), `check.boom` raises an error, `check.hang` never ends.
 */
/** What the host hands `check.external()` in the externals test. */
const GREETING = new ExternalKey<string>('greeting');

const checkPackage: PackageDef = {
  path: 'check',
  builtins: {
    external: {
      signature: '() => string',
      call: (args) => stringValue(args.ctx.requireExternal(GREETING, 'check.external')),
    },
    boom: {
      signature: '(msg: string) => int',
      call(args) {
        throw new CallError(args.string('msg'));
      },
    },
    hang: {
      signature: '() => stream[A]',
      call(args) {
        return streamValue(
          args.output(async function* () {
            await new Promise<void>((resolve) => args.ctx.signal.addEventListener('abort', () => resolve()));
            args.ctx.checkCanceled();
            yield* [];
          }),
        );
      },
    },
  },
  // `tags` stands in for `testing.tags` (imported as `testing`), which is all the runner reads.
  source: 'package check\nfail = (tables=<-) => tables |> yield(name: "errorOutput")\noption tags = [""]\n',
};
const registry = standardLibrary().register(checkPackage, { path: 'hostvalues', values: { greeting: stringValue('from host') } });
const NOW = 1_600_000_000_000_000_000n;

async function run(source: string, opts: Partial<TestFileOptions> = {}): Promise<TestCaseReport[]> {
  return runTestSource(source, 'x_test.flux', { registry, nowNs: NOW, ...opts });
}

const header = 'package demo_test\n\nimport "array"\nimport "check"\n\n';
const rows = 'array.from(rows: [{_value: 1}, {_value: 2}])';

describe('runTestSource verdicts', () => {
  it.each([
    ['an empty testcase passes', 'testcase ok {\n}\n', 'pass', ''],
    ['a non-errorOutput result does not affect the verdict', `testcase ok {\n    ${rows} |> yield(name: "other")\n}\n`, 'pass', ''],
    ['an empty errorOutput stream passes', `testcase ok {\n    ${rows} |> filter(fn: (r) => r._value > 5) |> check.fail()\n}\n`, 'pass', ''],
    ['a table in errorOutput fails with the table', `testcase bad {\n    ${rows} |> check.fail()\n}\n`, 'fail', 'errorOutput: 1 table, 2 rows\nTable: keys: []'],
    [
      'a testing.diff-style table is summarized by its _diff marks',
      `testcase bad {\n    array.from(rows: [{_diff: "-", v: 1}, {_diff: "+", v: 2}, {_diff: "", v: 3}, {_diff: "+", v: 4}]) |> check.fail()\n}\n`,
      'fail',
      'errorOutput: 1 table, 4 rows (1 -want, 2 +got)\nTable: keys: []',
    ],
    [
      'every errorOutput table is counted and shown',
      `testcase bad {\n    ${rows} |> group(columns: ["_value"]) |> check.fail()\n}\n`,
      'fail',
      'errorOutput: 2 tables, 2 rows\nTable: keys: [_value]',
    ],
    ['a runtime error fails with its message', 'testcase bad {\n    x = check.boom(msg: "kaput")\n}\n', 'fail', 'runtime error @7:9-7:33: boom: kaput'],
    ['an error while reading a result fails', `testcase bad {\n    ${rows} |> map(fn: (r) => ({v: check.boom(msg: "in map")}))\n}\n`, 'fail', 'in map'],
    ['an undefined identifier fails before running', 'testcase bad {\n    x = nope\n}\n', 'fail', 'undefined identifier nope'],
  ])('%s', async (_, body, status, reason) => {
    const [r] = await run(header + body);
    expect(r!.status).toBe(status);
    if (reason === '') expect(r!.reason).toBe('');
    else expect(r!.reason).toContain(reason);
  });

  it('names testcases after the package clause without _test and keeps their lines', async () => {
    const reports = await run(`${header}testcase a {\n}\n\ntestcase b {\n}\n`);
    expect(reports.map((r) => [r.name, r.testcase, r.line])).toEqual([
      ['demo.a', 'a', 6],
      ['demo.b', 'b', 9],
    ]);
  });

  it('runs each testcase as the preamble followed by its own block, independently', async () => {
    const source = `${header}v = 1\noption now = () => 2030-01-01T00:00:00Z\n\ntestcase uses_preamble {\n    array.from(rows: [{t: now(), v: v}]) |> filter(fn: (r) => r.t != 2030-01-01T00:00:00Z or r.v != 1) |> check.fail()\n}\n\ntestcase shadows {\n    v = 2\n    array.from(rows: [{v: v}]) |> filter(fn: (r) => r.v != 2) |> check.fail()\n}\n`;
    expect((await run(source)).map((r) => r.status)).toEqual(['pass', 'pass']);
  });

  it('hands each report to onReport as it is made, after onStart for the ones that run', async () => {
    const events: string[] = [];
    const source = `${header}import testing "check"\n\ntestcase a {\n}\n\ntestcase b {\n    option testing.tags = ["skip"]\n}\n\ntestcase c {\n    x = nope\n}\n`;
    const reports = await run(source, {
      onStart: (name) => events.push(`start ${name}`),
      onReport: (r) => events.push(`${r.status} ${r.name}`),
    });
    expect(events).toEqual(['start demo.a', 'pass demo.a', 'skip demo.b', 'start demo.c', 'fail demo.c']);
    expect(reports.map((r) => `${r.status} ${r.name}`)).toEqual(events.filter((e) => !e.startsWith('start')));
  });

  it('fails a second testcase with the same full name, in the file or in an earlier one', async () => {
    const names = new Map<string, string>();
    const first = await run(`${header}testcase a {\n}\n\ntestcase a {\n}\n`, { names });
    expect(first.map((r) => `${r.status} ${r.reason}`)).toEqual(['pass ', 'fail duplicate testcase name demo.a (first at x_test.flux:6)']);
    const second = await runTestSource(`${header}testcase a {\n}\n\ntestcase b {\n}\n`, 'y_test.flux', { registry, names });
    expect(second.map((r) => `${r.status} ${r.name} ${r.reason}`)).toEqual([
      'fail demo.a duplicate testcase name demo.a (first at x_test.flux:6)',
      'pass demo.b ',
    ]);
  });

  it('fails every testcase of a file that does not parse, with the diagnostics', async () => {
    const reports = await run(`${header}testcase a {\n    x = (\n}\n`);
    expect(reports).toHaveLength(1);
    expect(reports[0]!.status).toBe('fail');
    expect(reports[0]!.reason).toMatch(/^error x_test\.flux@7:9-8:2: expected RPAREN, got RBRACE/);
  });

  it('passes the host externals to the programs', async () => {
    const source = `${header}testcase greets {\n    array.from(rows: [{g: check.external()}]) |> filter(fn: (r) => r.g != "hello") |> check.fail()\n}\n`;
    const [without] = await run(source);
    expect(without!.reason).toContain('check.external is not available here: no greeting is configured');
    const [withIt] = await run(source, { externals: new Map([[GREETING, 'hello']]) });
    expect(withIt!.status).toBe('pass');
  });

  it('splices host overrides between the preamble and each testcase, adding their imports', async () => {
    // The preamble's option is replaced; the testcase's own code still runs after the override.
    const source = `${header}option check.tags = ["from preamble"]\n\ntestcase sees_override {\n    array.from(rows: [{t: check.tags[0]}]) |> filter(fn: (r) => r.t != "from host") |> check.fail()\n}\n\ntestcase own_option_wins {\n    option check.tags = ["own"]\n    array.from(rows: [{t: check.tags[0]}]) |> filter(fn: (r) => r.t != "own") |> check.fail()\n}\n`;
    // `hostvalues` is not imported by the file: the override's import must be added.
    const overrides = parseTestOverrides('import "check"\nimport "hostvalues"\noption check.tags = [hostvalues.greeting]\n');
    expect((await run(source)).map((r) => r.status)).toEqual(['fail', 'pass']);
    const reports = await run(source, { overrides });
    expect(reports.map((r) => `${r.status} ${r.reason}`)).toEqual(['pass ', 'pass ']);
  });

  it('rejects overrides that do not parse', () => {
    expect(() => parseTestOverrides('option = ')).toThrow(/^error overrides\.flux@1:/);
  });

  it('times out a testcase that never finishes', async () => {
    const [r] = await run(`${header}testcase slow {\n    check.hang()\n}\n`, { timeoutMs: 50 });
    expect(r).toMatchObject({ status: 'fail', failure: 'timeout', reason: 'timed out after 50 ms' });
  });
});

describe('selection', () => {
  const source = `${header}import testing "check"\n\ntestcase plain {\n}\n\ntestcase tagged {\n    option testing.tags = ["skip"]\n}\n\ntestcase two_tags {\n    option testing.tags = ["skip", "integration_read"]\n}\n`;

  it('applies file-level tags to every testcase of the file', async () => {
    const fileTagged = `${header}import testing "check"\n\noption testing.tags = ["integration_read"]\n\ntestcase a {\n}\n\ntestcase b {\n    option testing.tags = ["skip"]\n}\n`;
    const reports = await run(fileTagged, { tags: ['integration_read'] });
    expect(reports.map((r) => `${r.status} ${r.reason}`)).toEqual(['pass ', 'skip tagged skip']);
  });

  it.each([
    ['skips tagged testcases by default', {}, ['PASS', 'SKIP: tagged skip', 'SKIP: tagged skip, integration_read']],
    ['runs a tagged testcase when all its tags are enabled', { tags: ['skip'] }, ['PASS', 'PASS', 'SKIP: tagged integration_read']],
    ['--run selects by regular expression on the full name', { run: /^demo\.pl/ }, ['PASS']],
    ['a skip list names testcases by full or bare name', { skip: parseSkipList('demo.plain  known bug # why\ntagged\n') }, ['SKIP: known bug', 'SKIP: in skip list', 'SKIP: tagged skip, integration_read']],
  ])('%s', async (_, sel, want) => {
    const reports = await run(source, sel);
    expect(reports.map((r) => r.status.toUpperCase() + (r.status === 'skip' ? `: ${r.reason}` : ''))).toEqual(want);
  });
});

describe('files', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sluice-flux-test-'));
    await mkdir(join(dir, 'lib', 'sub'), { recursive: true });
    await writeFile(join(dir, 'fluxtest.root'), JSON.stringify({ name: 'mine', tags: [] }));
    await writeFile(
      join(dir, 'lib', 'parent_test.flux'),
      `${header}base = 10\n\ntestcase parent {\n    array.from(rows: [{v: base + extra}]) |> filter(fn: (r) => r.v != 15) |> check.fail()\n}\n`,
    );
    await writeFile(
      join(dir, 'lib', 'sub', 'child_test.flux'),
      'package child_test\n\nextra = 5\n\ntestcase child extends "mine/lib/parent_test.parent" {\n    super()\n}\n',
    );
  });
  afterAll(async () => rm(dir, { recursive: true, force: true }));

  it('resolves extends through fluxtest.root and splices the parent testcase at super()', async () => {
    const [r] = await runTestFile(join(dir, 'lib', 'sub', 'child_test.flux'), { registry, nowNs: NOW });
    expect(r).toMatchObject({ name: 'child.child', status: 'pass' });
  });

  it('fails the testcases of a file whose extends module is unknown', async () => {
    const [r] = await run('package c_test\n\ntestcase c extends "other/x_test.y" {\n    super()\n}\n');
    expect(r).toMatchObject({ status: 'fail', reason: expect.stringContaining('test module "other" not found') });
  });
});

describe('report lines', () => {
  const base = { testcase: 't', file: 'f', line: 1, durationMs: 0 };
  it.each([
    [{ ...base, name: 'p.t', status: 'pass' as const, reason: '' }, 'PASS p.t'],
    [{ ...base, name: 'p.t', status: 'skip' as const, reason: 'tagged skip' }, 'SKIP p.t: tagged skip'],
    [{ ...base, name: 'p.t', status: 'fail' as const, reason: 'diff:\nTable: keys: []\n a' }, 'FAIL p.t: diff:\n    Table: keys: []\n     a'],
  ])('%j', (report, line) => {
    expect(formatReportLine(report)).toBe(line);
  });

  it('summarizes counts', () => {
    const r = (status: 'pass' | 'fail' | 'skip'): TestCaseReport => ({ ...base, name: 'x', status, reason: '' });
    expect(formatSummaryLine(summarize([r('pass'), r('fail'), r('skip'), r('pass')]))).toBe('2 passed, 1 failed, 1 skipped');
  });
});
