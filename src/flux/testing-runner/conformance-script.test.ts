import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

/**
 * scripts/flux-conformance.mjs end to end on one small package of Flux's corpus (needs the
 * fetched influxdata/flux mirror; skipped without it): it must find the package's testcases in
 * the tier table, run them, and print the tier table, the reasons and one line per failure.
 */
const ROOT = join(import.meta.dirname, '..', '..', '..');
const MIRROR = process.env['FLUX_GIT_DIR'] ?? '/work/.mirror/influxdata+flux/repo';
const TSV = process.env['FLUX_TESTCASES_TSV'] ?? '/work/shared/reference/flux-testcases.tsv';
// The script's outputs (results TSV, last-status record) go here, not into the shared temp files.
const OUT_DIR = mkdtempSync(join(tmpdir(), 'sluice-conformance-test-'));
afterAll(() => rmSync(OUT_DIR, { recursive: true, force: true }));

function script(args: string[], fault = ''): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const env = { ...process.env, SLUICE_CONFORMANCE_FAULT: fault, SLUICE_CONFORMANCE_OUT_DIR: OUT_DIR };
    const child = spawn(process.execPath, [join(ROOT, 'scripts', 'flux-conformance.mjs'), ...args], { cwd: ROOT, env });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe.skipIf(!existsSync(MIRROR) || !existsSync(TSV))('scripts/flux-conformance.mjs', () => {
  it('runs one package and accounts for each of its testcases', async () => {
    const r = await script(['--package', 'csv']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    // csv has 4 testcases: 3 in tier 1, 1 in tier 2.
    expect(r.stdout).toMatch(/^Flux corpus: influxdata\/flux [0-9a-f]{12}, 4 testcases run in [\d.]+ s \(packages: csv\)$/m);
    expect(r.stdout).toMatch(/^\| T1 \| \d \/ 3 \| [\d.]+% \| ≥ 95% \| 0 \|$/m);
    expect(r.stdout).toMatch(/^\| T2 \| \d \/ 1 \| [\d.]+% \| ≥ 80% \| 0 \|$/m);
    const passed = [...r.stdout.matchAll(/^\| T[12] \| (\d) \//gm)].reduce((n, m) => n + Number(m[1]), 0);
    const failures = r.stdout.split('\n').filter((l) => /^(FAIL|SKIP) T\d csv\.\w+ \(stdlib\/csv\/csv_test\.flux:\d+\): ./.test(l));
    expect(passed + failures.length).toBe(4);
  });

  it.each([
    ['hangs', 'hang', /^FAIL T2 csv\.from_annotations \(stdlib\/csv\/csv_test\.flux:\d+\): hung: no progress for 1\.2 s \(worker terminated\)$/m],
    ['crashes its worker', 'crash', /^FAIL T2 csv\.from_annotations \(stdlib\/csv\/csv_test\.flux:\d+\): internal error: worker crashed: injected crash in csv\.from_annotations$/m],
  ])('carries on after a testcase that %s, blaming only that testcase', async (_, fault, line) => {
    const r = await script(['--package', 'csv', '--timeout', '200ms'], `${fault}:csv.from_annotations`);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(line);
    // The other three testcases were still run and reported once each.
    expect(r.stdout).toMatch(/4 testcases run/);
    const names = [...r.stdout.matchAll(/^(?:FAIL|SKIP) T\d (csv\.\w+) /gm)].map((m) => m[1]);
    expect(new Set(names).size).toBe(names.length);
  });

  it('reports a testcase that passed in the last run that included it and fails now', async () => {
    const record = join(OUT_DIR, 'sluice-flux-conformance-status.json');
    writeFileSync(record, JSON.stringify({ 'stdlib/csv/csv_test.flux\tfrom_raw': 'pass' }));
    const r = await script(['--package', 'csv', '--timeout', '200ms'], 'crash:csv.from_raw');
    expect(r.stdout).toMatch(/^NO LONGER PASSING since the last run \(1\):\n {2}csv\.from_raw: internal error: worker crashed: injected crash in csv\.from_raw$/m);
    // The record now holds this run's status of every csv testcase.
    const after = JSON.parse(readFileSync(record, 'utf8')) as Record<string, string>;
    expect(Object.keys(after).filter((k) => k.startsWith('stdlib/csv/'))).toHaveLength(4);
    expect(after['stdlib/csv/csv_test.flux\tfrom_raw']).toBe('fail');
  });

  it('rejects --doc with a selection', async () => {
    const r = await script(['--doc', '--package', 'csv']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--doc describes the whole corpus');
  });
});
