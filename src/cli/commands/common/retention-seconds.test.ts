import { describe, expect, it } from 'vitest';
import { formatRetention, retentionSeconds } from './retention-seconds.js';

describe('retentionSeconds', () => {
  it.each([
    ['30d', 2_592_000],
    ['1w12h', 648_000],
    ['90m', 5400],
    ['0', 0],
    ['inf', 0],
  ])('%s → %d', (text, seconds) => {
    expect(retentionSeconds(text)).toBe(seconds);
  });

  it.each([
    ['1mo', 'months and years have no fixed length'],
    ['-1d', 'must not be negative'],
    ['1500ms', 'whole number of seconds'],
    ['10', 'missing a unit'],
  ])('refuses %s', (text, message) => {
    expect(() => retentionSeconds(text)).toThrow(message);
  });
});

describe('formatRetention', () => {
  it.each([
    [0, 'infinite'],
    [2_592_000, '720h0m0s'],
    [5401, '1h30m1s'],
  ])('%d → %s', (seconds, text) => {
    expect(formatRetention(seconds)).toBe(text);
  });
});
