import { describe, expect, it } from 'vitest';
import { waitForQuiet, type QuietClock } from './quiet.js';

/** A clock whose sleep only moves its time on, and a CPU reading that follows a script per window. */
function scripted(cpuMsPerWindow: number[]): { clock: QuietClock; read: () => number } {
  let t = 0;
  let cpuNs = 0;
  let window = 0;
  return {
    clock: {
      now: () => t,
      sleep: (ms) => {
        t += ms;
        cpuNs += (cpuMsPerWindow[Math.min(window, cpuMsPerWindow.length - 1)] ?? 0) * 1e6;
        window++;
        return Promise.resolve();
      },
    },
    read: () => cpuNs,
  };
}

describe('waiting for the other servers to be quiet', () => {
  const options = { windowMs: 50, maxCpuFraction: 0.02, timeoutMs: 1000 };

  it('returns after one window when the others are idle', async () => {
    const { clock, read } = scripted([0.2]);
    expect(await waitForQuiet(read, options, clock)).toEqual({ waitedMs: 50, quiet: true });
  });

  it('waits out the windows in which the others work', async () => {
    // 40, 12 and 3 ms of CPU per 50 ms window, then 0.5 ms: quiet in the fourth window.
    const { clock, read } = scripted([40, 12, 3, 0.5]);
    expect(await waitForQuiet(read, options, clock)).toEqual({ waitedMs: 200, quiet: true });
  });

  it('gives up at the timeout when the others never settle', async () => {
    const { clock, read } = scripted([25]);
    expect(await waitForQuiet(read, options, clock)).toEqual({ waitedMs: 1000, quiet: false });
  });
});
