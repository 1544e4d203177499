import { describe, expect, it } from 'vitest';
import { CPU_FIELDS, cpuOnlyBatches } from '../tsbs-cpu.js';
import { computeGroundTruth } from './ground-truth.js';

const T0 = 1767225600000000000n;
const T0S = 1767225600;

/** A line with every field set to `v` except usage_user = `user`. */
function line(host: string, atS: number, user: number, v = 1): string {
  const fields = CPU_FIELDS.map((f, i) => `${f}=${i === 0 ? user : v}`).join(',');
  return `cpu,hostname=${host},region=x ${fields} ${atS}000000000`;
}

describe('computeGroundTruth', () => {
  it('computes window means, last values, the >90 rows of the first half and the total', () => {
    // One hour: 12 windows. host_a has two points in window 0 and one in window 1; host_b one
    // point in window 0 and one in the second half (window 6).
    const batch = [
      line('host_a', T0S, 10),
      line('host_a', T0S + 10, 20),
      line('host_a', T0S + 300, 95),
      line('host_b', T0S + 299, 91, 2),
      line('host_b', T0S + 1800, 99, 3), // second half: not in (d)
    ].join('\n');
    const truth = computeGroundTruth([batch + '\n'], { startNs: T0, hours: 1, hosts: 2 });
    expect(truth.a).toEqual({ values: 4, sum: 15 + 95 + 91 + 99, hosts: 2 });
    expect(truth.a10.values).toBe(40);
    expect(truth.a10.sum).toBeCloseTo(15 + 95 + 91 + 99 + 9 * (1 + 1 + 2 + 3), 9);
    expect(truth.c).toEqual({ values: 20, sum: 95 + 9 * 1 + 99 + 9 * 3, hosts: 2 });
    expect(truth.d).toEqual({ values: 2, sum: 95 + 91, hosts: 2 });
    expect(truth.e.sum).toBe(50);
    expect(truth.f).toEqual(truth.a10);
  });

  it('matches the generator: every host, every window, all values', () => {
    const truth = computeGroundTruth(cpuOnlyBatches({ hosts: 3, hours: 1 }, 100), { startNs: T0, hours: 1, hosts: 3 });
    expect(truth.e.sum).toBe(3 * 360 * 10);
    expect(truth.a).toMatchObject({ values: 3 * 12, hosts: 3 });
    expect(truth.a10.values).toBe(3 * 12 * 10);
    expect(truth.c).toMatchObject({ values: 30, hosts: 3 });
  });
});
