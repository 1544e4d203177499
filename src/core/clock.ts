/**
 * Time is injected. Anything scheduled (task scheduler, retention timers, compaction) takes a
 * Clock, so tests drive it with FakeClock and never sleep.
 */
export interface Clock {
  /** Wall-clock time in milliseconds since the Unix epoch. */
  nowMs(): number;
  /** Wall-clock time in nanoseconds since the Unix epoch. */
  nowNs(): bigint;
  /** Calls `fn` after `delayMs`. The returned handle cancels it. */
  setTimer(delayMs: number, fn: () => void): TimerHandle;
}

export interface TimerHandle {
  cancel(): void;
}

export class SystemClock implements Clock {
  nowMs(): number {
    return Date.now();
  }

  nowNs(): bigint {
    // Date.now() has millisecond resolution; hrtime gives sub-millisecond ordering within it.
    const ms = BigInt(Date.now());
    const sub = process.hrtime.bigint() % 1_000_000n;
    return ms * 1_000_000n + sub;
  }

  setTimer(delayMs: number, fn: () => void): TimerHandle {
    const t = setTimeout(fn, Math.max(0, delayMs));
    t.unref?.();
    return { cancel: () => clearTimeout(t) };
  }
}

interface PendingTimer {
  id: number;
  atMs: number;
  fn: () => void;
}

/**
 * A clock that only moves when told to. `advance` fires due timers in time order (ties in
 * creation order), letting each timer's callback schedule more timers inside the same advance.
 */
export class FakeClock implements Clock {
  private currentMs: number;
  private nextId = 0;
  private timers: PendingTimer[] = [];

  constructor(startMs = Date.UTC(2026, 0, 1)) {
    this.currentMs = startMs;
  }

  nowMs(): number {
    return this.currentMs;
  }

  nowNs(): bigint {
    return BigInt(this.currentMs) * 1_000_000n;
  }

  setTimer(delayMs: number, fn: () => void): TimerHandle {
    const timer: PendingTimer = { id: this.nextId++, atMs: this.currentMs + Math.max(0, delayMs), fn };
    this.timers.push(timer);
    return {
      cancel: () => {
        this.timers = this.timers.filter((t) => t !== timer);
      },
    };
  }

  /** Number of timers not yet fired. */
  get pendingTimers(): number {
    return this.timers.length;
  }

  /** Moves time forward by `ms`, firing every timer that falls due on the way. */
  advance(ms: number): void {
    this.advanceTo(this.currentMs + ms);
  }

  advanceTo(targetMs: number): void {
    for (;;) {
      let next: PendingTimer | undefined;
      for (const t of this.timers) {
        if (t.atMs <= targetMs && (next === undefined || t.atMs < next.atMs || (t.atMs === next.atMs && t.id < next.id))) {
          next = t;
        }
      }
      if (next === undefined) break;
      this.timers = this.timers.filter((t) => t !== next);
      this.currentMs = Math.max(this.currentMs, next.atMs);
      next.fn();
    }
    this.currentMs = Math.max(this.currentMs, targetMs);
  }
}
