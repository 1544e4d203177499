/**
 * Applies WAL records to memory in log order once they are durable. Appends may complete (group
 * commit) in any order relative to their callers' continuations; the head must see them in the
 * order they were appended, the order replay will see them after a crash, so last-write-wins
 * and deletes mean the same before and after a restart.
 */
export class CommitQueue {
  private readonly queue: Ticket[] = [];

  /**
   * Appends via `append` (called synchronously, so the log order is the call order), then runs
   * `apply` after every earlier ticket has been applied. Resolves after `apply` ran; rejects with
   * the append's error (then `apply` never runs).
   */
  run(append: () => Promise<void>, apply: () => void): Promise<void> {
    const ticket: Ticket = { state: 'pending', apply, resolve: () => {}, reject: () => {}, error: undefined, waiters: [] };
    const done = new Promise<void>((resolve, reject) => {
      ticket.resolve = resolve;
      ticket.reject = reject;
    });
    this.queue.push(ticket);
    let appended: Promise<void>;
    try {
      appended = append();
    } catch (e) {
      appended = Promise.reject(e as Error);
    }
    appended.then(
      () => this.settle(ticket, 'durable', undefined),
      (e: unknown) => this.settle(ticket, 'failed', e),
    );
    return done;
  }

  /** Resolves when every ticket queued so far has been applied (or failed). */
  barrier(): Promise<void> {
    const pending = this.queue.map((t) => new Promise<void>((resolve) => t.waiters.push(resolve)));
    return Promise.all(pending).then(() => undefined);
  }

  private settle(ticket: Ticket, state: 'durable' | 'failed', error: unknown): void {
    ticket.state = state;
    ticket.error = error;
    while (this.queue.length > 0 && this.queue[0]!.state !== 'pending') {
      const t = this.queue.shift()!;
      if (t.state === 'failed') {
        t.reject(t.error);
      } else {
        try {
          t.apply();
          t.resolve();
        } catch (e) {
          t.reject(e);
        }
      }
      for (const w of t.waiters) w();
    }
  }
}

interface Ticket {
  state: 'pending' | 'durable' | 'failed';
  apply: () => void;
  resolve: () => void;
  reject: (e: unknown) => void;
  error: unknown;
  readonly waiters: (() => void)[];
}
