import { describe, expect, it } from 'vitest';
import { checkMachine, machineCheckLine } from './machine-speed.js';

describe('machine checks during the peer benchmark', () => {
  it('takes a positive reading of the fixed work and the load average', () => {
    const r = checkMachine();
    expect(r.probeMs).toBeGreaterThan(0);
    expect(r.loadAverage1m).toBeGreaterThanOrEqual(0);
  });

  it('names every reading in order, and warns only when the slowest is more than 10 % slower than the fastest', () => {
    const at = (label: string, probeMs: number) => ({ label, probeMs, loadAverage1m: 0.5 });
    expect(machineCheckLine([at('Sluice load 1', 30)])).toBeUndefined();
    const steady = machineCheckLine([at('Sluice load 1', 30), at('questions', 32.9)]);
    expect(steady).toBe('machine checks (fixed work in the harness, ms, lower is faster): Sluice load 1 30.0 (load 0.50), questions 32.9 (load 0.50)');
    const drifted = machineCheckLine([at('Sluice load 1', 36), at('VictoriaMetrics load 1', 30), at('questions', 33)]);
    expect(drifted).toContain("\nWARNING: the machine's speed changed by 20 % during the run.");
  });
});
