#!/usr/bin/env node
// Flux conformance: runs Flux's own stdlib/**/*_test.flux suite (influxdata/flux, from the fetched
// mirror) through our test runner — the same code as `sluice flux test` — and reports pass rates
// per tier (flux-testcases.tsv) and per package, with failure reasons grouped.
//
//   node scripts/flux-conformance.mjs                      # everything, summary on stdout
//   node scripts/flux-conformance.mjs --package strings    # one package, every failure listed
//   node scripts/flux-conformance.mjs --doc                # also rewrite docs/flux-conformance.md
//
// Flags: --package P (repeatable; a tsv package such as universe or experimental/array, or a
// prefix ending in * such as 'testing/*'),
// --tier N, --run REGEX (on pkg.testcase), --timeout 10s (per testcase), --verbose (full
// diffs), --top N (failure groups shown), --doc.
//
// Nothing of Flux's is ever written into the repository: the corpus is exported to a temporary
// directory. Our sources are bundled with rolldown into node_modules/.cache (no build step
// needed), and testcases run in a worker thread that is replaced if a testcase hangs.
// Each run reports testcases that pass or fail since the last run that included them.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';

const ROOT = resolve(dirname(new URL(import.meta.url).pathname), '..');
const FLUX_GIT_DIR = process.env.FLUX_GIT_DIR ?? '/work/.mirror/influxdata+flux/repo';
const TSV = process.env.FLUX_TESTCASES_TSV ?? '/work/shared/reference/flux-testcases.tsv';
const DOC = join(ROOT, 'docs', 'flux-conformance.md');
// Where the per-testcase TSV and the last-status record go (tests point it elsewhere).
const OUT_DIR = process.env.SLUICE_CONFORMANCE_OUT_DIR ?? tmpdir();
const BEGIN = '<!-- BEGIN GENERATED: node scripts/flux-conformance.mjs --doc -->';
const END = '<!-- END GENERATED -->';

if (isMainThread) await main();
else await worker();

// ---------------------------------------------------------------------------------------------
// Worker: runs files and posts one message per testcase start and report.

async function worker() {
  const { bundle, corpusDir, files, exclude, timeoutMs, run } = workerData;
  const { standardLibrary } = await import(pathToFileURL(join(bundle, 'stdlib.mjs')).href);
  const { runTestSource, testModuleReader } = await import(pathToFileURL(join(bundle, 'runner.mjs')).href);
  const registry = standardLibrary();
  const scope = registry.scopeDescription();
  const excluded = new Set(exclude);
  for (const file of files) {
    const skip = new Map([...excluded].filter((k) => k.startsWith(`${file}\t`)).map((k) => [k.split('\t')[1], '']));
    // Named by their path in the flux repository (stdlib/...), so messages stay short.
    const path = join(corpusDir, file);
    const reports = await runTestSource(readFileSync(path, 'utf8'), file, {
      readModule: testModuleReader(path),
      registry,
      scope,
      timeoutMs,
      ...(run === undefined ? {} : { run: new RegExp(run) }),
      skip,
      // `flux test` skips tagged testcases unless asked; the tier table puts them in T3.
      tags: [],
      onStart: (name) => {
        parentPort.postMessage({ type: 'start', file, name });
        injectFault(name);
      },
    });
    for (const r of reports) {
      if (skip.has(r.testcase) && r.reason === 'in skip list') continue;
      parentPort.postMessage({ type: 'report', report: r });
    }
    parentPort.postMessage({ type: 'file-done', file });
  }
  parentPort.postMessage({ type: 'end' });
}

/**
 * For this script's own test (src/flux/testing-runner/conformance-script.test.ts):
 * SLUICE_CONFORMANCE_FAULT=hang:<name> blocks the worker thread when testcase <name> starts (as
 * a synchronous endless loop would, without burning CPU); crash:<name> throws out of the runner.
 */
function injectFault(name) {
  const m = /^(hang|crash):(.+)$/.exec(process.env.SLUICE_CONFORMANCE_FAULT ?? '');
  if (m === null || m[2] !== name) return;
  if (m[1] === 'hang') Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 600_000);
  else throw new Error(`injected crash in ${name}`);
}

// ---------------------------------------------------------------------------------------------
// Main.

function parseArgs(argv) {
  const opts = { packages: [], tier: undefined, run: undefined, timeoutMs: 10_000, verbose: false, top: 30, doc: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined) usage(`${a} needs a value`);
      return v;
    };
    if (a === '--package') opts.packages.push(value());
    else if (a === '--tier') opts.tier = Number(value());
    else if (a === '--run') opts.run = value();
    else if (a === '--timeout') opts.timeoutMs = parseTimeout(value());
    else if (a === '--top') opts.top = Number(value());
    else if (a === '--verbose' || a === '-v') opts.verbose = true;
    else if (a === '--doc') opts.doc = true;
    else if (a === '--help' || a === '-h') usage();
    else usage(`unknown argument ${a}`);
  }
  if (opts.doc && (opts.packages.length > 0 || opts.tier !== undefined || opts.run !== undefined)) {
    usage('--doc describes the whole corpus: do not combine it with --package, --tier or --run');
  }
  return opts;
}

function usage(problem) {
  const lines = readFileSync(new URL(import.meta.url), 'utf8').split('\n').slice(1);
  const text = lines.slice(0, lines.findIndex((l) => !l.startsWith('//'))).map((l) => l.replace(/^\/\/ ?/, ''));
  if (problem !== undefined) console.error(`flux-conformance: ${problem}`);
  console.error(text.join('\n'));
  process.exit(problem === undefined ? 0 : 2);
}

function parseTimeout(text) {
  const m = /^(\d+)(ms|s|m)?$/.exec(text);
  if (m === null) usage(`--timeout: expected e.g. 10s or 500ms, got ${text}`);
  const n = Number(m[1]);
  return m[2] === 'm' ? n * 60_000 : m[2] === 's' ? n * 1000 : n;
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  if (!existsSync(FLUX_GIT_DIR)) {
    console.error(`flux-conformance: no influxdata/flux mirror at ${FLUX_GIT_DIR} (set FLUX_GIT_DIR)`);
    process.exit(2);
  }
  const started = performance.now();
  const [bundle, corpus] = [await bundleSources(), exportCorpus()];
  const cases = readTestcases();
  const selected = cases.filter(
    (c) =>
      (opts.packages.length === 0 || opts.packages.some((p) => packageMatches(p, c.package))) &&
      (opts.tier === undefined || c.tier === opts.tier) &&
      (opts.run === undefined || new RegExp(opts.run).test(`${c.fullName}`)),
  );
  if (selected.length === 0) usage('no testcase selected');
  const files = [...new Set(selected.map((c) => c.file))];
  const wanted = new Set(selected.map((c) => `${c.file}\t${c.testcase}`));
  const reports = await runAll(bundle, corpus.dir, files, opts);
  const byKey = new Map();
  for (const r of reports) byKey.set(`${r.file}\t${r.testcase}`, r);

  const rows = [];
  for (const c of selected) {
    const r = byKey.get(`${c.file}\t${c.testcase}`);
    rows.push({ ...c, status: r?.status ?? 'fail', reason: r?.reason ?? 'not run (testcase not found by the runner)', failure: r?.failure, ms: r?.durationMs ?? 0 });
  }
  const extra = [...byKey.keys()].filter((k) => !wanted.has(k) && opts.packages.length === 0 && opts.run === undefined && opts.tier === undefined);
  const elapsedS = (performance.now() - started) / 1000;

  const tsvOut = join(OUT_DIR, 'sluice-flux-conformance.tsv');
  writeFileSync(tsvOut, ['package\tfile\ttestcase\ttier\tstatus\treason', ...rows.map((r) => [r.package, r.file, r.testcase, r.tier, r.status, firstLine(r.reason)].join('\t'))].join('\n') + '\n');

  const report = summaryText(rows, opts, { commit: corpus.commit, elapsedS, extra });
  process.stdout.write(report.console);
  process.stdout.write(changesSinceLastRun(rows));
  console.log(`\nper-testcase results: ${tsvOut}`);
  if (opts.doc) {
    writeDoc(report.doc);
    console.log(`wrote ${relative(ROOT, DOC)}`);
  }
}

/**
 * Compares each testcase's status with the last run that included it (any selection), kept in
 * $TMPDIR/sluice-flux-conformance-status.json (or SLUICE_CONFORMANCE_OUT_DIR), and updates that record: regressions show up even
 * when one engineer only runs their own package.
 */
function changesSinceLastRun(rows) {
  const file = join(OUT_DIR, 'sluice-flux-conformance-status.json');
  let last = {};
  try {
    last = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    // first run, or an unreadable record: nothing to compare with
  }
  const fixed = [];
  const broken = [];
  for (const r of rows) {
    const key = `${r.file}\t${r.testcase}`;
    const before = last[key];
    if (before !== undefined && before !== 'pass' && r.status === 'pass') fixed.push(r.fullName);
    if (before === 'pass' && r.status !== 'pass') broken.push(`${r.fullName}: ${truncate(firstLine(r.reason), 160)}`);
    last[key] = r.status;
  }
  writeFileSync(file, JSON.stringify(last));
  const out = [];
  if (fixed.length > 0) out.push(`\nNow passing since the last run (${fixed.length}): ${fixed.join(', ')}`);
  if (broken.length > 0) out.push(`\nNO LONGER PASSING since the last run (${broken.length}):`, ...broken.map((b) => `  ${b}`));
  return out.length === 0 ? '' : `${out.join('\n')}\n`;
}

/** `universe` matches exactly; `experimental*` or `testing/*` match by prefix. */
function packageMatches(pattern, pkg) {
  return pattern.endsWith('*') ? pkg.startsWith(pattern.slice(0, -1)) : pattern === pkg;
}

/** Bundles the runner and the standard library (TypeScript) into two ESM modules. */
async function bundleSources() {
  // One directory per run: engineers run this concurrently in the same tree.
  const dir = join(ROOT, 'node_modules', '.cache', 'sluice-flux-conformance', String(process.pid));
  mkdirSync(dir, { recursive: true });
  process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
  const { build } = await import('rolldown');
  await build({
    input: {
      stdlib: join(ROOT, 'src', 'flux', 'stdlib', 'index.ts'),
      runner: join(ROOT, 'src', 'flux', 'testing-runner', 'index.ts'),
    },
    platform: 'node',
    output: { dir, format: 'esm', entryFileNames: '[name].mjs', chunkFileNames: '[name]-[hash].mjs' },
    external: [/^node:/, /^[a-z@][^:]*$/],
    logLevel: 'warn',
  });
  return dir;
}

/** Exports the mirror's stdlib/ (and fluxtest.root) once per commit into a temp directory. */
function exportCorpus() {
  const commit = execFileSync('git', ['--git-dir', FLUX_GIT_DIR, 'rev-parse', 'HEAD'], { encoding: 'utf8' }).trim();
  const dir = join(tmpdir(), `sluice-flux-corpus-${commit}`);
  if (!existsSync(dir)) {
    const staging = `${dir}.${process.pid}`;
    mkdirSync(staging, { recursive: true });
    const archive = execFileSync('git', ['--git-dir', FLUX_GIT_DIR, 'archive', '--format=tar', commit, 'stdlib'], { maxBuffer: 1 << 30 });
    const tar = spawnSync('tar', ['-x', '-C', staging], { input: archive });
    if (tar.status !== 0) throw new Error(`tar failed: ${tar.stderr.toString()}`);
    try {
      renameSync(staging, dir);
    } catch {
      rmSync(staging, { recursive: true, force: true }); // a concurrent run got there first
    }
  }
  return { dir, commit };
}

/** flux-testcases.tsv: package, file, line, testcase, tier, tier_reason, tags. */
function readTestcases() {
  const [header, ...lines] = readFileSync(TSV, 'utf8').split('\n').filter((l) => l !== '');
  const cols = header.split('\t');
  return lines.map((l) => {
    const cells = l.split('\t');
    const row = Object.fromEntries(cols.map((c, i) => [c, cells[i] ?? '']));
    return { package: row.package, file: row.file, line: Number(row.line), testcase: row.testcase, tier: Number(row.tier), tierReason: row.tier_reason, tags: row.tags, fullName: `${row.package}.${row.testcase}` };
  });
}

/**
 * Runs the files in a worker. If a testcase gives no sign of life for its timeout plus a grace
 * period (a synchronous loop the in-process timeout cannot interrupt), the worker is terminated,
 * that testcase recorded as hung, and a new worker continues after it.
 */
async function runAll(bundle, corpusDir, files, opts) {
  const reports = [];
  const exclude = [];
  let remaining = files;
  const showProgress = process.stderr.isTTY;
  let count = 0;
  while (remaining.length > 0) {
    const outcome = await new Promise((resolveRun, rejectRun) => {
      const w = new Worker(new URL(import.meta.url), { workerData: { bundle, corpusDir, files: remaining, exclude, timeoutMs: opts.timeoutMs, run: opts.run } });
      let current;
      let doneFiles = 0;
      let watchdog;
      const arm = () => {
        clearTimeout(watchdog);
        watchdog = setTimeout(() => {
          void w.terminate();
          resolveRun({ hung: current, doneFiles });
        }, opts.timeoutMs + graceMs(opts));
      };
      arm();
      w.on('message', (m) => {
        arm();
        if (m.type === 'start') current = m;
        else if (m.type === 'report') {
          if (current !== undefined && m.report.name === current.name) current = undefined;
          reports.push(m.report);
          if (showProgress && ++count % 25 === 0) process.stderr.write(`\r${count} testcases`);
        } else if (m.type === 'file-done') doneFiles++;
        else if (m.type === 'end') {
          clearTimeout(watchdog);
          void w.terminate();
          resolveRun({ doneFiles });
        }
      });
      // An uncaught error in the worker (say, a promise a builtin left behind rejected): blame
      // the testcase that was running and carry on after it, as for a hang. The 'error' event
      // can overtake the worker's last messages, so decide only once it has exited and every
      // message it posted has been handled.
      let crash;
      w.on('error', (e) => {
        clearTimeout(watchdog);
        crash = e;
      });
      w.on('exit', () => {
        if (crash === undefined) return;
        setImmediate(() => {
          if (current === undefined) rejectRun(crash);
          else resolveRun({ hung: current, doneFiles, crash: crash instanceof Error ? crash.message : String(crash) });
        });
      });
    });
    if (outcome.hung === undefined) break;
    const { file, name } = outcome.hung;
    const testcase = name.slice(name.indexOf('.') + 1);
    const reason =
      outcome.crash === undefined
        ? `hung: no progress for ${(opts.timeoutMs + graceMs(opts)) / 1000} s (worker terminated)`
        : `internal error: worker crashed: ${firstLine(outcome.crash)}`;
    reports.push({ name, testcase, file, line: 0, status: 'fail', failure: outcome.crash === undefined ? 'timeout' : 'error', reason, durationMs: 0 });
    // Restart from the hung file, leaving out what already ran in it and the hung testcase.
    for (const r of reports) if (r.file === file) exclude.push(`${file}\t${r.testcase}`);
    remaining = remaining.slice(outcome.doneFiles);
  }
  if (showProgress) process.stderr.write('\r');
  return reports;
}

/** How long past its own time limit a testcase may go silent before its worker is replaced. */
function graceMs(opts) {
  return Math.min(5_000, Math.max(1_000, opts.timeoutMs));
}

// ---------------------------------------------------------------------------------------------
// Reporting.

function firstLine(s) {
  return (s.split('\n')[0] ?? '').replaceAll('\t', ' ');
}

/**
 * A failure's group: its first line without positions, file names and quoted specifics, so that
 * "undefined identifier x" at two places counts as one problem.
 */
function reasonKey(r) {
  if (r.failure === 'diff') return 'diff: result differs from the expected tables (errorOutput)';
  if (r.failure === 'timeout') return 'timeout';
  return firstLine(r.reason)
    .replace(/^(runtime )?error [^@]*@\d+:\d+-\d+:\d+: /, '$1error: ')
    .replace(/^error: error: /, 'error: ')
    .slice(0, 160);
}

function pct(n, d) {
  return d === 0 ? '–' : `${((100 * n) / d).toFixed(1)}%`;
}

function summaryText(rows, opts, meta) {
  const tiers = [1, 2, 3].map((t) => {
    const inTier = rows.filter((r) => r.tier === t);
    return { tier: t, total: inTier.length, passed: inTier.filter((r) => r.status === 'pass').length, skipped: inTier.filter((r) => r.status === 'skip').length };
  });
  const targets = { 1: 95, 2: 80 };
  const tierLines = tiers
    .filter((t) => t.total > 0)
    .map((t) => `| T${t.tier} | ${t.passed} / ${t.total} | ${pct(t.passed, t.total)} | ${targets[t.tier] === undefined ? '–' : `≥ ${targets[t.tier]}%`} | ${t.skipped} |`);

  const packages = new Map();
  for (const r of rows) {
    const p = packages.get(r.package) ?? { total: 0, passed: 0, byTier: { 1: [0, 0], 2: [0, 0], 3: [0, 0] } };
    p.total++;
    p.byTier[r.tier][1]++;
    if (r.status === 'pass') {
      p.passed++;
      p.byTier[r.tier][0]++;
    }
    packages.set(r.package, p);
  }
  const pkgCell = ([a, b]) => (b === 0 ? '' : `${a}/${b}`);
  const pkgLines = [...packages.entries()]
    .sort((a, b) => b[1].total - a[1].total || a[0].localeCompare(b[0]))
    .map(([name, p]) => `| ${name} | ${p.passed}/${p.total} | ${pct(p.passed, p.total)} | ${pkgCell(p.byTier[1])} | ${pkgCell(p.byTier[2])} | ${pkgCell(p.byTier[3])} |`);

  const failed = rows.filter((r) => r.status !== 'pass');
  const groups = new Map();
  for (const r of failed) {
    const key = r.status === 'skip' ? `skipped: ${r.reason}` : reasonKey(r);
    const g = groups.get(key) ?? { count: 0, tiers: { 1: 0, 2: 0, 3: 0 }, examples: [] };
    g.count++;
    g.tiers[r.tier]++;
    if (g.examples.length < 3) g.examples.push(r.fullName);
    groups.set(key, g);
  }
  // Every compile diagnostic of every failing testcase (not only the first): what unblocks most.
  const blockers = new Map();
  for (const r of failed) {
    if (r.failure !== 'error') continue;
    const keys = new Set();
    for (const line of r.reason.split('\n')) {
      const m = /^error [^@]*@\d+:\d+-\d+:\d+: ((?:invalid import path|undefined identifier|missing|unknown) .*)$/.exec(line);
      if (m !== null) keys.add(m[1].slice(0, 160));
    }
    for (const k of keys) {
      const b = blockers.get(k) ?? { count: 0, tiers: { 1: 0, 2: 0, 3: 0 } };
      b.count++;
      b.tiers[r.tier]++;
      blockers.set(k, b);
    }
  }
  const blockerLines = [...blockers.entries()]
    .sort((a, b) => b[1].count - a[1].count || a[0].localeCompare(b[0]))
    .map(([k, b]) => `| ${b.count} | ${b.tiers[1]} / ${b.tiers[2]} / ${b.tiers[3]} | ${mdEscape(k)} |`);
  const blockerHead = ['| testcases | T1 / T2 / T3 | compile diagnostic |', '| ---: | --- | --- |'];
  const sortedGroups = [...groups.entries()].sort((a, b) => b[1].count - a[1].count || a[0].localeCompare(b[0]));
  const groupLine = ([key, g]) => `| ${g.count} | ${g.tiers[1]} / ${g.tiers[2]} / ${g.tiers[3]} | ${mdEscape(key)} | ${g.examples.join(', ')} |`;

  const head = [
    `Flux corpus: influxdata/flux ${meta.commit.slice(0, 12)}, ${rows.length} testcases run in ${meta.elapsedS.toFixed(1)} s` +
      (opts.packages.length > 0 ? ` (packages: ${opts.packages.join(', ')})` : '') +
      (opts.tier !== undefined ? ` (tier ${opts.tier})` : ''),
    '',
    '| tier | passed | rate | target | skipped (tags) |',
    '| --- | ---: | ---: | ---: | ---: |',
    ...tierLines,
  ];

  // Console: tiers, then packages (when several), grouped reasons, and each failure when the
  // selection is small enough to read.
  const con = [...head, ''];
  if (packages.size > 1) con.push('| package | passed | rate | T1 | T2 | T3 |', '| --- | ---: | ---: | ---: | ---: | ---: |', ...pkgLines, '');
  con.push(`Failure reasons (top ${Math.min(opts.top, sortedGroups.length)} of ${sortedGroups.length}):`, '| count | T1 / T2 / T3 | reason | examples |', '| ---: | --- | --- | --- |', ...sortedGroups.slice(0, opts.top).map(groupLine), '');
  if (blockerLines.length > 0) con.push(`Missing names (every compile diagnostic of failing testcases, top ${Math.min(opts.top, blockerLines.length)} of ${blockerLines.length}):`, ...blockerHead, ...blockerLines.slice(0, opts.top), '');
  if (failed.length <= 200 || opts.verbose) {
    con.push('Failures:');
    for (const r of failed) {
      // Verbose: the whole message (diff tables), indented under its line.
      const reason = opts.verbose ? r.reason.replaceAll('\n', '\n    ') : truncate(firstLine(r.reason), 200);
      con.push(`${r.status.toUpperCase()} T${r.tier} ${r.fullName} (${r.file}:${r.line}): ${reason}`);
    }
  }
  if (meta.extra.length > 0) con.push('', `Testcases found by the runner but not in the tier table: ${meta.extra.join(', ')}`);

  // The document: everything, with every non-passing testcase listed.
  const doc = [
    ...head,
    '',
    '### Per package',
    '',
    '| package | passed | rate | T1 | T2 | T3 |',
    '| --- | ---: | ---: | ---: | ---: | ---: |',
    ...pkgLines,
    '',
    '### Failure reasons, grouped',
    '',
    '| count | T1 / T2 / T3 | reason | examples |',
    '| ---: | --- | --- | --- |',
    ...sortedGroups.map(groupLine),
    '',
    '### Missing names',
    '',
    'Every compile diagnostic of the failing testcases, counted once per testcase (a testcase missing two packages counts under both).',
    '',
    ...blockerHead,
    ...blockerLines,
    '',
    '### Every testcase that does not pass',
    '',
    'Tier 3 testcases carry the reason they are in tier 3 (see the notes above) before the runner’s message.',
    '',
    '| tier | testcase | file | reason |',
    '| --- | --- | --- | --- |',
    ...failed
      .sort((a, b) => a.tier - b.tier || a.package.localeCompare(b.package) || a.line - b.line)
      .map((r) => `| T${r.tier} | ${r.fullName} | ${r.file}:${r.line} | ${mdEscape((r.tier === 3 && r.tierReason !== '' ? `[T3: ${r.tierReason}] ` : '') + truncate(listedReason(r), 220))} |`),
  ];
  return { console: con.join('\n') + '\n', doc: doc.join('\n') + '\n' };
}

/** A failure's message for the per-testcase list: the file is in its own column, the position stays. */
function listedReason(r) {
  if (r.status === 'skip') return `skipped: ${r.reason}`;
  if (r.failure === 'diff') return firstLine(r.reason); // errorOutput: N tables, M rows (…)
  return firstLine(r.reason).replace(/^((?:runtime )?error) [^@]*@/, '$1 @');
}

function truncate(s, n) {
  return s.length <= n ? s : `${s.slice(0, n - 1)}…`;
}

function mdEscape(s) {
  return s.replaceAll('|', '\\|').replaceAll('\n', ' ');
}

function writeDoc(generated) {
  const text = existsSync(DOC) ? readFileSync(DOC, 'utf8') : `# Flux conformance\n\n${BEGIN}\n${END}\n`;
  const start = text.indexOf(BEGIN);
  const end = text.indexOf(END);
  if (start < 0 || end < start) throw new Error(`${DOC}: generated-section markers missing`);
  writeFileSync(DOC, `${text.slice(0, start + BEGIN.length)}\n\n${generated}\n${text.slice(end)}`);
}
