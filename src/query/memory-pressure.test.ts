import { describe, expect, it } from 'vitest';
import { MemoryBudget } from '../flux/execute/memory-budget.js';
import { ProcessMemoryPressure, readProcessMemory, type MemoryReading } from './memory-pressure.js';

const MiB = 1024 * 1024;

/** A guard over readings the test sets, counting how often it reads. */
function guard(reading: MemoryReading, sampleEveryBytes = 16 * MiB): { pressure: ProcessMemoryPressure; reads: () => number; set: (r: MemoryReading) => void } {
  let current = reading;
  let reads = 0;
  const pressure = new ProcessMemoryPressure({
    sampleEveryBytes,
    read: () => {
      reads++;
      return current;
    },
  });
  return { pressure, reads: () => reads, set: (r) => (current = r) };
}

const calm: MemoryReading = { heapUsedBytes: 500 * MiB, heapLimitBytes: 4096 * MiB, residentBytes: 1024 * MiB, residentLimitBytes: 16384 * MiB };

describe('ProcessMemoryPressure', () => {
  it('reads the process only once per sampleEveryBytes charged', () => {
    const g = guard(calm);
    for (let i = 0; i < 15; i++) g.pressure.charged(MiB);
    expect(g.reads()).toBe(0);
    g.pressure.charged(MiB);
    expect(g.reads()).toBe(1);
    g.pressure.charged(40 * MiB);
    expect(g.reads()).toBe(2);
  });

  it('refuses a charge past 90% of the heap limit, with Flux\'s resource-exhausted error', () => {
    const g = guard(calm, 1);
    g.pressure.charged(1);
    g.set({ ...calm, heapUsedBytes: 3700 * MiB });
    let thrown: unknown;
    try {
      g.pressure.charged(1);
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toMatchObject({
      code: 'invalid',
      details: { fluxCode: 'resource exhausted' },
      message: expect.stringMatching(/^memory allocation limit reached: the server is nearly out of memory \(its JavaScript heap holds 3700 MiB of its 4096 MiB limit\)/),
    });
    // Below the line again (the query's memory collected): charges pass.
    g.set(calm);
    expect(() => g.pressure.charged(1)).not.toThrow();
  });

  it('refuses a charge past 85% of the memory the process may reside in', () => {
    const g = guard({ ...calm, residentBytes: 14000 * MiB }, 1);
    expect(() => g.pressure.charged(1)).toThrow(/resides in 14000 MiB of the 16384 MiB available/);
  });

  it('is heard by every charge of a budget it is given, limit or not', () => {
    const g = guard({ ...calm, heapUsedBytes: 4000 * MiB }, 8 * MiB);
    const budget = new MemoryBudget(Number.POSITIVE_INFINITY, g.pressure);
    budget.charge(4 * MiB);
    expect(() => budget.charge(4 * MiB)).toThrow(/nearly out of memory/);
    // A refused charge is not counted.
    expect(budget.usedBytes).toBe(4 * MiB);
    const limited = new MemoryBudget(1024, g.pressure);
    expect(() => limited.charge(2048)).toThrow(/limit 1024 bytes/);
  });

  it('reads this process\'s real figures', () => {
    const r = readProcessMemory();
    expect(r.heapUsedBytes).toBeGreaterThan(0);
    expect(r.heapLimitBytes).toBeGreaterThan(r.heapUsedBytes);
    expect(r.residentBytes).toBeGreaterThan(r.heapUsedBytes / 2);
    expect(r.residentLimitBytes).toBeGreaterThan(r.residentBytes);
  });
});
