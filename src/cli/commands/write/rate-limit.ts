import { invalid } from '../../../core/errors.js';

/** influx's pattern, printed in its error message as Go prints the regexp. */
const PATTERN = /^(\d*\.?\d*)(B|kB|MB)\/?(\d*)?(s|sec|m|min)$/;
const PATTERN_TEXT = String.raw`^(\d*\.?\d*)(B|kB|MB)/?(\d*)?(s|sec|m|min)$`;
const BYTES: Record<string, number> = { B: 1, kB: 1024, MB: 1_048_576 };
const SECONDS: Record<string, number> = { s: 1, sec: 1, m: 60, min: 60 };
const MAX_UINT32 = 4_294_967_295;

/**
 * `write --rate-limit` as influx reads it: `COUNT(B|kB|MB)/TIME(s|sec|m|min)`, the `/` and TIME
 * optional, spaces ignored ("5 MB / 5 min", "17kBs", "1MB/s", "5.1MB5m"); kB is 1024 bytes and MB
 * 1024². Returns bytes per second; 0 (an empty value, or a zero count) means no limit. Errors are
 * influx's, wrapped as its flag parser wraps them.
 */
export function parseRateLimit(text: string): number {
  const value = text.replaceAll(' ', '');
  if (value === '') return 0;
  const fail = (reason: string): never => {
    throw invalid(`invalid value "${text}" for flag -rate-limit: invalid rate limit "${value}": ${reason}`);
  };
  const m = PATTERN.exec(value);
  if (m === null) return fail(`it does not match format COUNT(B|kB|MB)/TIME(s|sec|m|min) with / and TIME being optional, rexpexp: ${PATTERN_TEXT}`);
  const [, count = '', unit = 'B', time = '', timeUnit = 's'] = m;
  // Go's ParseFloat: "1.", ".5" are numbers; "" and "." are not.
  if (!/\d/.test(count)) return fail(`'${count}' is not count of bytes: strconv.ParseFloat: parsing "${count}": invalid syntax`);
  const bytes = Number(count) * BYTES[unit]!;
  let seconds = 1; // no TIME: per one unit ("17kBs", "1MB/s")
  if (time !== '') {
    const n = Number(time);
    if (n > MAX_UINT32) return fail(`time is out of range: strconv.ParseUint: parsing "${time}": value out of range`);
    if (n <= 0) return fail(`positive time expected but ${time} supplied`);
    seconds = n;
  }
  return bytes / (seconds * SECONDS[timeUnit]!);
}
