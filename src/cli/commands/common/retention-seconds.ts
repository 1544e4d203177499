import { parseDuration } from '../../../core/duration.js';
import { invalid } from '../../../core/errors.js';

/**
 * A retention flag (`30d`, `1w12h`, `0` or `inf` = forever) in whole seconds, as the API's
 * `everySeconds` wants it. Calendar units (mo, y) have no fixed length and are refused.
 */
export function retentionSeconds(text: string): number {
  const t = text.trim();
  if (t === '0' || t === 'inf' || t === '') return 0;
  const d = parseDuration(t);
  if (d.months !== 0) throw invalid(`retention "${text}": months and years have no fixed length; use days or weeks`);
  if (d.negative) throw invalid(`retention "${text}" must not be negative`);
  if (d.nanoseconds % 1_000_000_000n !== 0n) throw invalid(`retention "${text}" must be a whole number of seconds`);
  return Number(d.nanoseconds / 1_000_000_000n);
}

/** `everySeconds` back as a duration (`720h0m0s` style as influx prints it), `infinite` for 0. */
export function formatRetention(everySeconds: number): string {
  if (everySeconds === 0) return 'infinite';
  const h = Math.floor(everySeconds / 3600);
  const m = Math.floor((everySeconds % 3600) / 60);
  const s = everySeconds % 60;
  return `${h}h${m}m${s}s`;
}
