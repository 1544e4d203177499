import { randomBytes } from 'node:crypto';

/**
 * InfluxDB platform IDs: 64-bit values written as 16 lowercase hex characters. An all-zero ID is
 * invalid, as in InfluxDB.
 */
export type Id = string;

const ID_PATTERN = /^[0-9a-f]{16}$/;

export function newId(): Id {
  for (;;) {
    const id = randomBytes(8).toString('hex');
    if (id !== '0000000000000000') return id;
  }
}

export function isValidId(s: string): boolean {
  return ID_PATTERN.test(s) && s !== '0000000000000000';
}
