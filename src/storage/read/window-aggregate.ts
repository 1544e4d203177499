import { invalid } from '../../core/errors.js';
import { floorDiv } from '../../core/time.js';
import { FIELD_TYPE_NAMES, FieldType } from '../../lineprotocol/point.js';
import type { Aggregate, ColumnValues } from '../storage.js';
import type { Column } from './column.js';
import { lowerBound } from './time-search.js';

export interface WindowSpec {
  readonly everyNs: bigint;
  readonly offsetNs: bigint;
}

/** Aggregated rows of one series: one per non-empty window (or one for the whole range). */
export interface AggregateRows {
  readonly type: FieldType;
  readonly timestampsNs: BigInt64Array;
  readonly values: ColumnValues;
  readonly windowStartsNs: BigInt64Array;
  readonly windowStopsNs: BigInt64Array;
}

/**
 * Computes `aggregate` over the points of `col` in `[startNs, stopNs)`, per window when given
 * (windows `[t, t + every)` with `(t - offset) % every == 0`, clipped to the range), straight
 * from the typed arrays: each window's bounds are found by binary search, then one tight loop
 * over the values; no row objects. Empty windows are omitted; returns undefined when no point
 * falls in the range.
 */
export function aggregateColumn(
  col: Column,
  aggregate: Aggregate,
  startNs: bigint,
  stopNs: bigint,
  window: WindowSpec | undefined,
): AggregateRows | undefined {
  checkSupported(aggregate, col.type);
  const ts = col.timestampsNs;
  let i = lowerBound(ts, startNs);
  const end = lowerBound(ts, stopNs, i);
  if (i >= end) return undefined;
  if (window !== undefined && window.everyNs <= 0n) throw invalid('window every must be positive');

  const starts: bigint[] = [];
  const stops: bigint[] = [];
  const rowTs: bigint[] = [];
  const out = new RowValues(aggregate, col.type);
  while (i < end) {
    let ws = startNs;
    let we = stopNs;
    let j = end;
    if (window !== undefined) {
      const t = ts[i]!;
      const wStart = floorDiv(t - window.offsetNs, window.everyNs) * window.everyNs + window.offsetNs;
      const wStop = wStart + window.everyNs;
      ws = wStart > startNs ? wStart : startNs;
      we = wStop < stopNs ? wStop : stopNs;
      j = lowerBound(ts, we, i, end);
    }
    const at = out.add(col.values, i, j);
    starts.push(ws);
    stops.push(we);
    rowTs.push(at < 0 ? we : ts[at]!);
    i = j;
  }
  return {
    type: out.outType,
    timestampsNs: BigInt64Array.from(rowTs),
    values: out.finish(),
    windowStartsNs: BigInt64Array.from(starts),
    windowStopsNs: BigInt64Array.from(stops),
  };
}

function checkSupported(aggregate: Aggregate, type: FieldType): void {
  const numeric = type === FieldType.Float || type === FieldType.Integer || type === FieldType.Unsigned;
  if (!numeric && (aggregate === 'sum' || aggregate === 'mean' || aggregate === 'min' || aggregate === 'max')) {
    throw invalid(`unsupported aggregate ${aggregate} for field type ${FIELD_TYPE_NAMES[type]}`);
  }
}

/** Output type of `aggregate` over a field of `type` (SeriesBatch contract in storage.ts). */
export function aggregateType(aggregate: Aggregate, type: FieldType): FieldType {
  if (aggregate === 'count') return FieldType.Integer;
  if (aggregate === 'mean') return FieldType.Float;
  return type;
}

/** Accumulates one value per window; `add` returns the index of the selected point, or -1. */
class RowValues {
  readonly outType: FieldType;
  private readonly nums: number[] = [];
  private readonly bigs: bigint[] = [];
  private readonly strs: string[] = [];

  constructor(
    private readonly aggregate: Aggregate,
    private readonly type: FieldType,
  ) {
    this.outType = aggregateType(aggregate, type);
  }

  add(values: ColumnValues, from: number, to: number): number {
    switch (this.aggregate) {
      case 'count':
        this.bigs.push(BigInt(to - from));
        return -1;
      case 'first':
        this.push(values, from);
        return from;
      case 'last':
        this.push(values, to - 1);
        return to - 1;
      case 'sum':
      case 'mean': {
        if (this.type === FieldType.Float) {
          const v = values as Float64Array;
          let s = 0;
          for (let k = from; k < to; k++) s += v[k]!;
          if (this.aggregate === 'mean') this.nums.push(s / (to - from));
          else this.nums.push(s);
        } else {
          const v = values as BigInt64Array | BigUint64Array;
          let s = 0n;
          for (let k = from; k < to; k++) s += v[k]!;
          if (this.aggregate === 'mean') this.nums.push(Number(s) / (to - from));
          else this.bigs.push(s);
        }
        return -1;
      }
      case 'min':
      case 'max': {
        const v = values as Float64Array | BigInt64Array | BigUint64Array;
        const wantMin = this.aggregate === 'min';
        let best = from;
        for (let k = from + 1; k < to; k++) {
          if (wantMin ? v[k]! < v[best]! : v[k]! > v[best]!) best = k;
        }
        this.push(values, best);
        return best;
      }
    }
  }

  private push(values: ColumnValues, k: number): void {
    switch (this.type) {
      case FieldType.Float:
      case FieldType.Boolean:
        this.nums.push((values as Float64Array | Uint8Array)[k]!);
        break;
      case FieldType.Integer:
      case FieldType.Unsigned:
        this.bigs.push((values as BigInt64Array)[k]!);
        break;
      case FieldType.String:
        this.strs.push((values as string[])[k]!);
        break;
    }
  }

  finish(): ColumnValues {
    switch (this.outType) {
      case FieldType.Float:
        return Float64Array.from(this.nums);
      case FieldType.Boolean:
        return Uint8Array.from(this.nums);
      case FieldType.Integer:
        return BigInt64Array.from(this.bigs.map((b) => BigInt.asIntN(64, b)));
      case FieldType.Unsigned:
        return BigUint64Array.from(this.bigs.map((b) => BigInt.asUintN(64, b)));
      case FieldType.String:
        return this.strs;
    }
  }
}
