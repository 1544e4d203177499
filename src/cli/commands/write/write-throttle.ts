import type { Clock } from '../../../core/clock.js';

/** Tokens the bucket can save up while idle: 1e9 bytes, as influx (shapeio's burst). */
const BURST_BYTES = 1_000_000_000;

/**
 * `write --rate-limit`: paces the bytes sent to `bytesPerSecond`, the way influx's throttled
 * reader does (a token bucket, `golang.org/x/time/rate`, that starts empty and refills at the
 * rate). Sending `sizeBytes` takes that many tokens; when the bucket goes negative the caller waits
 * until it is back at zero. So a write of N bytes starting now takes N / rate seconds, and time
 * spent idle (slow input) is saved up as credit, up to the burst.
 */
export class WriteThrottle {
  private tokens = 0;
  private lastMs: number;

  constructor(
    private readonly bytesPerSecond: number,
    private readonly clock: Clock,
  ) {
    if (!(bytesPerSecond > 0)) throw new RangeError('bytesPerSecond must be positive');
    this.lastMs = clock.nowMs();
  }

  /** Takes `sizeBytes` now; returns how long (ms) to wait before sending them. */
  reserve(sizeBytes: number): number {
    const now = this.clock.nowMs();
    if (now > this.lastMs) {
      this.tokens = Math.min(BURST_BYTES, this.tokens + ((now - this.lastMs) / 1000) * this.bytesPerSecond);
      this.lastMs = now;
    }
    this.tokens -= sizeBytes;
    return this.tokens < 0 ? (-this.tokens / this.bytesPerSecond) * 1000 : 0;
  }

  /** `reserve`, then waits on the clock for as long as it says. */
  async acquire(sizeBytes: number): Promise<void> {
    const waitMs = Math.ceil(this.reserve(sizeBytes));
    if (waitMs > 0) await new Promise<void>((resolve) => this.clock.setTimer(waitMs, resolve));
  }
}
