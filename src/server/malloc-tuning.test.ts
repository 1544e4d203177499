import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { MMAP_THRESHOLD_BYTES, nativePath, tuneMalloc } from './malloc-tuning.js';

const linux = process.platform === 'linux';

/**
 * A process that allocates six typed arrays of 1-11 MiB per round (as a query's concatenated
 * and gathered columns are), touches them, drops them and collects; prints the page faults per
 * round after the first four. With `tuned`, it first applies the settings `tuneMalloc` applies.
 */
function faultsPerRound(tuned: boolean): number {
  const script = `
    const fs = require('fs');
    if (${tuned}) {
      const r = require(${JSON.stringify(nativePath())}).tune(${MMAP_THRESHOLD_BYTES}, ${256 << 20});
      if (!r.mmapThreshold || !r.trimThreshold) throw new Error('not applied: ' + JSON.stringify(r));
    }
    const faults = () => Number(fs.readFileSync('/proc/self/stat', 'utf8').split(') ')[1].split(' ')[7]);
    let before = 0;
    for (let round = 0; round < 12; round++) {
      if (round === 4) before = faults();
      let held = [];
      for (let k = 0; k < 6; k++) { const a = new Float64Array(((2 * k + 1) << 20) / 8 + round * 1000); a.fill(round + 1); held.push(a); }
      held = null;
      global.gc();
    }
    process.stdout.write(String((faults() - before) / 8));
  `;
  const r = spawnSync(process.execPath, ['--expose-gc', '-e', script], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`churn process failed: ${r.stderr}`);
  return Number(r.stdout);
}

describe('tuneMalloc', () => {
  it('leaves malloc alone when told 0', () => {
    expect(tuneMalloc(0)).toEqual({ applied: false, reason: '--malloc-retain-size is 0' });
  });

  it.runIf(linux)('applies the settings through the native module npm install builds', () => {
    expect(nativePath()).toMatch(/build\/Release\/malloc_tuning\.node$/);
    expect(tuneMalloc(256 * 1024 * 1024)).toEqual({ applied: true, retainBytes: 256 * 1024 * 1024 });
  });

  it.runIf(linux)('makes malloc keep freed memory: large arrays allocated again stop faulting their pages in', () => {
    const plain = faultsPerRound(false);
    const tuned = faultsPerRound(true);
    // Untuned, glibc gives the ~36 MiB of each round back and every page faults again (~9,000).
    expect(plain).toBeGreaterThan(2000);
    expect(tuned).toBeLessThan(plain / 4);
  });
});
