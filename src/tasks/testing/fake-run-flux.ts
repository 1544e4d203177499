import type { Clock } from '../../core/clock.js';
import type { RunFlux, RunFluxRequest, RunFluxResult } from '../run-flux.js';

/** One RunFlux call seen by FakeRunFlux, settled by the test. */
export interface FluxCall {
  readonly request: RunFluxRequest;
  /** Clock time (ms) when the call was made. */
  readonly atMs: number;
  settled: boolean;
  succeed(): void;
  fail(error: string, unrecoverable?: boolean): void;
  throwError(error: Error): void;
}

/**
 * A RunFlux whose calls stay open until the test settles them (or that settles them itself via
 * `auto`). A call whose signal aborts settles with an error, as a real query would.
 */
export class FakeRunFlux {
  readonly calls: FluxCall[] = [];
  /** When set, decides each call's outcome immediately: undefined = success, string = error. */
  auto: ((request: RunFluxRequest, callIndex: number) => string | undefined) | undefined;
  /** When true, calls ignore their abort signal (a misbehaving query). */
  ignoreAbort = false;
  private openCount = 0;
  maxOpen = 0;

  constructor(private readonly clock: Clock) {}

  get open(): FluxCall[] {
    return this.calls.filter((c) => !c.settled);
  }

  readonly fn: RunFlux = (request) =>
    new Promise<RunFluxResult>((resolve, reject) => {
      this.openCount++;
      this.maxOpen = Math.max(this.maxOpen, this.openCount);
      const settle = (f: () => void): void => {
        if (call.settled) return;
        call.settled = true;
        this.openCount--;
        f();
      };
      const call: FluxCall = {
        request,
        atMs: this.clock.nowMs(),
        settled: false,
        succeed: () => settle(() => resolve({})),
        fail: (error, unrecoverable) => settle(() => resolve({ error, ...(unrecoverable === true ? { unrecoverable } : {}) })),
        throwError: (error) => settle(() => reject(error)),
      };
      this.calls.push(call);
      request.signal.addEventListener('abort', () => (this.ignoreAbort ? undefined : call.fail('context canceled')), { once: true });
      if (this.auto !== undefined) {
        const outcome = this.auto(request, this.calls.length - 1);
        if (outcome === undefined) call.succeed();
        else call.fail(outcome);
      }
    });
}

/** Lets promise chains triggered by a clock advance run to completion (no timers, no sleeping). */
export async function settle(): Promise<void> {
  for (let i = 0; i < 20; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}
