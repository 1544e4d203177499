import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { formatDiagnostics } from '../syntax/diagnostic.js';
import { parse } from '../syntax/parser.js';
import { exportStdlib, stdlibFluxFiles, stdlibMirrorAvailable } from '../syntax/stdlib-mirror.js';
import { checkAssignments } from './check-assignments.js';
import { checkStructure } from './check-structure.js';
import { checkCalls, signaturesOf, type FunctionSignature } from './check-calls.js';
import { packageExports, resolveNames } from './resolve-names.js';

/**
 * Every identifier in Flux's own test files resolves, given the scope built from the stdlib
 * package sources (universe and internal/boolean as the prelude, each folder a package).
 * Skips itself when the influxdata/flux mirror is absent.
 */
describe.skipIf(!stdlibMirrorAvailable())('name resolution over the Flux stdlib tests', () => {
  test('all *_test.flux files resolve, follow the assignment rules and call functions with valid arguments', () => {
    const root = join(exportStdlib(), 'stdlib');
    const files = stdlibFluxFiles(join(root, '..'));
    const packages = new Map<string, string[]>();
    const signatures = new Map<string, Map<string, FunctionSignature>>();
    for (const f of files.filter((x) => !x.endsWith('_test.flux'))) {
      const parsed = parse(readFileSync(join(root, f), 'utf8')).file;
      packages.set(dirname(f), [...(packages.get(dirname(f)) ?? []), ...packageExports(parsed)]);
      signatures.set(dirname(f), new Map([...(signatures.get(dirname(f)) ?? []), ...signaturesOf(parsed)]));
    }
    const preludeSignatures = new Map(signatures.get('universe'));
    expect(preludeSignatures.get('filter')).toEqual({ required: ['fn'], optional: ['onEmpty'], pipe: 'tables' });
    const universe = [...(packages.get('universe') ?? []), ...(packages.get('internal/boolean') ?? [])];
    expect(universe).toContain('filter');
    expect(universe).toContain('true');
    const tests = files.filter((x) => x.endsWith('_test.flux'));
    expect(tests.length).toBeGreaterThan(400);
    const failures: string[] = [];
    for (const f of tests) {
      const { file } = parse(readFileSync(join(root, f), 'utf8'), f);
      // A `package x_test` file is a package of its own: it sees x only through an import.
      const samePackage = file.package !== null && !file.package.name.name.endsWith('_test');
      const own = samePackage ? (packages.get(dirname(f)) ?? []) : [];
      const ownSignatures = (samePackage ? signatures.get(dirname(f)) : undefined) ?? new Map<string, FunctionSignature>();
      const ds = [
        ...resolveNames(file, { universe: [...universe, ...own], packages }),
        ...checkAssignments(file),
        ...checkStructure(file),
        ...checkCalls(file, { universe: new Map([...preludeSignatures, ...ownSignatures]), packages: signatures }),
      ];
      if (ds.length > 0) failures.push(formatDiagnostics(ds));
    }
    expect(failures).toEqual([]);

    // And the check has teeth: without the prelude, the same files are full of undefined names.
    const { file } = parse(readFileSync(join(root, tests[0]!), 'utf8'));
    expect(resolveNames(file, { universe: [], packages }).length).toBeGreaterThan(0);
  }, 120_000);
});
