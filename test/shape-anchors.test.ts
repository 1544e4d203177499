import { spawn } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { build } from 'rolldown';
import { beforeAll, describe, expect, it } from 'vitest';

/**
 * core/shape-anchors.ts: a full GC between two requests must not throw away the optimised code of
 * the query and write paths. A child process (`--expose-gc --trace-deopt --trace-opt`) loads a small TSBS data
 * set into a real server, collects the load's garbage, asks the peer benchmark's questions and
 * writes batches until V8 has optimised both paths, forces a full GC while nothing runs, and asks
 * and writes again; every optimised function V8 discards because an object it embedded died is one
 * `reason: weak objects` line in the trace.
 */
const ROOT = join(import.meta.dirname, '..');
const src = (path: string): string => JSON.stringify(join(ROOT, path));

const ENTRY = `
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SystemClock } from ${src('src/core/clock.ts')};
import { silentLogger } from ${src('src/core/logger.ts')};
import { ANNOTATED_DIALECT } from ${src('src/flux/csv/index.ts')};
import { DEFAULT_QUERY_LIMITS, QueryController } from ${src('src/query/query-controller.ts')};
import { QueryService } from ${src('src/query/query-service.ts')};
import { defaultConfig } from ${src('src/server/config.ts')};
import { defaultServerDeps } from ${src('src/server/default-server-deps.ts')};
import { Server } from ${src('src/server/server.ts')};
import { cpuOnlyBatches } from ${src('bench/tsbs-cpu.ts')};
import { fluxQuery } from ${src('bench/peers/questions.ts')};

const dir = mkdtempSync(join(tmpdir(), 'sluice-anchors-'));
const server = await Server.start({ ...defaultConfig(), httpBindAddress: '127.0.0.1:0', dataDir: dir, logLevel: 'silent' }, defaultServerDeps({ logger: silentLogger() }));
try {
  const setup = await (await fetch(server.url + '/api/v2/setup', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: 'password123', org: 'bench', bucket: 'bench' }) })).json();
  const scenario = { startNs: 1_767_225_600_000_000_000n, hours: 2, hosts: 5 };
  const write = async (batch) => {
    const r = await fetch(server.url + '/api/v2/write?org=bench&bucket=bench&precision=ns', { method: 'POST', headers: { authorization: 'Token ' + setup.auth.token }, body: batch });
    if (r.status !== 204) throw new Error('write: ' + r.status + ' ' + (await r.text()));
  };
  for (const batch of cpuOnlyBatches({ hosts: scenario.hosts, hours: scenario.hours, startNs: scenario.startNs }, 5000)) await write(batch);
  // Later writes (the same points again, which overwrite) keep the write path warm too.
  const again = [...cpuOnlyBatches({ hosts: scenario.hosts, hours: scenario.hours, startNs: scenario.startNs }, 500)];
  // Blocks, not the head: reads then decode blocks, as they do on a settled server.
  await server.openedStorage.flush();
  const storage = server.openedStorage;
  const service = new QueryService({ meta: server.meta, storage: () => storage, controller: new QueryController(DEFAULT_QUERY_LIMITS, new SystemClock()) });
  const org = server.meta.orgs.findById(setup.org.id);
  const queries = ['a', 'a10', 'c', 'd', 'e'].map((q) => fluxQuery(q, scenario));
  const sink = { bytes(_chunk, done) { done(); } };
  const ask = async () => {
    for (const query of queries) {
      const outcome = await service.execute({ query, org, auth: { allows: () => true }, nowNs: 0n, dialect: ANNOTATED_DIALECT, signal: new AbortController().signal }, sink);
      if (outcome.error !== undefined) throw outcome.error;
    }
  };
  // The load's own objects (line protocol, WAL, head) are dead now: their code goes in this GC.
  globalThis.gc();
  for (let i = 0; i < 60; i++) {
    await ask();
    await write(again[i % again.length]);
  }
  process.stdout.write('=== full gc\\n');
  globalThis.gc();
  process.stdout.write('=== asking again\\n');
  await ask();
  await write(again[0]);
} finally {
  await server.stop();
  rmSync(dir, { recursive: true, force: true });
}
`;

/**
 * The Table constructor optimised (many narrow tables), then a wide table that builds its label
 * index: with `#index` already a mutable Map field (the anchor did that at load), nothing that
 * relied on the field is discarded.
 */
const TABLE_ENTRY = `
import { GroupKey } from ${src('src/flux/execute/group-key.ts')};
import { Table } from ${src('src/flux/execute/table.ts')};
const narrow = [{ label: '_value', type: 'float' }];
let kept = 0;
// Long enough for V8's background compiler to finish and install the optimised constructor,
// even on a busy machine: at least 200,000 tables and half a second.
const until = Date.now() + 500;
for (let i = 0; i < 200_000 || Date.now() < until; i++) kept += new Table(GroupKey.EMPTY, narrow, [{ type: 'float', length: 1, valid: null, values: new Float64Array(1) }], 1).length;
process.stdout.write('=== wide\\n');
const wide = Array.from({ length: 16 }, (_, j) => ({ label: 'tag' + j, type: 'string' }));
const t = new Table(GroupKey.EMPTY, wide, wide.map(() => ({ type: 'string', length: 1, valid: null, values: ['x'] })), 1);
kept += t.colIndex('tag3');
for (let i = 0; i < 1000; i++) kept += new Table(GroupKey.EMPTY, narrow, [{ type: 'float', length: 1, valid: null, values: new Float64Array(1) }], 1).length;
process.stdout.write('=== done ' + kept + '\\n');
`;

let bundle: string;
let tableBundle: string;

beforeAll(async () => {
  // Under node_modules, so that the bundle's package imports resolve from it.
  const dir = join(ROOT, 'node_modules', '.cache', 'shape-anchors');
  await mkdir(dir, { recursive: true });
  const bundled = async (name: string, source: string): Promise<string> => {
    await writeFile(join(dir, `${name}.ts`), source);
    const file = join(dir, `${name}.mjs`);
    await build({
      input: join(dir, `${name}.ts`),
      platform: 'node',
      output: { file, format: 'esm' },
      external: [/^node:/, /^[a-z@][^:]*$/],
      logLevel: 'warn',
    });
    return file;
  };
  bundle = await bundled('entry', ENTRY);
  tableBundle = await bundled('table-entry', TABLE_ENTRY);
}, 60_000);

function traced(file = bundle): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--expose-gc', '--trace-deopt', '--trace-opt', file], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (out += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (err += c));
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`child exited ${code}:\n${err}\n${out.slice(-2000)}`))));
  });
}

/**
 * Functions that run a few times per query or write, not per table, row or value, and embed an
 * object made per query or request that no anchor keeps (a query's universe scope, runProgram's
 * `define` closure, a read's partition list; Buffer#copy's internals, which grow buffers). V8
 * discards them after the GC and optimises them again later; until then they run unoptimised a few
 * times per request, which costs microseconds. Everything else on the path (the write path, the
 * read, window aggregation, block decoding, CSV encoding, Flux parsing and compiling) must survive
 * the GC.
 */
const FEW_PER_REQUEST = new Set(['runStatements', 'set', 'read', 'lookup', 'instantiate', 'output', 'isCurrent', '_copy', '_copyActual']);

describe('shape anchors', () => {
  it('a full GC between queries deoptimises nothing on the query path', { timeout: 180_000 }, async () => {
    /** What the GC discarded in one run of the child, beyond the few-per-request functions. */
    const discardedByGc = async (): Promise<string[]> => {
      const trace = await traced();
      const between = trace.slice(trace.indexOf('=== full gc'), trace.indexOf('=== asking again'));
      expect(between).not.toBe('');
      // The trace is on and names what it discards (else the filter below could not fail).
      expect(trace).toMatch(/for deoptimization, reason: /);
      const discarded = [...between.matchAll(/SharedFunctionInfo ([^>]*)>\) \(opt id \d+\) for deoptimization, reason: weak objects/g)].map((m) => m[1]!);
      return discarded.filter((name) => !FEW_PER_REQUEST.has(name));
    };
    // What V8 optimises, and so what it embeds, depends a little on timing: in about one run in
    // ten on a busy machine it embedded a per-request object in the encoder's `flush`. A missing
    // anchor is discarded in every run; so a function counts when a second run discards it too.
    const first = await discardedByGc();
    const again = first.length === 0 ? [] : await discardedByGc();
    expect(first.filter((name) => again.includes(name))).toEqual([]);
  });

  it('a table storing its label index does not discard the optimised Table constructor', { timeout: 60_000 }, async () => {
    // The first wide table to build its `colIndex` index used to turn the field mutable, which
    // discarded the constructor and what had inlined it, just optimised, in the first queries.
    const trace = await traced(tableBundle);
    const before = trace.slice(0, trace.indexOf('=== wide'));
    const after = trace.slice(trace.indexOf('=== wide'));
    expect(before).toMatch(/completed optimizing [^\n]*<JSFunction Table /); // optimised before the wide table
    expect(after).toContain('=== done');
    expect(after).not.toMatch(/SharedFunctionInfo Table>\) \(opt id \d+\) for deoptimization/);
  });
});
