import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { invalid } from '../../core/errors.js';

/**
 * Expands command-line paths into `*_test.flux` files: a file is taken as given (whatever its
 * name), a directory is searched recursively. Sorted within each directory for a stable order.
 */
export async function findTestFiles(paths: readonly string[]): Promise<string[]> {
  const out: string[] = [];
  for (const p of paths) {
    const s = await stat(p).catch(() => {
      throw invalid(`no such file or directory: ${p}`);
    });
    if (s.isDirectory()) {
      const names = (await readdir(p, { recursive: true, encoding: 'utf8' })).filter((n) => n.endsWith('_test.flux')).sort();
      for (const n of names) out.push(join(p, n));
    } else {
      out.push(p);
    }
  }
  return out;
}
