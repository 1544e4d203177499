/**
 * Go's float formatting, which Flux uses on the wire and in messages. Both forms use the shortest
 * digit string that round-trips (what JS `Number#toString` also computes); they differ only in
 * where the decimal point goes.
 */

/** Shortest round-trip digits and decimal exponent: x = 0.d1d2d3... × 10^point. */
function shortestDigits(x: number): { digits: string; point: number } {
  const [mantissa, exp] = Math.abs(x).toExponential().split('e') as [string, string];
  const digits = mantissa.replace('.', '');
  return { digits, point: Number(exp) + 1 };
}

function special(x: number): string | undefined {
  if (Number.isNaN(x)) return 'NaN';
  if (x === Infinity) return '+Inf';
  if (x === -Infinity) return '-Inf';
  if (x === 0) return Object.is(x, -0) ? '-0' : '0';
  return undefined;
}

/**
 * `strconv.FormatFloat(x, 'f', -1, 64)`: plain decimal, never an exponent (`1e21` →
 * `1000000000000000000000`, `1e-7` → `0.0000001`), `NaN`, `+Inf`, `-Inf`. The annotated-CSV
 * encoding of doubles and Flux's `string(v: float)`.
 */
export function formatFloatDecimal(x: number): string {
  const s = special(x);
  if (s !== undefined) return s;
  // JS prints the same shortest digits and uses an exponent only below 1e-6 or from 1e21 up.
  const js = String(x);
  if (!js.includes('e')) return js;
  const { digits, point } = shortestDigits(x);
  const sign = x < 0 ? '-' : '';
  if (point <= 0) return `${sign}0.${'0'.repeat(-point)}${digits}`;
  if (point >= digits.length) return `${sign}${digits}${'0'.repeat(point - digits.length)}`;
  return `${sign}${digits.slice(0, point)}.${digits.slice(point)}`;
}

/**
 * Go's `%v` for float64 (`strconv.FormatFloat(x, 'g', -1, 64)`): decimal when the exponent is in
 * [-4, 6), otherwise `d.ddde+XX` (`1e+06`, `1.5e-07`). Used by Flux's `display()`.
 */
export function formatFloatGeneral(x: number): string {
  const s = special(x);
  if (s !== undefined) return s;
  const { digits, point } = shortestDigits(x);
  const exp = point - 1;
  if (exp < -4 || exp >= 6) {
    const sign = x < 0 ? '-' : '';
    const mantissa = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    const e = Math.abs(exp).toString().padStart(2, '0');
    return `${sign}${mantissa}e${exp < 0 ? '-' : '+'}${e}`;
  }
  return formatFloatDecimal(x);
}
