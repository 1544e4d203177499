import type { RunStore } from './run-store.js';

interface QueuedWrite {
  readonly write: () => void;
  /** The write undoes itself when it throws: no savepoint around it. */
  readonly atomic: boolean;
  readonly resolve: () => void;
  readonly reject: (e: unknown) => void;
}

/**
 * Group commit for the run-store writes of runs progressing at the same time. Writes queued
 * during one turn of the event loop are committed together, in queue order, in one store batch
 * run after that turn (`defer`, `setImmediate` by default); each caller's promise settles once
 * its own write has committed, or rejects with its own error (each write is a savepoint of the
 * batch, undone alone). A run still waits until its transition is durable before it goes on, as
 * with one commit per write, but a hundred runs finishing on the same storage group commit cost
 * one SQLite commit instead of a hundred.
 *
 * A store without `batch` gets no grouping: each write runs and commits at once.
 */
export class WriteGroup {
  #queue: QueuedWrite[] = [];
  #scheduled = false;

  constructor(
    private readonly store: RunStore,
    private readonly defer: (flush: () => void) => void = (flush) => void setImmediate(flush),
  ) {}

  /**
   * Queues `write` (synchronous store calls); resolves once it has committed. With `atomic`, the
   * caller states that `write` leaves nothing behind when it throws (one store call that is
   * atomic by itself, then only calls that cannot throw), so it runs without a savepoint of its
   * own: in SQLite a savepoint costs about as much as a small write, and a run makes two such
   * writes.
   */
  write(write: () => void, options: { atomic?: boolean } = {}): Promise<void> {
    const batch = this.store.batch?.bind(this.store);
    if (batch === undefined) {
      try {
        write();
        return Promise.resolve();
      } catch (e) {
        return Promise.reject(e);
      }
    }
    return new Promise<void>((resolve, reject) => {
      this.#queue.push({ write, atomic: options.atomic === true, resolve, reject });
      if (!this.#scheduled) {
        this.#scheduled = true;
        this.defer(() => this.flush());
      }
    });
  }

  /** Commits everything queued now. */
  flush(): void {
    this.#scheduled = false;
    const queue = this.#queue;
    this.#queue = [];
    if (queue.length === 0) return;
    const batch = this.store.batch!.bind(this.store);
    const errors = new Map<QueuedWrite, unknown>();
    try {
      batch(() => {
        for (const q of queue) {
          try {
            if (q.atomic) q.write();
            else batch(q.write);
          } catch (e) {
            errors.set(q, e);
          }
        }
      });
    } catch (e) {
      // The commit itself failed: none of the writes persisted.
      for (const q of queue) q.reject(e);
      return;
    }
    for (const q of queue) {
      if (errors.has(q)) q.reject(errors.get(q));
      else q.resolve();
    }
  }
}
