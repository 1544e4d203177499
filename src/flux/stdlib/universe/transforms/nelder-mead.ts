/**
 * Nelder-Mead minimisation, step for step as gonum's optimize.Minimize runs its NelderMead method
 * with a FunctionConverge converger (the combination Flux's holtWinters uses). Matching gonum's
 * sequence of evaluations, vertex ordering and centroid updates matters: holtWinters reports the
 * model the search ends on, so any deviation changes the forecast.
 *
 * The sequence: evaluate x0 (a non-finite or NaN value there is an error); report it as the
 * first major iteration; build the simplex x0 + 0.05·e_i; then reflect/expand/contract/shrink,
 * reporting the best vertex as a major iteration each time the simplex changes. The run stops
 * when `iterations` consecutive major iterations fail to improve the best value by more than
 * `absolute`.
 */
export interface NelderMeadOptions {
  readonly absolute: number;
  readonly iterations: number;
}

export interface NelderMeadResult {
  readonly x: Float64Array;
  readonly f: number;
}

const SIMPLEX_SIZE = 0.05;

/** Sorts vertices by value, stably (gonum's sort of a small simplex is an insertion sort). */
function sortSimplex(vertices: Float64Array[], values: Float64Array): void {
  for (let i = 1; i < values.length; i++) {
    for (let j = i; j > 0 && values[j]! < values[j - 1]!; j--) {
      const v = values[j]!;
      values[j] = values[j - 1]!;
      values[j - 1] = v;
      const x = vertices[j]!;
      vertices[j] = vertices[j - 1]!;
      vertices[j - 1] = x;
    }
  }
}

/** Centroid of all vertices but the last (worst). */
function centroidOf(vertices: Float64Array[], out: Float64Array): void {
  const dim = out.length;
  out.fill(0);
  for (let i = 0; i < dim; i++) {
    const v = vertices[i]!;
    for (let j = 0; j < dim; j++) out[j] += v[j]!;
  }
  for (let j = 0; j < dim; j++) out[j] /= dim;
}

/** Thrown when the objective is +Inf or NaN at the starting point (gonum's ErrFunc). */
export class NonFiniteStartError extends Error {}

/**
 * Minimises `fn` from `x0`. `fn` must not modify or keep its argument: the search reuses the
 * arrays it passes (holtWinters evaluates it tens of thousands of times per series).
 */
export function nelderMead(fn: (x: Float64Array) => number, x0: Float64Array, opts: NelderMeadOptions): NelderMeadResult {
  const dim = x0.length;
  const reflection = 1;
  const expansion = dim === 1 ? 2 : 1 + 2 / dim;
  const contraction = dim === 1 ? 0.5 : 0.75 - 1 / (2 * dim);
  const shrink = dim === 1 ? 0.5 : 1 - 1 / dim;

  // Convergence bookkeeping (FunctionConverge with Relative 0).
  let first = true;
  let best = 0;
  let stale = 0;
  const optX = Float64Array.from(x0);
  let optF = 0;
  /** Records a major iteration; true when the search must stop. */
  const major = (x: Float64Array, f: number): boolean => {
    optX.set(x);
    optF = f;
    if (f === -Infinity) return true;
    if (first) {
      best = f;
      first = false;
      return false;
    }
    if (opts.iterations === 0) return false;
    const maxAbs = Math.max(Math.abs(f), Math.abs(best));
    if (f < best && best - f > 0 * maxAbs + opts.absolute) {
      best = f;
      stale = 0;
      return false;
    }
    stale++;
    return stale >= opts.iterations;
  };

  const f0 = fn(Float64Array.from(x0));
  if (f0 === Infinity || Number.isNaN(f0)) {
    throw new NonFiniteStartError(`optimize: initial function value is ${Number.isNaN(f0) ? 'NaN' : 'infinite'}`);
  }
  if (major(x0, f0)) return { x: optX, f: optF };

  const vertices: Float64Array[] = [];
  const values = new Float64Array(dim + 1);
  for (let i = 0; i < dim; i++) {
    const x = Float64Array.from(x0);
    x[i] += SIMPLEX_SIZE;
    values[i] = fn(Float64Array.from(x));
    vertices.push(x);
  }
  vertices.push(Float64Array.from(x0));
  values[dim] = f0;
  sortSimplex(vertices, values);
  const centroid = new Float64Array(dim);
  centroidOf(vertices, centroid);

  /** Scratch points: a reflection, and the expansion or contraction tried after it. */
  const reflected = new Float64Array(dim);
  const tried = new Float64Array(dim);
  /** centroid + scale·(centroid - worst), into `x`. */
  const along = (scale: number, x: Float64Array): Float64Array => {
    const worst = vertices[dim]!;
    for (let j = 0; j < dim; j++) {
      let t = centroid[j]! - worst[j]!;
      t *= scale;
      x[j] = t + centroid[j]!;
    }
    return x;
  };

  /** Puts x in place of the worst vertex, keeps the order and updates the centroid. */
  const replaceWorst = (x: Float64Array, f: number): void => {
    vertices[dim]!.set(x);
    values[dim] = f;
    for (let i = dim - 1; i >= 0; i--) {
      if (values[i]! < f) break;
      const v = vertices[i]!;
      vertices[i] = vertices[i + 1]!;
      vertices[i + 1] = v;
      const fv = values[i]!;
      values[i] = values[i + 1]!;
      values[i + 1] = fv;
    }
    const out = vertices[dim]!;
    for (let j = 0; j < dim; j++) centroid[j] += (-1 / dim) * out[j]!;
    for (let j = 0; j < dim; j++) centroid[j] += (1 / dim) * x[j]!;
  };

  const shrinkSimplex = (): void => {
    const bestV = vertices[0]!;
    for (let i = 1; i <= dim; i++) {
      const v = vertices[i]!;
      const x = new Float64Array(dim);
      for (let j = 0; j < dim; j++) {
        let t = v[j]! - bestV[j]!;
        t *= shrink;
        x[j] = t + bestV[j]!;
      }
      values[i] = fn(x);
      vertices[i] = x;
    }
    sortSimplex(vertices, values);
    centroidOf(vertices, centroid);
  };

  for (;;) {
    if (major(vertices[0]!, values[0]!)) return { x: optX, f: optF };
    const xr = along(reflection, reflected);
    const fr = fn(xr);
    if (fr >= values[0]! && fr < values[dim - 1]!) {
      replaceWorst(xr, fr);
    } else if (fr < values[0]!) {
      const xe = along(reflection * expansion, tried);
      const fe = fn(xe);
      if (fe < fr) replaceWorst(xe, fe);
      else replaceWorst(xr, fr);
    } else if (fr < values[dim]!) {
      const xc = along(reflection * contraction, tried);
      const fc = fn(xc);
      if (fc <= fr) replaceWorst(xc, fc);
      else shrinkSimplex();
    } else {
      const xc = along(-contraction, tried);
      const fc = fn(xc);
      if (fc < values[dim]!) replaceWorst(xc, fc);
      else shrinkSimplex();
    }
  }
}
