import { describe, expect, it } from 'vitest';
import { checkMachine, machineCheckLine } from './machine-speed.js';

describe('machine check between the peers\' turns', () => {
  it('takes a positive reading of the fixed work and the load average', () => {
    const r = checkMachine();
    expect(r.probeMs).toBeGreaterThan(0);
    expect(r.loadAverage1m).toBeGreaterThanOrEqual(0);
  });

  it('names every reading, and warns only when the slowest turn is more than 10 % slower than the fastest', () => {
    const at = (probeMs: number) => ({ probeMs, loadAverage1m: 0.5 });
    expect(machineCheckLine([{ name: 'Sluice', machine: at(30) }])).toBeUndefined();
    const steady = machineCheckLine([{ name: 'Sluice', machine: at(30) }, { name: 'InfluxDB 1.6' }, { name: 'VictoriaMetrics', machine: at(32.9) }]);
    expect(steady).toBe("machine check before each peer's questions (fixed work in the harness, lower is faster): Sluice 30.0 ms (load 0.50), VictoriaMetrics 32.9 ms (load 0.50)");
    const drifted = machineCheckLine([{ name: 'Sluice', machine: at(36) }, { name: 'VictoriaMetrics', machine: at(30) }]);
    expect(drifted).toContain('\nWARNING: the machine\'s speed changed by 20 % between the peers\' turns');
  });
});
