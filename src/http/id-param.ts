import { invalid } from '../core/errors.js';
import { isValidId } from '../core/ids.js';

/** Validates a path or body ID with InfluxDB's messages. */
export function checkedId(s: unknown): string {
  if (typeof s !== 'string' || s.length !== 16) throw invalid('id must have a length of 16 bytes');
  if (!isValidId(s)) throw invalid('invalid ID');
  return s;
}
