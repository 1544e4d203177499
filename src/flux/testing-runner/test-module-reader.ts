import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { TestModuleReader } from '../syntax/index.js';

/**
 * Resolves `testcase x extends "module/path/file.case"` as Flux does: the module is the nearest
 * enclosing directory with a `fluxtest.root` file whose JSON `name` is the module name, and the
 * path is relative to that directory. Returns undefined for an unknown module or missing file.
 */
export function testModuleReader(testFile: string): TestModuleReader {
  const roots = new Map<string, string>();
  for (let dir = resolve(dirname(testFile)); ; dir = dirname(dir)) {
    const rootFile = join(dir, 'fluxtest.root');
    if (existsSync(rootFile)) {
      const name = moduleName(readFileSync(rootFile, 'utf8'));
      if (name !== undefined && !roots.has(name)) roots.set(name, dir);
    }
    if (dirname(dir) === dir) break;
  }
  return (module, path) => {
    const root = roots.get(module);
    if (root === undefined) return undefined;
    const file = join(root, path);
    return existsSync(file) ? readFileSync(file, 'utf8') : undefined;
  };
}

function moduleName(json: string): string | undefined {
  try {
    const v: unknown = JSON.parse(json);
    const name = typeof v === 'object' && v !== null ? (v as { name?: unknown }).name : undefined;
    return typeof name === 'string' ? name : undefined;
  } catch {
    return undefined;
  }
}
