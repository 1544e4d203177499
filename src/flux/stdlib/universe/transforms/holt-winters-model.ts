import { nelderMead } from './nelder-mead.js';
import type { FloatSeries } from './numeric-input.js';

/**
 * Holt-Winters forecasting as Flux (after InfluxQL) does it: damped additive trend, multiplicative
 * seasons when seasonality ≥ 2, parameters (alpha, beta, gamma, phi, l0, b0, seasons...) fitted by
 * Nelder-Mead from a grid of 16 starting guesses minimising the sum of squared errors of the
 * fitted values. Note the recurrence feeds each step its own previous estimate (not the observed
 * value): the data enter through the first value and the error sum only — Flux's model.
 */

const WEIGHT = 0.5;
const EPSILON = 1.0e-4;
const MAX_ITERATIONS = 100;
const GUESS_LOWER = 0.3;
const GUESS_UPPER = 1.0;
const GUESS_STEP = 0.4;
const SEASONS_START = 6;

export interface HoltWintersResult {
  /** The fitted values (when asked) followed by n forecasts. */
  readonly values: Float64Array;
  readonly minSSE: number;
}

const scratch = new DataView(new ArrayBuffer(8));
const MIN_NORMAL = 2.2250738585072014e-308;

/** x = frac·2^exp with frac in [0.5, 1), for finite non-zero x (Go's math.Frexp). */
function frexp(x: number): [number, number] {
  scratch.setFloat64(0, x);
  let hi = scratch.getUint32(0);
  let exp = (hi >>> 20) & 0x7ff;
  let extra = 0;
  if (exp === 0) {
    // Subnormal: scale into the normal range first.
    scratch.setFloat64(0, x * 2 ** 52);
    hi = scratch.getUint32(0);
    exp = (hi >>> 20) & 0x7ff;
    extra = -52;
  }
  const e = exp - 1022 + extra;
  scratch.setUint32(0, (hi & 0x800fffff) | (1022 << 20));
  return [scratch.getFloat64(0), e];
}

/** 2^e for -1022 ≤ e ≤ 1023, built from its bits (exact). */
function pow2(e: number): number {
  scratch.setUint32(0, (e + 1023) << 20);
  scratch.setUint32(4, 0);
  return scratch.getFloat64(0);
}

/** frac·2^exp rounded once, frac in [0.5, 1) (Go's math.Ldexp). */
function ldexp(frac: number, exp: number): number {
  if (exp > 1023) return frac * pow2(1023) * pow2(Math.min(exp - 1023, 1023));
  if (exp >= -1022) return frac * pow2(exp);
  // Subnormal result: scale into range exactly, then round once.
  if (exp + 53 < -1022) return 0;
  return frac * pow2(exp + 53) * pow2(-53);
}

/**
 * x^k for a positive integer k and 0 ≤ x ≤ 1, computed as Go's math.Pow does (repeated squaring of
 * the normalised mantissa), so the rounding matches Flux's.
 */
export function goPowInt(x: number, k: number): number {
  if (k === 0 || x === 1) return 1;
  if (k === 1) return x;
  if (Number.isNaN(x)) return NaN;
  if (x === 0) return 0;
  if (x > 0 && x < 1 && k < 2 ** 31) {
    // Scaling by powers of two is exact, so plain square-and-multiply rounds exactly as Go's
    // normalised loop does while every product stays a normal number (checked on the result,
    // the smallest of them).
    let a = 1.0;
    let p = x;
    for (let i = k; ; ) {
      if ((i & 1) === 1) a *= p;
      i >>>= 1;
      if (i === 0) break;
      p *= p;
    }
    if (a >= MIN_NORMAL) return a;
  }
  let a1 = 1.0;
  let ae = 0;
  let [x1, xe] = frexp(x);
  for (let i = k; i !== 0; i = Math.floor(i / 2)) {
    if (xe < -(1 << 12) || 1 << 12 < xe) {
      ae += xe;
      break;
    }
    if (i % 2 === 1) {
      a1 *= x1;
      ae += xe;
    }
    x1 *= x1;
    xe *= 2;
    if (x1 < 0.5) {
      x1 += x1;
      xe--;
    }
  }
  return ldexp(a1, ae);
}

function clamp01(params: Float64Array, i: number): void {
  if (params[i]! > 1) params[i] = 1;
  if (params[i]! < 0) params[i] = 0;
}

export class HoltWinters {
  readonly #n: number;
  readonly #s: number;
  readonly #seasonal: boolean;
  readonly #withFit: boolean;
  #data: FloatSeries = { values: new Float64Array(0), valid: new Uint8Array(0) };
  /** phi^(2^j), per #forecast call. */
  readonly #squares = new Float64Array(33);
  /** phi^t for the steps so far of a #forecast call (goPowInt's products; see there). */
  #powers = new Float64Array(0);
  /** The fitted values of the last objective evaluation. */
  #fit = new Float64Array(0);

  constructor(n: number, seasonality: number, withFit: boolean) {
    this.#n = n;
    this.#s = seasonality;
    this.#seasonal = seasonality >= 2;
    this.#withFit = withFit;
  }

  /** Fits the model to the series (nulls are gaps; the first value must be valid) and forecasts. */
  run(data: FloatSeries): HoltWintersResult {
    this.#data = data;
    const ys = data.values;
    const ok = data.valid;
    const l = ys.length;
    if (l < 2 || (this.#seasonal && l < this.#s) || this.#n <= 0) return { values: new Float64Array(0), minSSE: 0 };
    const m = this.#s;

    let l0 = 0.0;
    if (this.#seasonal) {
      for (let i = 0; i < m; i++) if (ok[i]) l0 += (1 / m) * ys[i]!;
    } else {
      l0 += WEIGHT * ys[0]!;
    }
    let b0 = 0.0;
    if (this.#seasonal) {
      for (let i = 0; i < m && m + i < l; i++) {
        if (ok[i] && ok[m + i]) b0 += (1 / (m * m)) * (ys[m + i]! - ys[i]!);
      }
    } else if (ok[1]) {
      b0 = WEIGHT * (ys[1]! - ys[0]!);
    }

    const size = this.#seasonal ? SEASONS_START + m : SEASONS_START;
    const init = new Float64Array(size);
    init[4] = l0;
    init[5] = b0;
    if (this.#seasonal) for (let i = 0; i < m; i++) init[i + SEASONS_START] = ok[i] ? ys[i]! / l0 : 1;

    const work = new Float64Array(size);
    const sse = (par: Float64Array): number => {
      work.set(par);
      const fit = this.#forecast(work, true);
      let sum = 0.0;
      for (let i = 0; i < l; i++) {
        if (!ok[i]) continue;
        const diff = fit[i]! - ys[i]!;
        sum += diff * diff;
      }
      return sum;
    };

    let minSSE = Infinity;
    let bestParams: Float64Array | null = null;
    for (let alpha = GUESS_LOWER; alpha < GUESS_UPPER; alpha += GUESS_STEP) {
      for (let beta = GUESS_LOWER; beta < GUESS_UPPER; beta += GUESS_STEP) {
        for (let gamma = GUESS_LOWER; gamma < GUESS_UPPER; gamma += GUESS_STEP) {
          for (let phi = GUESS_LOWER; phi < GUESS_UPPER; phi += GUESS_STEP) {
            init[0] = alpha;
            init[1] = beta;
            init[2] = gamma;
            init[3] = phi;
            const result = nelderMead(sse, init, { absolute: EPSILON, iterations: MAX_ITERATIONS });
            if (result.f < minSSE || bestParams === null) {
              minSSE = result.f;
              bestParams = result.x;
            }
          }
        }
      }
    }
    return { values: this.#forecast(Float64Array.from(bestParams!), false), minSSE };
  }

  /**
   * The fitted values (all of them when `onlyFit`; with the forecasts when fitting data was asked
   * for) and the n forecasts. Clamps the first four parameters and overwrites the seasonal ones
   * in `params` as it goes.
   */
  #forecast(params: Float64Array, onlyFit: boolean): Float64Array {
    const h = onlyFit ? 0 : this.#n;
    for (let i = 0; i < 4; i++) clamp01(params, i);
    const l = this.#data.values.length;
    let yT = this.#data.values[0]!;
    const alpha = params[0]!;
    const beta = params[1]!;
    const gamma = params[2]!;
    const phi = params[3]!;
    let phiH = phi;
    // phi^t as goPowInt multiplies it (the squares phi^(2^j) of t's bits, lowest first, into 1):
    // the product for t is the one for t without its top bit times that bit's square, so one
    // multiplication per step from a table of the earlier products. Identical results.
    const squares = this.#squares;
    squares[0] = phi;
    let squared = 1;
    const fastPow = phi > 0 && phi < 1;
    const steps = l + h;
    if (this.#powers.length < steps) this.#powers = new Float64Array(steps);
    const powers = this.#powers;
    powers[0] = 1.0;
    let top = 0; // index of t's top bit
    let lT = params[4]!;
    let bT = params[5]!;
    let m = 0;
    let so = 0;
    if (this.#seasonal) {
      m = params.length - SEASONS_START;
      if (m === 1) params[SEASONS_START] = 1;
      so = m - 1;
    }
    const keepFit = onlyFit || this.#withFit;
    // The fit alone (the objective's many calls) goes to a reused buffer, read before the next call.
    let out: Float64Array;
    if (onlyFit) {
      if (this.#fit.length !== l) this.#fit = new Float64Array(l);
      out = this.#fit;
    } else {
      out = new Float64Array((keepFit ? l : 0) + h);
    }
    let k = 0;
    if (keepFit) out[k++] = yT;
    let stm = 1.0;
    let stmh = 1.0;
    const seasonal = this.#seasonal;
    const withFit = this.#withFit;
    for (let t = 1; t < steps; t++) {
      if (seasonal) {
        const hm = t % m;
        stm = params[SEASONS_START + ((t - m + so) % m)]!;
        stmh = params[SEASONS_START + ((t - m + hm + so) % m)]!;
      }
      const lTp = lT;
      const bTp = bT;
      lT = alpha * (yT / stm) + (1 - alpha) * (lTp + phi * bTp);
      bT = beta * (lT - lTp) + (1 - beta) * phi * bTp;
      const sT = gamma * (yT / (lTp + phi * bTp)) + (1 - gamma) * stm;
      yT = (lT + phiH * bT) * stmh;
      let power: number;
      if (fastPow && t < 2 ** 31) {
        if (t >> (top + 1) !== 0) {
          top++;
          if (top === squared) {
            squares[squared] = squares[squared - 1]! * squares[squared - 1]!;
            squared++;
          }
        }
        power = powers[t - (1 << top)]! * squares[top]!;
        powers[t] = power;
        if (power < MIN_NORMAL) power = goPowInt(phi, t);
      } else {
        power = goPowInt(phi, t);
      }
      phiH += power;
      if (seasonal) {
        params[SEASONS_START + ((t + so) % m)] = sT;
        so++;
      }
      if (onlyFit || (withFit && t < l) || t >= l) out[k++] = yT;
    }
    return out;
  }
}
