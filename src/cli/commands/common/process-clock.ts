import { SystemClock, type Clock, type TimerHandle } from '../../../core/clock.js';

/**
 * The CLI's clock: the system clock, except that a pending timer keeps the process alive.
 * SystemClock's timers are unref'd (a server must not stay up for a retention timer), but a
 * command awaiting one (`write --rate-limit` pacing its batches) would otherwise end the process
 * with its work unsent.
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
    const t = setTimeout(fn, Math.max(0, delayMs));
    return { cancel: () => clearTimeout(t) };
  }
}
