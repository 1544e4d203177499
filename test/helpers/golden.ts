import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';

const GOLDEN_DIR = join(dirname(fileURLToPath(import.meta.url)), 'golden');

/**
 * Compares `actual` with `test/helpers/golden/<name>.json`. Run with `UPDATE_GOLDEN=1` to
 * (re)write the file, then review the diff before committing it.
 */
export function expectGolden(name: string, actual: unknown): void {
  const path = join(GOLDEN_DIR, `${name}.json`);
  const text = JSON.stringify(actual, null, 2) + '\n';
  if (process.env['UPDATE_GOLDEN'] === '1' || !existsSync(path)) {
    if (process.env['UPDATE_GOLDEN'] !== '1') throw new Error(`golden file ${path} missing; run with UPDATE_GOLDEN=1 to create it`);
    mkdirSync(GOLDEN_DIR, { recursive: true });
    writeFileSync(path, text);
    return;
  }
  expect(JSON.parse(text)).toEqual(JSON.parse(readFileSync(path, 'utf8')));
}
