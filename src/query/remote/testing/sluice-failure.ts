import { SluiceError } from '../../../core/errors.js';

/** The SluiceError `p` rejects with (tests); any other outcome fails the test. */
export async function sluiceFailure(p: Promise<unknown>): Promise<SluiceError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof SluiceError) return e;
    throw e;
  }
  throw new Error('expected a failure');
}
