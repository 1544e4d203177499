import { ErrorCode, SluiceError } from '../../core/errors.js';

/**
 * The per-query memory accountant. Transformations charge bytes before they hold data (table
 * builders charge as their buffers grow) and release bytes when they drop data they had charged.
 * Past the limit, `charge` throws Flux's ResourceExhausted error, which InfluxDB reports as 400
 * `invalid` with the text below. Not thread-safe and need not be: one query runs on one thread.
 *
 * What is counted is *live* memory, so a streaming query can pass far more data than the limit:
 * - `charge`/`release` for memory whose end the caller knows (a transformation's own buffers).
 * - `hold(owner)` for memory owned by an object: its charges are released when the owner is
 *   garbage-collected, or moved to another owner with `moveTo`. Column builders hold their
 *   buffers this way and hand them to the finished column, so a table's bytes are released when
 *   its columns become unreachable, whoever consumed it. Release then lags the GC a little.
 * Sizes are estimates (strings count 2 bytes per UTF-16 unit plus a pointer).
 *
 * An unlimited budget (the default: no `--query-memory-bytes`) refuses nothing, so it does not
 * follow owners' lives: V8's young-generation GC keeps every FinalizationRegistry target alive
 * until the next full GC, so one registration per table promoted each query's tables to the old
 * generation (a quarter of the CPU of a query over 1,000 series went to GC). There `usedBytes`
 * and `peakBytes` count what was charged and explicitly released, not what collection freed.
 */
export class MemoryBudget {
  readonly limitBytes: number;
  /** Whether holds follow their owners' lives (only a limit needs that; see the class comment). */
  readonly #followsOwners: boolean;
  readonly #pressure: MemoryPressure | undefined;
  #usedBytes = 0;
  #peakBytes = 0;

  /**
   * `limitBytes` = Infinity (the default) means unlimited, but still counted. `pressure`, when
   * given, hears of every charge and may refuse it because the whole process is short of memory.
   */
  constructor(limitBytes = Number.POSITIVE_INFINITY, pressure?: MemoryPressure) {
    this.limitBytes = limitBytes;
    this.#followsOwners = limitBytes !== Number.POSITIVE_INFINITY;
    this.#pressure = pressure;
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
    this.#pressure?.charged(sizeBytes);
    this.#usedBytes = next;
    if (next > this.#peakBytes) this.#peakBytes = next;
  }

  release(sizeBytes: number): void {
    this.#usedBytes = Math.max(0, this.#usedBytes - Math.max(0, sizeBytes));
  }

  readonly #registry = new FinalizationRegistry<MemoryHold>((hold) => hold.releaseAll());

  /** A hold whose charges are released when `owner` is garbage-collected. */
  hold(owner: object): MemoryHold {
    const h = new MemoryHold(this);
    if (this.#followsOwners) this.#registry.register(owner, h, h);
    return h;
  }

  /**
   * Charges `sizeBytes` for memory that lives as long as `owner` (a column a kernel produced):
   * throws past the limit, releases when `owner` is collected.
   */
  account(owner: object, sizeBytes: number): void {
    if (this.#followsOwners) this.hold(owner).charge(sizeBytes);
    else this.charge(sizeBytes);
  }

  /** @internal Used by MemoryHold.moveTo. */
  rebind(hold: MemoryHold, owner: object): void {
    if (!this.#followsOwners) return;
    this.#registry.unregister(hold);
    this.#registry.register(owner, hold, hold);
  }
}

/** Bytes charged on behalf of one owner object; see `MemoryBudget.hold`. */
export class MemoryHold {
  readonly #budget: MemoryBudget;
  #bytes = 0;

  constructor(budget: MemoryBudget) {
    this.#budget = budget;
  }

  get bytes(): number {
    return this.#bytes;
  }

  /** Charges the budget (throwing past its limit) on behalf of this hold's owner. */
  charge(sizeBytes: number): void {
    if (sizeBytes <= 0) return;
    this.#budget.charge(sizeBytes);
    this.#bytes += sizeBytes;
  }

  /** From now on the bytes live as long as `owner` (e.g. a builder handing buffers to a column). */
  moveTo(owner: object): void {
    this.#budget.rebind(this, owner);
  }

  /** Releases everything now (also what collection of the owner does). */
  releaseAll(): void {
    this.#budget.release(this.#bytes);
    this.#bytes = 0;
  }
}

/**
 * The process's memory as a whole, heard of as queries grow (every budget charge): it throws — a
 * SluiceError, which fails that query — once the process is close to running out, so that a
 * runaway query (no `--query-memory-bytes` set, as by default) fails instead of taking the server
 * down with it. Implemented over V8's and the OS's figures in query/memory-pressure.ts.
 */
export interface MemoryPressure {
  /** A query is about to hold `sizeBytes` more; throws when the process cannot afford it. */
  charged(sizeBytes: number): void;
}

/** A budget that counts but never refuses; the default where no limit applies. */
export const unlimitedBudget = (): MemoryBudget => new MemoryBudget();
