import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { astToJson } from './ast-json.js';
import { formatDiagnostics } from './diagnostic.js';
import { parse } from './parser.js';
import { print } from './printer.js';
import { exportStdlib, stdlibFluxFiles, stdlibMirrorAvailable } from './stdlib-mirror.js';
import { expandTestCases } from './testcase.js';

/**
 * Parses every `stdlib/**\/*.flux` of Flux's own repository: all must parse with no diagnostics
 * and survive print → parse unchanged. Skips itself when the mirror is absent.
 */
const available = stdlibMirrorAvailable();

describe.skipIf(!available)('Flux stdlib corpus', () => {
  test('every stdlib .flux file parses cleanly and round-trips through the printer', () => {
    const root = exportStdlib();
    const files = stdlibFluxFiles(root).map((f) => join(root, 'stdlib', f));
    expect(files.length).toBeGreaterThan(500);
    const failures: string[] = [];
    let builtins = 0;
    let testcases = 0;
    for (const path of files) {
      const { file, diagnostics } = parse(readFileSync(path, 'utf8'), path);
      if (diagnostics.length > 0) {
        failures.push(formatDiagnostics(diagnostics.slice(0, 3)));
        continue;
      }
      builtins += file.body.filter((s) => s.kind === 'BuiltinStatement').length;
      // Every testcase expands to a program, `extends` reading the parent from the same tree.
      const programs = expandTestCases(file, (module, rel) =>
        module === 'flux' ? readFileSync(join(root, 'stdlib', rel), 'utf8') : undefined,
      );
      expect(programs.length).toBe(file.body.filter((s) => s.kind === 'TestCaseStatement').length);
      testcases += programs.length;
      const again = parse(print(file), path);
      const same =
        again.diagnostics.length === 0 &&
        JSON.stringify(astToJson(again.file, { locations: false })) ===
          JSON.stringify(astToJson(file, { locations: false }));
      if (!same) failures.push(`${path}: print → parse changed the tree`);
    }
    expect(failures).toEqual([]);
    expect(builtins).toBeGreaterThan(100);
    expect(testcases).toBeGreaterThan(900);
  }, 120_000);
});
