import type { ColumnData } from '../../../execute/column.js';
import type { Table } from '../../../execute/table.js';
import { CallError, type BuiltinSpec } from '../../../interpreter/index.js';
import { perTable } from './per-table.js';
import { floatColumn, floatsOf, isNumeric } from './numeric-input.js';
import { emptyWithFloats, tailWithFloats } from './tail-rows.js';

/** Indexes of the listed columns present in `t`, each checked numeric (`what` names the indicator). */
function numericColumns(t: Table, labels: readonly string[], what: string): number[] {
  const out: number[] = [];
  t.cols.forEach((c, j) => {
    if (!labels.includes(c.label)) return;
    if (!isNumeric(t.columns[j]!)) throw new CallError(`cannot take ${what} of column ${c.label} (type ${c.type})`);
    out.push(j);
  });
  return out;
}

/**
 * One step of the Chande momentum oscillator over running sums of gains and losses: adds `diff`,
 * reports 100·(up-down)/(up+down), then retires `diffNAgo` (the change leaving the window).
 */
function nextCmo(state: { up: number; down: number }, diff: number, diffNAgo: number): number {
  if (diff > 0) state.up += diff;
  else if (diff < 0) state.down -= diff;
  const val = (100 * (state.up - state.down)) / (state.up + state.down);
  if (diffNAgo > 0) state.up -= diffNAgo;
  else state.down += diffNAgo;
  return val;
}

/**
 * Row-to-row changes of a numeric column as Flux takes them: in the column's own integer type
 * (wrapping) for int and uint, then as float; null slots read as 0. `out[0]` is 0.
 */
function changes(c: ColumnData): Float64Array {
  const out = new Float64Array(c.length);
  if (c.type === 'float') {
    for (let i = 1; i < c.length; i++) out[i] = c.values[i]! - c.values[i - 1]!;
  } else if (c.type === 'int') {
    for (let i = 1; i < c.length; i++) out[i] = Number(BigInt.asIntN(64, c.values[i]! - c.values[i - 1]!));
  } else if (c.type === 'uint') {
    for (let i = 1; i < c.length; i++) out[i] = Number(BigInt.asUintN(64, c.values[i]! - c.values[i - 1]!));
  }
  return out;
}

/**
 * Chande momentum oscillator of each listed column over n changes, from row n on (a table with
 * at most n rows gives no rows). Nulls are not skipped: Flux reads them as 0.
 */
const chandeMomentumOscillator: BuiltinSpec = {
  signature: '(<-tables: stream[A], n: int, ?columns: [string]) => stream[B]',
  call(args) {
    const nArg = args.int('n');
    if (nArg <= 0n) throw new CallError(`cannot take chande momentum oscillator with a period of ${nArg} (must be greater than 0)`);
    const n = Number(nArg);
    const labels = args.optStrings('columns') ?? ['_value'];
    return perTable(args, (t) => {
      const targets = numericColumns(t, labels, 'chande momentum oscillator');
      if (t.length <= n) return emptyWithFloats(t, targets);
      const replaced = new Map<number, ColumnData>();
      for (const j of targets) {
        const d = changes(t.columns[j]!);
        const state = { up: 0, down: 0 };
        const values = new Float64Array(t.length - n);
        for (let i = 0; i < t.length; i++) {
          if (i >= n) values[i - n] = nextCmo(state, d[i]!, d[i - n + 1]!);
          else nextCmo(state, d[i]!, 0);
        }
        replaced.set(j, floatColumn({ values, valid: new Uint8Array(values.length).fill(1) }));
      }
      return tailWithFloats(t, n, replaced);
    });
  },
};

/**
 * Wilder-style running average used by relativeStrengthIndex: a plain mean over the first n
 * values, then v/n + avg·(1-1/n). A null advances the position without changing the average.
 */
class RunningAverage {
  value = 0;
  #count = 0;
  #reached = false;
  #i = 0;
  readonly #n: number;
  readonly #k: number;
  constructor(n: number) {
    this.#n = n;
    this.#k = 1 / n;
  }
  add(v: number): void {
    let avg: number;
    if (this.#count === 0) avg = v;
    else if (!this.#reached) avg = (this.value * this.#count + v) / (this.#count + 1);
    else avg = v * this.#k + this.value * (1.0 - this.#k);
    this.value = avg;
    if (this.#count < this.#n) this.#count++;
    this.skip();
  }
  skip(): void {
    if (this.#i === this.#n - 1) this.#reached = true;
    this.#i++;
  }
}

/**
 * Relative strength index of each listed column: 100 - 100/(1 + avgGain/avgLoss), from row n on
 * (null until a value has been seen). The first change is taken against 0, as Flux does. A table
 * with at most n rows gives one row: its last row with the index so far.
 */
const relativeStrengthIndex: BuiltinSpec = {
  signature: '(<-tables: stream[A], n: int, ?columns: [string]) => stream[B]',
  call(args) {
    const nArg = args.int('n');
    if (nArg <= 0n) throw new CallError(`cannot take relative strength index with a period of ${nArg} (must be greater than 0)`);
    const n = Number(nArg);
    const labels = args.optStrings('columns') ?? ['_value'];
    return perTable(args, (t) => {
      const targets = numericColumns(t, labels, 'relative strength index');
      if (t.length === 0) return emptyWithFloats(t, targets);
      const short = t.length <= n;
      const start = short ? t.length - 1 : n;
      const replaced = new Map<number, ColumnData>();
      for (const j of targets) {
        const c = t.columns[j]!;
        const xs = floatsOf(c);
        const up = new RunningAverage(n);
        const down = new RunningAverage(n);
        const values = new Float64Array(t.length - start);
        const valid = new Uint8Array(t.length - start);
        let last: number | null = null;
        const rsi = (): number => 100 - 100 / (1 + up.value / down.value);
        for (let i = 0; i < t.length; i++) {
          if (c.valid === null || (c.valid[i >>> 3]! & (1 << (i & 7))) !== 0) {
            const v = xs[i]!;
            const p = last ?? 0;
            up.add(v > p ? v - p : 0);
            down.add(v < p ? p - v : 0);
            last = v;
          } else {
            up.skip();
            down.skip();
          }
          if (i >= n && last !== null) {
            values[i - n] = rsi();
            valid[i - n] = 1;
          }
        }
        if (short) {
          values[0] = rsi();
          valid[0] = 1;
        }
        replaced.set(j, floatColumn({ values, valid }));
      }
      return tailWithFloats(t, start, replaced);
    });
  },
};

/** 2/(2+1) - 2/(30+1) and 2/(30+1): the fast and slow smoothing constants, each rounded once. */
const SC_SPAN = 56 / 93;
const SC_SLOW = 2 / 31;

/**
 * Kaufman's adaptive moving average of `column` over n points, from row n on: the efficiency
 * ratio |CMO|/100 sets the smoothing between the fast (2 points) and slow (30 points) constants.
 * Nulls read as 0, as in Flux.
 */
const kaufmansAMA: BuiltinSpec = {
  signature: '(<-tables: stream[A], n: int, ?column: string) => stream[B]',
  call(args) {
    const nArg = args.int('n');
    if (nArg <= 0n) throw new CallError(`cannot take KaufmansAMA with a period of ${nArg} (must be greater than 0)`);
    const n = Number(nArg);
    const column = args.stringOr('column', '_value');
    return perTable(args, (t) => {
      const j = t.colIndex(column);
      if (j >= 0 && !isNumeric(t.columns[j]!)) {
        throw new CallError(`cannot take KAMA of column ${column} (type ${t.cols[j]!.type})`);
      }
      if (j < 0) return tailWithFloats(t, n, new Map());
      if (t.length <= n) return emptyWithFloats(t, [j]);
      const xs = floatsOf(t.columns[j]!);
      const ring = new Float64Array(n);
      const state = { up: 0, down: 0 };
      const values = new Float64Array(t.length - n);
      let prev = xs[0]!;
      let kama = 0;
      for (let i = 0; i < t.length; i++) {
        const cur = xs[i]!;
        const diff = cur - prev;
        if (i >= n) {
          const ker = Math.abs(nextCmo(state, diff, ring[(i + 1) % n]!)) / 100.0;
          if (i === n) kama = prev;
          const x = ker * SC_SPAN + SC_SLOW;
          kama = kama + x * x * (cur - kama);
          values[i - n] = kama;
        } else {
          nextCmo(state, diff, 0);
        }
        ring[i % n] = diff;
        prev = cur;
      }
      return tailWithFloats(t, n, new Map([[j, floatColumn({ values, valid: new Uint8Array(values.length).fill(1) })]]));
    });
  },
};

export const momentumBuiltins: Record<string, BuiltinSpec> = { chandeMomentumOscillator, relativeStrengthIndex, kaufmansAMA };
