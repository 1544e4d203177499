import { SluiceError, ErrorCode } from '../core/errors.js';
import type { WaitAbort } from './run-interrupt.js';

/** Gives back the slot. Idempotent. */
export type ReleaseSlot = () => void;

interface Waiter {
  readonly grant: (release: ReleaseSlot) => void;
  dispose: () => void;
}

/**
 * A global cap on concurrent executions, shared fairly between keys (task ids): waiters queue
 * per key, and freed slots go round-robin over the keys that have waiters, so one task with a
 * thousand caught-up runs cannot starve the others. Within a key, first come first served.
 *
 * Memory: one small record per waiter; nothing executes until granted.
 */
export class FairQueue {
  private runningCount = 0;
  private waitingCount = 0;
  private readonly queues = new Map<string, Waiter[]>();
  /**
   * Keys in service order (each at most once, tracked by `inRing`). An array with a moving head:
   * a Map with frequent deletes makes "first key" scans slow in V8. Keys whose waiters all left
   * stay in the ring and are skipped when reached.
   */
  private ring: string[] = [];
  private ringHead = 0;
  private readonly inRing = new Set<string>();

  constructor(readonly capacity: number) {
    if (!(capacity >= 1)) throw new RangeError('FairQueue capacity must be at least 1');
  }

  get running(): number {
    return this.runningCount;
  }

  get waiting(): number {
    return this.waitingCount;
  }

  /**
   * Resolves with a release function once a slot is free and it is `key`'s turn. Rejects with a
   * `canceled` SluiceError if `abort` fires first (the waiter is removed).
   */
  acquire(key: string, abort?: WaitAbort): Promise<ReleaseSlot> {
    return new Promise<ReleaseSlot>((resolve, reject) => this.wait(key, resolve, () => reject(CANCELED), abort));
  }

  /**
   * `acquire` without a promise: calls `granted` with the release function once a slot is free
   * and it is `key`'s turn, or `aborted` if `abort` fires first (the waiter is removed). Exactly
   * one of them is called: never synchronously from `wait` itself (a free slot is granted in a
   * microtask, as a resolved promise would be), but synchronously from the release or abort that
   * frees the waiter. A burst of 10,000 due runs waits here as 10,000
   * small records rather than 10,000 pending async executions.
   */
  wait(key: string, granted: (release: ReleaseSlot) => void, aborted: () => void, abort?: WaitAbort): void {
    if (abort?.aborted === true) {
      queueMicrotask(aborted);
      return;
    }
    if (this.runningCount < this.capacity && this.waitingCount === 0) {
      this.runningCount++;
      const release = this.releaser();
      queueMicrotask(() => granted(release));
      return;
    }
    const waiter: Waiter = { grant: granted, dispose: NO_DISPOSE };
    if (abort !== undefined) {
      waiter.dispose = abort.onAbort(() => {
        if (this.remove(key, waiter)) aborted();
      });
    }
    let queue = this.queues.get(key);
    if (queue === undefined) {
      queue = [];
      this.queues.set(key, queue);
    }
    this.enterRing(key);
    queue.push(waiter);
    this.waitingCount++;
    this.dispatch();
  }

  private releaser(): ReleaseSlot {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.runningCount--;
      this.dispatch();
    };
  }

  private enterRing(key: string): void {
    if (this.inRing.has(key)) return;
    this.inRing.add(key);
    this.ring.push(key);
  }

  private dispatch(): void {
    while (this.runningCount < this.capacity && this.ringHead < this.ring.length) {
      const key = this.ring[this.ringHead++]!;
      this.inRing.delete(key);
      if (this.ringHead > 1024 && this.ringHead * 2 > this.ring.length) {
        this.ring = this.ring.slice(this.ringHead);
        this.ringHead = 0;
      }
      const queue = this.queues.get(key);
      if (queue === undefined) continue; // all its waiters left
      const waiter = queue.shift()!;
      this.waitingCount--;
      if (queue.length > 0) this.enterRing(key); // to the back of the ring
      else this.queues.delete(key);
      waiter.dispose();
      this.runningCount++;
      waiter.grant(this.releaser());
    }
  }

  /** Takes a waiter out of its queue; false if it is no longer there (already granted). */
  private remove(key: string, waiter: Waiter): boolean {
    const queue = this.queues.get(key);
    if (queue === undefined) return false;
    const i = queue.indexOf(waiter);
    if (i < 0) return false;
    queue.splice(i, 1);
    this.waitingCount--;
    if (queue.length === 0) this.queues.delete(key);
    return true;
  }
}

const NO_DISPOSE = (): void => undefined;

// One shared instance: rejections are frequent on shutdown and carry no per-call detail.
const CANCELED = new SluiceError(ErrorCode.Canceled, 'wait for an execution slot was aborted');
