import { invalid } from '../core/errors.js';
import type { Precision } from './point.js';

/** InfluxDB's 400 text for a `precision` query parameter it does not know. */
export const INVALID_PRECISION_MESSAGE = 'invalid precision; valid precision units are ns, us, ms, and s';

/**
 * Validates the `precision` parameter of `/api/v2/write`. Absent or empty means `ns`, as in
 * InfluxDB; anything but `ns`, `us`, `ms`, `s` throws `invalid` with InfluxDB's message.
 */
export function parsePrecision(s: string | null | undefined): Precision {
  if (s === undefined || s === null || s === '') return 'ns';
  if (s === 'ns' || s === 'us' || s === 'ms' || s === 's') return s;
  throw invalid(INVALID_PRECISION_MESSAGE);
}
