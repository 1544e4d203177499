import { ErrorCode, SluiceError } from '../core/errors.js';

/**
 * Caps the writes processed at once. Over the cap the request is refused at once with 429 and
 * `Retry-After` rather than queued, so memory stays bounded and clients back off.
 */
export class WriteLimiter {
  private active = 0;

  constructor(private readonly maxConcurrent: number) {}

  get inFlight(): number {
    return this.active;
  }

  /** Takes a slot or throws `too many requests`; call the returned function exactly once. */
  acquire(): () => void {
    if (this.maxConcurrent > 0 && this.active >= this.maxConcurrent) {
      throw new SluiceError(ErrorCode.TooManyRequests, `too many concurrent writes (limit ${this.maxConcurrent})`, {
        details: { retryAfterSeconds: 1 },
      });
    }
    this.active++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.active--;
    };
  }
}
