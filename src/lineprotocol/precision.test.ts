import { describe, expect, it } from 'vitest';
import { SluiceError } from '../core/errors.js';
import { parsePrecision } from './precision.js';

describe('parsePrecision', () => {
  it.each([
    ['ns', 'ns'],
    ['us', 'us'],
    ['ms', 'ms'],
    ['s', 's'],
    ['', 'ns'],
    [undefined, 'ns'],
    [null, 'ns'],
  ])('%j → %s', (input, precision) => {
    expect(parsePrecision(input)).toBe(precision);
  });

  it.each(['n', 'u', 'µs', 'h', 'm', 'NS', ' s', 'seconds'])('rejects %j with InfluxDB\'s message', (input) => {
    let error: unknown;
    try {
      parsePrecision(input);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SluiceError);
    expect((error as SluiceError).code).toBe('invalid');
    expect((error as SluiceError).message).toBe('invalid precision; valid precision units are ns, us, ms, and s');
  });
});
