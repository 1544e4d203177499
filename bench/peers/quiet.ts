/**
 * Waiting for the other servers to finish their own work before a peer is timed. With the
 * questions interleaved, the peer asked next would otherwise meet whatever the one asked before
 * still does after answering (a Go runtime's garbage collection, cache upkeep, a flush), and
 * because the order of the peers is cyclic it would always meet the same neighbour's leftovers.
 */

export interface QuietOptions {
  /** Length of one observation, ms. */
  readonly windowMs: number;
  /** The others are quiet when, over one window, they used at most this fraction of one core. */
  readonly maxCpuFraction: number;
  /** Give up (and time the peer anyway) after this long, ms. */
  readonly timeoutMs: number;
}

/** 50 ms windows, at most 2 % of a core (1 ms of CPU per window), at most 3 s of waiting. */
export const QUIET: QuietOptions = { windowMs: 50, maxCpuFraction: 0.02, timeoutMs: 3000 };

export interface QuietOutcome {
  /** How long it waited, ms (at least one window). */
  readonly waitedMs: number;
  /** False when it gave up at the timeout with the others still busy. */
  readonly quiet: boolean;
}

export interface QuietClock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

const realClock: QuietClock = {
  now: () => performance.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/**
 * Waits until the CPU time `readCpuNs` reports (the other servers' threads, summed) grows by
 * at most `maxCpuFraction` of the elapsed time over one window, or `timeoutMs` has passed.
 */
export async function waitForQuiet(readCpuNs: () => number, options: QuietOptions = QUIET, clock: QuietClock = realClock): Promise<QuietOutcome> {
  const start = clock.now();
  let before = readCpuNs();
  let at = start;
  for (;;) {
    await clock.sleep(options.windowMs);
    const now = clock.now();
    const cpu = readCpuNs();
    if ((cpu - before) / 1e6 <= options.maxCpuFraction * (now - at)) return { waitedMs: now - start, quiet: true };
    if (now - start >= options.timeoutMs) return { waitedMs: now - start, quiet: false };
    before = cpu;
    at = now;
  }
}
