import { randomBytes } from 'node:crypto';
import type { Id } from '../core/ids.js';

const ZERO_ID = '0000000000000000';

/**
 * Run ids (InfluxDB platform ids: 16 random hex digits, never all zero, as `newId`) drawn from a
 * pool of random bytes refilled `poolSize` ids at a time: a timer wake-up that creates 10,000 runs
 * then makes 20 calls into the random source instead of 10,000.
 */
export function pooledIds(poolSize = 512): () => Id {
  let pool = Buffer.alloc(0);
  let offset = 0;
  return () => {
    for (;;) {
      if (offset >= pool.length) {
        pool = randomBytes(8 * poolSize);
        offset = 0;
      }
      const id = pool.toString('hex', offset, offset + 8);
      offset += 8;
      if (id !== ZERO_ID) return id;
    }
  };
}
