import { describe, expect, it } from 'vitest';
import { formatGoDuration } from './go-duration.js';

describe('formatGoDuration', () => {
  it.each([
    [0n, '0s'],
    [1n, '1ns'],
    [1_500n, '1.5µs'],
    [250_000_000n, '250ms'],
    [2_345_000_000n, '2.345s'],
    [62_345_000_000n, '1m2.345s'],
    [3_600_000_000_000n, '1h0m0s'],
    [86_400_000_000_000n, '24h0m0s'],
    [-1_000_000_000n, '-1s'],
  ])('%s → %s', (ns, text) => {
    expect(formatGoDuration(ns)).toBe(text);
  });
});
