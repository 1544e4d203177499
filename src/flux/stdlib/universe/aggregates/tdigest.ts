/**
 * A merging t-digest (Dunning), the estimator behind Flux's `quantile(method:
 * "estimate_tdigest")`. Values are buffered and merged into centroids whose size is bounded by
 * the arcsine scale function with `compression`; results depend on insertion order and on when
 * merges happen, so the buffer thresholds (2·⌈c⌉ centroids, 8·⌈c⌉ buffered points) are part of
 * the contract: they are what makes our estimates equal Flux's.
 */
export class TDigest {
  readonly #compression: number;
  readonly #maxProcessed: number;
  readonly #maxUnprocessed: number;
  #means: number[] = [];
  #weights: number[] = [];
  #processedWeight = 0;
  #bufMeans: number[] = [];
  #bufWeights: number[] = [];
  #bufWeight = 0;
  #cumulative: number[] = [];
  #min = Number.MAX_VALUE;
  #max = -Number.MAX_VALUE;

  constructor(compression: number) {
    this.#compression = compression;
    this.#maxProcessed = 2 * Math.ceil(compression);
    this.#maxUnprocessed = 8 * Math.ceil(compression);
  }

  add(x: number, w = 1): void {
    this.#bufMeans.push(x);
    this.#bufWeights.push(w);
    this.#bufWeight += w;
    if (this.#means.length > this.#maxProcessed || this.#bufMeans.length > this.#maxUnprocessed) this.#process();
  }

  #integratedQ(k: number): number {
    const c = this.#compression;
    return (Math.sin((Math.min(k, c) * Math.PI) / c - Math.PI / 2) + 1) / 2;
  }

  #integratedLocation(q: number): number {
    return (this.#compression * (Math.asin(2 * q - 1) + Math.PI / 2)) / Math.PI;
  }

  #process(): void {
    if (this.#bufMeans.length === 0 && this.#means.length <= this.#maxProcessed) return;
    const [means, weights] = this.#sorted();
    const outM: number[] = [means[0]!];
    const outW: number[] = [weights[0]!];
    this.#processedWeight += this.#bufWeight;
    this.#bufWeight = 0;
    let soFar = outW[0]!;
    let limit = this.#processedWeight * this.#integratedQ(1);
    for (let k = 1; k < means.length; k++) {
      const m = means[k]!;
      const w = weights[k]!;
      const projected = soFar + w;
      if (projected <= limit) {
        soFar = projected;
        const last = outM.length - 1;
        const nw = outW[last]! + w;
        outW[last] = nw;
        outM[last] = outM[last]! + (w * (m - outM[last]!)) / nw;
      } else {
        const k1 = this.#integratedLocation(soFar / this.#processedWeight);
        limit = this.#processedWeight * this.#integratedQ(k1 + 1);
        soFar += w;
        outM.push(m);
        outW.push(w);
      }
    }
    this.#means = outM;
    this.#weights = outW;
    this.#min = Math.min(this.#min, outM[0]!);
    this.#max = Math.max(this.#max, outM[outM.length - 1]!);
    this.#cumulative = [];
    let prev = 0;
    for (const w of outW) {
      this.#cumulative.push(prev + w / 2);
      prev += w;
    }
    this.#cumulative.push(prev);
    this.#bufMeans = [];
    this.#bufWeights = [];
  }

  /**
   * The buffered points and the centroids, in a stable order by mean: means and weights. When
   * only points of weight 1 are buffered (a quantile over a window: the usual case) the values
   * alone are sorted, natively: equal values of equal weight are interchangeable. (Not with NaN,
   * which the comparison below leaves where it is, or -0, which it does not order before 0.)
   */
  #sorted(): [ArrayLike<number>, ArrayLike<number>] {
    const bm = this.#bufMeans;
    const bw = this.#bufWeights;
    if (this.#means.length === 0) {
      const values = new Float64Array(bm.length);
      let plain = true;
      for (let i = 0; i < bm.length; i++) {
        const x = bm[i]!;
        if (bw[i] !== 1 || x !== x || (x === 0 && 1 / x < 0)) {
          plain = false;
          break;
        }
        values[i] = x;
      }
      if (plain) return [values.sort(), new Float64Array(bm.length).fill(1)];
    }
    const means = [...bm, ...this.#means];
    const weights = [...bw, ...this.#weights];
    const order = means.map((_, i) => i);
    // A stable sort by mean (Go's sort.Sort is not stable, but equal means merge the same way).
    order.sort((a, b) => means[a]! - means[b]! || a - b);
    return [order.map((i) => means[i]!), order.map((i) => weights[i]!)];
  }

  /** The estimated q-quantile; NaN when empty or q outside [0, 1]. */
  quantile(q: number): number {
    this.#process();
    const means = this.#means;
    const weights = this.#weights;
    const n = means.length;
    if (q < 0 || q > 1 || n === 0) return NaN;
    if (n === 1) return means[0]!;
    const index = q * this.#processedWeight;
    if (index <= weights[0]! / 2) return this.#min + ((2 * index) / weights[0]!) * (means[0]! - this.#min);
    const cum = this.#cumulative;
    let lo = 0;
    let hi = cum.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (cum[mid]! >= index) hi = mid;
      else lo = mid + 1;
    }
    const lower = lo;
    if (lower + 1 !== cum.length) {
      const z1 = index - cum[lower - 1]!;
      const z2 = cum[lower]! - index;
      return weightedAverage(means[lower - 1]!, z2, means[lower]!, z1);
    }
    const z1 = index - this.#processedWeight - weights[lower - 1]! / 2;
    const z2 = weights[lower - 1]! / 2 - z1;
    return weightedAverage(means[n - 1]!, z1, this.#max, z2);
  }
}

function weightedAverage(x1: number, w1: number, x2: number, w2: number): number {
  if (x1 > x2) return weightedAverage(x2, w2, x1, w1);
  const x = (x1 * w1 + x2 * w2) / (w1 + w2);
  return Math.max(x1, Math.min(x, x2));
}
