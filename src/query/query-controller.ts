import type { Clock } from '../core/clock.js';
import { ErrorCode, SluiceError } from '../core/errors.js';
import { MemoryBudget, type MemoryPressure } from '../flux/execute/memory-budget.js';
import { processMemoryPressure } from './memory-pressure.js';

export interface QueryLimits {
  /** Queries executing at once; 0 = no limit. */
  readonly maxConcurrent: number;
  /** Queries waiting for a slot; past it a query is refused (429). */
  readonly maxQueued: number;
  /** Per-query memory limit in bytes; 0 = none. */
  readonly memoryBytes: number;
  /** Per-query time limit in milliseconds (queueing excluded); 0 = none. */
  readonly timeoutMs: number;
}

export const DEFAULT_QUERY_LIMITS: QueryLimits = { maxConcurrent: 16, maxQueued: 64, memoryBytes: 0, timeoutMs: 0 };

/** What a query gets from the controller for its execution. */
export interface QuerySlot {
  /** Aborted when the caller's signal aborts or the time limit passes (reason: a SluiceError). */
  readonly signal: AbortSignal;
  readonly budget: MemoryBudget;
}

/**
 * Admission control for queries: at most `maxConcurrent` run, up to `maxQueued` wait in FIFO
 * order, anything beyond is refused with `too many requests`. Each admitted query gets a memory
 * budget and a time limit; errors name the limit that was hit. Every budget also answers to the
 * process's memory guard (memory-pressure.ts), limit or not.
 */
export class QueryController {
  #active = 0;
  readonly #queue: { resolve: () => void; reject: (e: unknown) => void; signal: AbortSignal; onAbort: () => void }[] = [];
  #closed = false;

  constructor(
    readonly limits: QueryLimits,
    private readonly clock: Clock,
    /** Refuses a query's growth when the process is nearly out of memory (memory-pressure.ts). */
    private readonly pressure: MemoryPressure = processMemoryPressure(),
  ) {}

  get active(): number {
    return this.#active;
  }

  get queued(): number {
    return this.#queue.length;
  }

  /** Runs `fn` once a slot is free; `signal` is the caller's (client disconnect). */
  async run<T>(signal: AbortSignal, fn: (slot: QuerySlot) => Promise<T>): Promise<T> {
    await this.#admit(signal);
    const ac = new AbortController();
    const onAbort = (): void => ac.abort(signal.reason ?? new SluiceError(ErrorCode.Canceled, 'query canceled'));
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
    const { timeoutMs, memoryBytes } = this.limits;
    const timer =
      timeoutMs > 0
        ? this.clock.setTimer(timeoutMs, () =>
            ac.abort(new SluiceError(ErrorCode.Invalid, `query timeout: the query ran longer than the limit of ${timeoutMs} ms`)),
          )
        : undefined;
    try {
      return await fn({ signal: ac.signal, budget: new MemoryBudget(memoryBytes > 0 ? memoryBytes : Number.POSITIVE_INFINITY, this.pressure) });
    } finally {
      timer?.cancel();
      signal.removeEventListener('abort', onAbort);
      this.#release();
    }
  }

  /** Refuses queued and new queries (server stopping). Running ones finish. */
  close(): void {
    this.#closed = true;
    for (const w of this.#queue.splice(0)) {
      w.signal.removeEventListener('abort', w.onAbort);
      w.reject(new SluiceError(ErrorCode.Unavailable, 'query controller is shutting down'));
    }
  }

  #admit(signal: AbortSignal): Promise<void> {
    if (this.#closed) return Promise.reject(new SluiceError(ErrorCode.Unavailable, 'query controller is shutting down'));
    const { maxConcurrent, maxQueued } = this.limits;
    if (maxConcurrent <= 0 || this.#active < maxConcurrent) {
      this.#active++;
      return Promise.resolve();
    }
    if (this.#queue.length >= maxQueued) {
      return Promise.reject(
        new SluiceError(ErrorCode.TooManyRequests, `queue length exceeded: ${maxQueued} queries are already waiting for one of ${maxConcurrent} slots`),
      );
    }
    return new Promise<void>((resolve, reject) => {
      const waiter = {
        resolve,
        reject,
        signal,
        onAbort: () => {
          const i = this.#queue.indexOf(waiter);
          if (i >= 0) this.#queue.splice(i, 1);
          reject(new SluiceError(ErrorCode.Canceled, 'query canceled while queued'));
        },
      };
      signal.addEventListener('abort', waiter.onAbort, { once: true });
      this.#queue.push(waiter);
    });
  }

  #release(): void {
    const next = this.#queue.shift();
    if (next === undefined) {
      this.#active--;
      return;
    }
    // The slot passes straight to the next waiter.
    next.signal.removeEventListener('abort', next.onAbort);
    next.resolve();
  }
}
