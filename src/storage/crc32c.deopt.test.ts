import { spawn } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { build } from 'rolldown';
import { expect, it } from 'vitest';

/**
 * crc32c stays optimised: a long first message makes V8 compile the word loop while it runs (on-stack
 * replacement), and later messages, of other lengths and alignments, must not deoptimise the code
 * again and again (they did 2,000 times on a fresh server's first block reads). Run in a child
 * process with `--trace-deopt`, counting crc32c's deoptimisations.
 */
const ROOT = join(import.meta.dirname, '..', '..');

const ENTRY = `
import { crc32c } from ${JSON.stringify(join(ROOT, 'src/storage/crc32c.ts'))};
const big = new Uint8Array(1 << 22).map((_, i) => (i * 31) & 0xff);
let sum = crc32c(big);
for (let k = 0; k < 500; k++) {
  const at = k % 7;
  const n = 4000 + ((k * 37) % 1000);
  sum ^= crc32c(big.subarray(at, at + n), k);
}
process.stdout.write('done ' + (sum >>> 0) + '\\n');
`;

it('is not deoptimised over and over by messages after a long first one', { timeout: 60_000 }, async () => {
  const dir = join(ROOT, 'node_modules', '.cache', 'crc32c-deopt');
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'entry.ts'), ENTRY);
  const bundle = join(dir, 'entry.mjs');
  await build({ input: join(dir, 'entry.ts'), platform: 'node', output: { file: bundle, format: 'esm' }, logLevel: 'warn' });
  const out = await new Promise<string>((resolve, reject) => {
    const child = spawn(process.execPath, ['--trace-deopt', bundle], { stdio: ['ignore', 'pipe', 'inherit'] });
    let text = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (text += c));
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve(text) : reject(new Error(`child exited ${code}`))));
  });
  expect(out).toContain('done ');
  const deopts = [...out.matchAll(/deoptimizing [^\n]*<JSFunction (crc32c|wordSteps|byteStep)\b/g)].length;
  expect(deopts).toBeLessThan(5);
});
