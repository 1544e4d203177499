import { invalid } from '../../core/errors.js';
import { formatDiagnostics, makeNode, parse, type File, type ImportDeclaration, type Statement } from '../syntax/index.js';

/**
 * Flux a host adds to every testcase, the way InfluxDB's harness replaces `testing.load` to send
 * each test's input through storage: e.g.
 * `import "testing"\noption testing.load = (tables=<-) => tables |> to(bucket: "b") |> ...`.
 * Its statements go after the test file's preamble and before the testcase's block, so they win
 * over options the preamble sets and the testcase can still set its own.
 */
export interface TestOverrides {
  readonly imports: readonly ImportDeclaration[];
  readonly statements: readonly Statement[];
}

/** Parses override source. Throws SluiceError(invalid) with the diagnostics when it does not parse. */
export function parseTestOverrides(source: string, fileName = 'overrides.flux'): TestOverrides {
  const { file, diagnostics } = parse(source, fileName);
  if (diagnostics.length > 0) throw invalid(formatDiagnostics(diagnostics));
  return { imports: file.imports, statements: file.body };
}

/**
 * The testcase program with the overrides spliced in: their imports are added unless the file
 * already imports that path; their statements follow the first `preambleLength` statements.
 */
export function applyTestOverrides(program: File, preambleLength: number, overrides: TestOverrides): File {
  const paths = new Set(program.imports.map((i) => i.path.value));
  const imports = [...program.imports, ...overrides.imports.filter((i) => !paths.has(i.path.value))];
  const body = [...program.body.slice(0, preambleLength), ...overrides.statements, ...program.body.slice(preambleLength)];
  return makeNode('File', program.loc, { name: program.name, package: program.package, imports, body });
}
