import { describe, expect, it } from 'vitest';
import { processCpuNs } from './process-cpu.js';
import { rotated } from './rotation.js';

describe('process CPU readings for the interleaved peer benchmark', () => {
  it('reads this process\'s CPU time, and it grows with work done', () => {
    const before = processCpuNs(process.pid);
    expect(before).toBeGreaterThan(0);
    let x = 1;
    const until = Date.now() + 60;
    while (Date.now() < until) x = (x * 1103515245 + 12345) % 2147483648;
    const after = processCpuNs(process.pid)!;
    expect(x).toBeGreaterThanOrEqual(0);
    // 60 ms of spinning: at least 20 ms of it on a CPU even on a busy machine.
    expect(after - before!).toBeGreaterThan(20e6);
  });

  it('is undefined for a process that does not exist', () => {
    // PIDs are below 2^22 on Linux.
    expect(processCpuNs(2 ** 30)).toBeUndefined();
  });

  it('rotates so that each round starts with the next peer', () => {
    const peers = ['S', 'I', 'V'];
    expect([0, 1, 2, 3, -1].map((k) => rotated(peers, k).join(''))).toEqual(['SIV', 'IVS', 'VSI', 'SIV', 'VSI']);
    expect(rotated([], 2)).toEqual([]);
    expect(peers).toEqual(['S', 'I', 'V']);
  });
});
