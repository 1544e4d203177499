/**
 * Long synchronous kernels (sorting or concatenating millions of rows) written as generators
 * that `yield` at safe points: between columns, between radix passes. Run to the end in one go
 * (`runSteps`) they are the plain synchronous kernel; run with a `Breather` (`runStepsBreathing`)
 * a query's executor can let the event loop in at those points, so that its time limit, its
 * client going away and every other request of the server are seen while one table of millions
 * of rows is sorted — which otherwise happens in one piece, in microtasks no event interrupts.
 *
 * A kernel yields only where nothing it holds can be changed by other work meanwhile: its own
 * arrays, never scratch memory shared between queries (sort-table.ts).
 */
export type Steps<T> = Generator<void, T, void>;

/**
 * Lets the event loop run when enough work has passed since it last did, and checks
 * cancellation: a promise to await (rejecting when the query was cancelled meanwhile) or
 * undefined to go on at once. `ExecContext.checkpoint` is one.
 */
export type Breather = () => Promise<void> | undefined;

/** A breather that never pauses: the kernel runs in one piece. */
export const NEVER: Breather = () => undefined;

/** Runs `steps` to its end without pausing: the synchronous kernel. */
export function runSteps<T>(steps: Steps<T>): T {
  for (;;) {
    const r = steps.next();
    if (r.done === true) return r.value;
  }
}

/**
 * Runs `steps` to its end, asking `breathe` at every step. When `breathe` rejects (the query was
 * cancelled) the kernel is closed where it stands (`return()`: its `finally` blocks run) and the
 * rejection is passed on.
 */
export async function runStepsBreathing<T>(steps: Steps<T>, breathe: Breather): Promise<T> {
  for (;;) {
    const r = steps.next();
    if (r.done === true) return r.value;
    const pause = breathe();
    if (pause !== undefined) {
      try {
        await pause;
      } catch (e) {
        steps.return(undefined as T);
        throw e;
      }
    }
  }
}
