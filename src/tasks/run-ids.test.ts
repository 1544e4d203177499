import { describe, expect, it } from 'vitest';
import { isValidId } from '../core/ids.js';
import { pooledIds } from './run-ids.js';

describe('pooledIds', () => {
  it.each([1, 3, 512])('pool of %i: valid platform ids, no repeats across refills', (poolSize) => {
    const next = pooledIds(poolSize);
    const ids = Array.from({ length: 2000 }, next);
    expect(ids.every(isValidId)).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
