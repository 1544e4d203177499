import type { Duration } from '../../../../core/duration.js';
import { floorDiv } from '../../../../core/time.js';

const NS_PER_MS = 1_000_000n;

/**
 * Adds a duration to a time as Flux does (values.Time.Add): months first, clamping the day to
 * the end of the resulting month (Jan 31 + 1mo = Feb 28/29, unlike Go's AddDate which rolls into
 * March), then nanoseconds. `scale` multiplies the duration (negative to subtract).
 */
export function addFluxDuration(timeNs: bigint, d: Duration, scale = 1): bigint {
  let t = timeNs;
  const months = d.months * scale;
  if (months !== 0) {
    const ms = floorDiv(t, NS_PER_MS);
    const subMs = t - ms * NS_PER_MS;
    const date = new Date(Number(ms));
    const day = date.getUTCDate();
    const target = date.getUTCFullYear() * 12 + date.getUTCMonth() + months;
    const year = Math.floor(target / 12);
    const month = target - year * 12;
    const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
    date.setUTCFullYear(year, month, Math.min(day, lastDay));
    t = BigInt(date.getTime()) * NS_PER_MS + subMs;
  }
  return t + d.nanoseconds * BigInt(scale);
}
