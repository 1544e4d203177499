import { SystemClock, type Clock, type TimerHandle } from '../../../core/clock.js';

/** setTimeout's longest delay; a longer one fires after 1 ms instead (with a warning). */
const MAX_TIMEOUT_MS = 2 ** 31 - 1;

/**
 * The CLI's clock: the system clock, except that a pending timer keeps the process alive.
 * SystemClock's timers are unref'd (a server must not stay up for a retention timer), but a
 * command awaiting one (`write --rate-limit` pacing its batches) would otherwise end the process
 * with its work unsent. Delays beyond setTimeout's limit (~24.8 days, e.g. `--rate-limit
 * 1B/4294967295s`) are waited in steps.
 */
export class ProcessClock implements Clock {
  private readonly system = new SystemClock();

  nowMs(): number {
    return this.system.nowMs();
  }

  nowNs(): bigint {
    return this.system.nowNs();
  }

  setTimer(delayMs: number, fn: () => void): TimerHandle {
    let remainingMs = Math.max(0, delayMs);
    let t: NodeJS.Timeout;
    const step = (): void => {
      const ms = Math.min(remainingMs, MAX_TIMEOUT_MS);
      remainingMs -= ms;
      t = setTimeout(remainingMs > 0 ? step : fn, ms);
    };
    step();
    return { cancel: () => clearTimeout(t) };
  }
}
