/**
 * Something that can end a wait: `aborted` now, or a callback when it happens. AbortSignal would
 * do, but costs an EventTarget per waiting run; thousands of runs wait at once (style: the global
 * cap must not turn a burst of due tasks into a memory problem).
 */
export interface WaitAbort {
  readonly aborted: boolean;
  /** Calls `fn` once when aborted (only one listener at a time). Returns a disposer. */
  onAbort(fn: () => void): () => void;
}

/**
 * Cancel and stop requests for one run. A cancel ends the run's waits and aborts the signal
 * handed to RunFlux; a stop (scheduler shutdown) only ends its waits. The AbortController behind
 * `cancelSignal` is created on first use, i.e. only for runs that actually execute.
 */
export class RunInterrupt implements WaitAbort {
  private controller: AbortController | undefined;
  private listener: (() => void) | undefined;
  private canceledFlag = false;
  private stoppedFlag = false;

  get canceled(): boolean {
    return this.canceledFlag;
  }

  /** True once canceled or stopped: waits end. */
  get aborted(): boolean {
    return this.canceledFlag || this.stoppedFlag;
  }

  /** The signal for RunFlux; aborted on cancel. */
  get cancelSignal(): AbortSignal {
    this.controller ??= new AbortController();
    if (this.canceledFlag) this.controller.abort();
    return this.controller.signal;
  }

  cancel(): void {
    if (this.canceledFlag) return;
    this.canceledFlag = true;
    this.controller?.abort();
    this.fire();
  }

  stop(): void {
    this.stoppedFlag = true;
    this.fire();
  }

  onAbort(fn: () => void): () => void {
    this.listener = fn;
    return () => {
      if (this.listener === fn) this.listener = undefined;
    };
  }

  private fire(): void {
    const listener = this.listener;
    this.listener = undefined;
    listener?.();
  }
}
