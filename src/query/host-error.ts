import { SluiceError } from '../core/errors.js';

/**
 * An error InfluxDB reports in its own words rather than as a positioned Flux runtime error
 * (`failed to initialize execute state: could not find bucket "x"`). The interpreter wraps it
 * (`runtime error @1:1-1:20: from: …`); the query runner finds it in the cause chain and
 * reports it as is.
 */
export class HostError extends SluiceError {}

export function findHostError(e: unknown): HostError | undefined {
  for (let c: unknown = e, depth = 0; c !== undefined && c !== null && depth < 10; depth++) {
    if (c instanceof HostError) return c;
    c = (c as { cause?: unknown }).cause;
  }
  return undefined;
}
