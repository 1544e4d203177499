import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { astToJson } from './ast-json.js';
import { formatDiagnostics } from './diagnostic.js';
import { parse } from './parser.js';
import { print } from './printer.js';

/**
 * Golden files: for each testdata/NAME.flux, the expected tree is NAME.ast.json and the expected
 * errors NAME.errors.txt (empty when the file is well-formed). Files named `errors-*` must have
 * errors; all others must have none, print as NAME.printed.txt, and survive print → parse
 * unchanged.
 *
 * To accept new output: `UPDATE_GOLDEN=1 npx vitest run src/flux/syntax`, then review the diff.
 */
const DIR = join(fileURLToPath(new URL('.', import.meta.url)), 'testdata');
const UPDATE = process.env['UPDATE_GOLDEN'] === '1';

const sources = readdirSync(DIR)
  .filter((f) => f.endsWith('.flux'))
  .sort();

function checkGolden(path: string, actual: string): void {
  if (UPDATE) {
    writeFileSync(path, actual);
    return;
  }
  if (!existsSync(path)) throw new Error(`missing golden file ${path}: run with UPDATE_GOLDEN=1 and review it`);
  expect(actual).toBe(readFileSync(path, 'utf8'));
}

describe('golden parse output', () => {
  test('there are golden sources', () => {
    expect(sources.length).toBeGreaterThanOrEqual(7);
  });

  test.each(sources)('%s', (name) => {
    const base = name.slice(0, -'.flux'.length);
    const src = readFileSync(join(DIR, name), 'utf8');
    const { file, diagnostics } = parse(src, name);
    checkGolden(join(DIR, `${base}.ast.json`), `${JSON.stringify(astToJson(file), null, 2)}\n`);
    const errors = formatDiagnostics(diagnostics);
    checkGolden(join(DIR, `${base}.errors.txt`), errors === '' ? '' : `${errors}\n`);

    if (base.startsWith('errors-')) {
      expect(diagnostics.length).toBeGreaterThan(1);
      return;
    }
    expect(errors).toBe('');
    const printed = print(file);
    checkGolden(join(DIR, `${base}.printed.txt`), printed);
    const reparsed = parse(printed, name);
    expect(formatDiagnostics(reparsed.diagnostics)).toBe('');
    expect(astToJson(reparsed.file, { locations: false })).toEqual(astToJson(file, { locations: false }));
  });
});
