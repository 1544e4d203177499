import { describe, expect, it } from 'vitest';
import { formatGoDuration, shardGroupDurationNs } from './shard-group-duration.js';

const H = 3_600_000_000_000n;
const D = 24n * H;

describe('shardGroupDurationNs', () => {
  it.each([
    ['infinite retention', 0n, 0n, 7n * D],
    ['180 days', 180n * D, 0n, 7n * D],
    ['just under 180 days', 180n * D - 1n, 0n, D],
    ['2 days', 2n * D, 0n, D],
    ['just under 2 days', 2n * D - 1n, 0n, H],
    ['1 hour', H, 0n, H],
    ['explicit duration wins', 0n, 30n * 60n * 1_000_000_000n, 30n * 60n * 1_000_000_000n],
  ])('%s', (_name, retentionNs, configuredNs, want) => {
    expect(shardGroupDurationNs(retentionNs, configuredNs)).toBe(want);
  });
});

describe('formatGoDuration (Go time.Duration.String)', () => {
  it.each([
    [0n, '0s'],
    [1n, '1ns'],
    [1_500n, '1.5µs'],
    [2_000_000n, '2ms'],
    [1_500_000_000n, '1.5s'],
    [90n * 1_000_000_000n, '1m30s'],
    [H, '1h0m0s'],
    [D, '24h0m0s'],
    [7n * D + 1_000_000_000n, '168h0m1s'],
    [-H, '-1h0m0s'],
  ])('%s ns → %s', (ns, want) => {
    expect(formatGoDuration(ns)).toBe(want);
  });
});
