import { ErrorCode, SluiceError } from '../../core/errors.js';

/**
 * The per-query memory accountant. Transformations charge bytes before they hold data (table
 * builders charge as their buffers grow) and release bytes when they drop data they had charged.
 * Past the limit, `charge` throws Flux's ResourceExhausted error, which InfluxDB reports as 400
 * `invalid` with the text below. Not thread-safe and need not be: one query runs on one thread.
 *
 * Ownership convention: whoever charged releases. A finished Table's buffers stay charged until
 * the final consumer (the result encoder or `collectTables` caller) releases `table.sizeBytes`;
 * accounting is an estimate (strings count 2 bytes per UTF-16 unit plus a pointer).
 */
export class MemoryBudget {
  readonly limitBytes: number;
  #usedBytes = 0;
  #peakBytes = 0;

  /** `limitBytes` = Infinity (the default) means unlimited, but still counted. */
  constructor(limitBytes = Number.POSITIVE_INFINITY) {
    this.limitBytes = limitBytes;
  }

  get usedBytes(): number {
    return this.#usedBytes;
  }

  get peakBytes(): number {
    return this.#peakBytes;
  }

  charge(sizeBytes: number): void {
    if (sizeBytes <= 0) return;
    const next = this.#usedBytes + sizeBytes;
    if (next > this.limitBytes) {
      throw new SluiceError(
        ErrorCode.Invalid,
        `memory allocation limit reached: limit ${this.limitBytes} bytes, allocated: ${this.#usedBytes}, wanted: ${sizeBytes}`,
        { details: { fluxCode: 'resource exhausted' } },
      );
    }
    this.#usedBytes = next;
    if (next > this.#peakBytes) this.#peakBytes = next;
  }

  release(sizeBytes: number): void {
    this.#usedBytes = Math.max(0, this.#usedBytes - Math.max(0, sizeBytes));
  }
}

/** A budget that counts but never refuses; the default where no limit applies. */
export const unlimitedBudget = (): MemoryBudget => new MemoryBudget();
