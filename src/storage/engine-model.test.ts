import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FakeClock } from '../core/clock.js';
import { floorDiv } from '../core/time.js';
import { FieldType } from '../lineprotocol/point.js';
import { Engine } from './engine.js';
import { PointBuilder } from './head/point-builder.js';
import type { Aggregate, Predicate, ValueSelector } from './storage.js';

/**
 * Model-based property test: random sequences of writes, deletes, flushes, compactions,
 * restarts and clock advances (retention) run against the engine and against a plain Map model;
 * after every sequence raw reads, push-down aggregates (vs. aggregating the model's rows in JS)
 * and schema listings must agree.
 */

const S = 1_000_000_000n;
const T0 = 1_767_225_600n * S;
const SHARD_NS = 10n * S;
const RETENTION_NS = 60n * S;
const B = 'bucket';
const HOSTS = ['a', 'b', 'c'] as const;
const FIELDS = ['f', 'g'] as const;

type Value = { type: FieldType; v: number | bigint };
type Op =
  | { kind: 'write'; points: { h: string; field: string; sec: number; int: boolean; v: number }[] }
  | { kind: 'delete'; from: number; to: number; host?: string; field?: string }
  | { kind: 'flush' }
  | { kind: 'compact' }
  | { kind: 'reopen' }
  | { kind: 'advance'; sec: number }
  | { kind: 'read' };

class Model {
  /** `${h}|${field}` → ts → value */
  readonly data = new Map<string, Map<bigint, Value>>();
  /** `${partitionStart}|${field}` → type */
  readonly types = new Map<string, FieldType>();

  write(points: { h: string; field: string; ts: bigint; value: Value }[], nowNs: bigint): number[] {
    const rejected: number[] = [];
    points.forEach((p, i) => {
      if (p.ts < nowNs - RETENTION_NS) return rejected.push(i);
      const tk = `${floorDiv(p.ts, SHARD_NS)}|${p.field}`;
      const t = this.types.get(tk);
      if (t !== undefined && t !== p.value.type) return rejected.push(i);
      this.types.set(tk, p.value.type);
      const key = `${p.h}|${p.field}`;
      if (!this.data.has(key)) this.data.set(key, new Map());
      this.data.get(key)!.set(p.ts, p.value);
      return undefined;
    });
    return rejected;
  }

  delete(startNs: bigint, stopNs: bigint, host: string | undefined, field: string | undefined): void {
    for (const [key, m] of this.data) {
      const [h, f] = key.split('|');
      if ((host !== undefined && h !== host) || (field !== undefined && f !== field)) continue;
      for (const ts of [...m.keys()]) if (ts >= startNs && ts <= stopNs) m.delete(ts);
    }
  }

  expire(nowNs: bigint): void {
    const cutoff = nowNs - RETENTION_NS;
    for (const m of this.data.values()) {
      for (const ts of [...m.keys()]) if (floorDiv(ts, SHARD_NS) * SHARD_NS + SHARD_NS <= cutoff) m.delete(ts);
    }
    for (const k of [...this.types.keys()]) {
      const start = BigInt(k.split('|')[0]!) * SHARD_NS;
      if (start + SHARD_NS <= cutoff) this.types.delete(k);
    }
  }

  /** Sorted rows of one series. */
  rows(key: string): [bigint, Value][] {
    return [...(this.data.get(key) ?? new Map<bigint, Value>())].sort((a, b) => (a[0] < b[0] ? -1 : 1));
  }
}

function fmt(v: number | bigint): string {
  return typeof v === 'bigint' ? `${v}i` : String(v);
}

/** Flux-style window aggregate over rows in JS, split into runs of one type like the engine. */
function referenceAggregate(rows: [bigint, Value][], agg: Aggregate, startNs: bigint, stopNs: bigint, everyNs: bigint, offsetNs: bigint): string[] {
  const out: string[] = [];
  const inRange = rows.filter(([t]) => t >= startNs && t < stopNs);
  const runs: [bigint, Value][][] = [];
  for (const r of inRange) {
    const last = runs[runs.length - 1];
    if (last !== undefined && last[0]![1].type === r[1].type) last.push(r);
    else runs.push([r]);
  }
  for (const run of runs) {
    const windows = new Map<bigint, [bigint, Value][]>();
    for (const r of run) {
      const ws = floorDiv(r[0] - offsetNs, everyNs) * everyNs + offsetNs;
      if (!windows.has(ws)) windows.set(ws, []);
      windows.get(ws)!.push(r);
    }
    for (const [ws, pts] of windows) {
      const start = ws > startNs ? ws : startNs;
      const stop = ws + everyNs < stopNs ? ws + everyNs : stopNs;
      const isInt = pts[0]![1].type === FieldType.Integer;
      let ts = stop;
      let value: number | bigint;
      switch (agg) {
        case 'count':
          value = BigInt(pts.length);
          break;
        case 'sum':
          value = isInt ? pts.reduce((s, p) => s + (p[1].v as bigint), 0n) : pts.reduce((s, p) => s + (p[1].v as number), 0);
          break;
        case 'mean':
          value = isInt ? Number(pts.reduce((s, p) => s + (p[1].v as bigint), 0n)) / pts.length : pts.reduce((s, p) => s + (p[1].v as number), 0) / pts.length;
          break;
        case 'first':
          [ts, { v: value }] = pts[0]!;
          break;
        case 'last':
          [ts, { v: value }] = pts[pts.length - 1]!;
          break;
        case 'min':
        case 'max': {
          let best = pts[0]!;
          for (const p of pts) if (agg === 'min' ? p[1].v < best[1].v : p[1].v > best[1].v) best = p;
          [ts, { v: value }] = best;
          break;
        }
      }
      out.push(`${start}-${stop}@${ts}=${fmt(value)}`);
    }
  }
  return out;
}

const opArb: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({
      kind: fc.constant('write' as const),
      points: fc.array(
        fc.record({
          h: fc.constantFrom(...HOSTS),
          field: fc.constantFrom(...FIELDS),
          sec: fc.integer({ min: 0, max: 119 }),
          int: fc.boolean(),
          v: fc.integer({ min: -20, max: 20 }),
        }),
        { minLength: 1, maxLength: 12 },
      ),
    }),
  },
  {
    weight: 2,
    arbitrary: fc
      .record({
        kind: fc.constant('delete' as const),
        from: fc.integer({ min: 0, max: 119 }),
        len: fc.integer({ min: 0, max: 30 }),
        host: fc.option(fc.constantFrom(...HOSTS), { nil: undefined }),
        field: fc.option(fc.constantFrom(...FIELDS), { nil: undefined }),
      })
      .map(({ kind, from, len, host, field }) => ({ kind, from, to: from + len, host, field })),
  },
  { weight: 2, arbitrary: fc.constant({ kind: 'flush' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'compact' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'reopen' as const }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('advance' as const), sec: fc.integer({ min: 1, max: 25 }) }) },
  { weight: 2, arbitrary: fc.constant({ kind: 'read' as const }) },
  {
    // A point every second for a while: blocks with several points per window (what window
    // aggregates are kept for).
    weight: 4,
    arbitrary: fc
      .record({ h: fc.constantFrom(...HOSTS), field: fc.constantFrom(...FIELDS), from: fc.integer({ min: 0, max: 100 }), n: fc.integer({ min: 8, max: 40 }), v: fc.integer({ min: -20, max: 20 }) })
      .map(({ h, field, from, n, v }) => ({
        kind: 'write' as const,
        points: Array.from({ length: n }, (_, i) => ({ h, field, sec: Math.min(119, from + i), int: false, v: v + i })),
      })),
  },
);

async function check(ops: Op[], compactionBudgetValues: number, readCacheBytes?: number): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'sluice-model-'));
  const clock = new FakeClock(Number((T0 + 60n * S) / 1_000_000n));
  const open = (): Promise<Engine> =>
    Engine.open({ dataDir: dir, clock, fsync: false, maintenanceIntervalMs: 3_600_000, compactionBudgetValues, ...(readCacheBytes === undefined ? {} : { readCacheBytes }) });
  let engine = await open();
  const pb = new PointBuilder();
  const model = new Model();
  try {
    await engine.ensureBucket({ bucketId: B, retentionNs: RETENTION_NS, shardGroupDurationNs: SHARD_NS });
    for (const op of ops) {
      switch (op.kind) {
        case 'write': {
          const pts = op.points.map((p) => ({
            h: p.h,
            field: p.field,
            ts: T0 + BigInt(p.sec) * S,
            value: p.int ? { type: FieldType.Integer, v: BigInt(p.v) } : { type: FieldType.Float, v: p.v / 4 },
          }));
          const want = model.write(pts, clock.nowNs());
          const r = await engine.write(B, pts.map((p) => pb.point('m', { h: p.h }, { [p.field]: p.value.v }, p.ts)));
          expect(r.rejected.map((x) => x.index)).toEqual(want);
          break;
        }
        case 'delete': {
          const eq = (key: string, value: string): Predicate => ({ kind: 'compare', key, op: '==', value });
          let predicate: Predicate | undefined;
          if (op.host !== undefined) predicate = eq('h', op.host);
          if (op.field !== undefined) predicate = predicate === undefined ? eq('_field', op.field) : { kind: 'and', left: predicate, right: eq('_field', op.field) };
          model.delete(T0 + BigInt(op.from) * S, T0 + BigInt(op.to) * S, op.host, op.field);
          await engine.delete({ bucketId: B, startNs: T0 + BigInt(op.from) * S, stopNs: T0 + BigInt(op.to) * S, ...(predicate === undefined ? {} : { predicate }) });
          break;
        }
        case 'flush':
          await engine.flush();
          break;
        case 'compact':
          await engine.compact();
          break;
        case 'reopen':
          await engine.close();
          engine = await open();
          break;
        case 'advance':
          clock.advance(op.sec * 1000);
          engine.enforceRetention();
          model.expire(clock.nowNs());
          break;
        case 'read':
          // Reads between changes: window aggregates kept with cached blocks (window-memo.ts)
          // must not outlive the data they were computed from.
          await compareWindows(engine, model);
          break;
      }
    }
    await compare(engine, model);
  } finally {
    await engine.close();
    await rm(dir, { recursive: true, force: true });
  }
}

async function compare(engine: Engine, model: Model): Promise<void> {
  const startNs = T0 - 100n * S;
  const stopNs = T0 + 200n * S;
  const raw: string[] = [];
  for await (const b of engine.read({ bucketId: B, startNs, stopNs })) {
    for (let i = 0; i < b.timestampsNs.length; i++) raw.push(`${b.tags[0]![1]}|${b.field}@${(b.timestampsNs[i]! - T0) / S}=${fmt(b.values[i] as number | bigint)}`);
  }
  const want: string[] = [];
  for (const h of HOSTS) for (const f of FIELDS) for (const [ts, v] of model.rows(`${h}|${f}`)) want.push(`${h}|${f}@${(ts - T0) / S}=${fmt(v.v)}`);
  expect(raw).toEqual(want);

  // Value-filtered raw reads: the pushed filter keeps exactly the model's rows that pass (float
  // columns: values above a threshold; integer columns are not decided, so they come whole), over
  // the whole range and a range cutting into the data, and never yields an empty batch.
  const cuts = [[startNs, stopNs], [T0 + 3n * S, T0 + 100n * S], [T0 + 5n * S, T0 + 66n * S], [T0 + 14n * S, T0 + 47n * S], [T0 + 22n * S, T0 + 28n * S]] as const;
  for (const [from, to] of cuts) {
    const threshold = 0.5;
    const filtered: string[] = [];
    for await (const b of engine.read({ bucketId: B, startNs: from, stopNs: to, valueFilter: aboveForFloats(threshold) })) {
      expect(b.timestampsNs.length).toBeGreaterThan(0);
      expect(b.values.length).toBe(b.timestampsNs.length);
      for (let i = 0; i < b.timestampsNs.length; i++) filtered.push(`${b.tags[0]![1]}|${b.field}@${(b.timestampsNs[i]! - T0) / S}=${fmt(b.values[i] as number | bigint)}`);
    }
    const passing: string[] = [];
    for (const h of HOSTS) {
      for (const f of FIELDS) {
        for (const [ts, v] of model.rows(`${h}|${f}`)) {
          if (ts < from || ts >= to || (v.type === FieldType.Float && !((v.v as number) > threshold))) continue;
          passing.push(`${h}|${f}@${(ts - T0) / S}=${fmt(v.v)}`);
        }
      }
    }
    expect(filtered).toEqual(passing);
  }

  const aggStart = T0 + 3n * S;
  const aggStop = T0 + 100n * S;
  for (const agg of ['count', 'sum', 'mean', 'min', 'max', 'first', 'last'] as const) {
    const got: string[] = [];
    for await (const b of engine.read({ bucketId: B, startNs: aggStart, stopNs: aggStop, aggregate: agg, window: { everyNs: 7n * S, offsetNs: 2n * S } })) {
      for (let i = 0; i < b.timestampsNs.length; i++) {
        got.push(`${b.tags[0]![1]}|${b.field} ${b.windowStartsNs![i]}-${b.windowStopsNs![i]}@${b.timestampsNs[i]}=${fmt(b.values[i] as number | bigint)}`);
      }
    }
    const exp: string[] = [];
    for (const h of HOSTS) {
      for (const f of FIELDS) {
        for (const r of referenceAggregate(model.rows(`${h}|${f}`), agg, aggStart, aggStop, 7n * S, 2n * S)) exp.push(`${h}|${f} ${r}`);
      }
    }
    expect(got, agg).toEqual(exp);

    // Without a window: one row over the whole range (count/first/last may come from metadata).
    const whole: string[] = [];
    for await (const b of engine.read({ bucketId: B, startNs: aggStart, stopNs: aggStop, aggregate: agg })) {
      for (let i = 0; i < b.timestampsNs.length; i++) {
        whole.push(`${b.tags[0]![1]}|${b.field} ${b.windowStartsNs![i]}-${b.windowStopsNs![i]}@${b.timestampsNs[i]}=${fmt(b.values[i] as number | bigint)}`);
      }
    }
    const wholeExp: string[] = [];
    for (const h of HOSTS) {
      for (const f of FIELDS) {
        for (const r of referenceAggregate(model.rows(`${h}|${f}`), agg, aggStart, aggStop, 10n ** 15n, aggStart)) wholeExp.push(`${h}|${f} ${r}`);
      }
    }
    expect(whole, `${agg} over the whole range`).toEqual(wholeExp);
  }

  await compareWindows(engine, model);

  const hosts = HOSTS.filter((h) => FIELDS.some((f) => model.rows(`${h}|${f}`).length > 0));
  expect(await engine.tagValues({ bucketId: B, startNs, stopNs, tagKey: 'h' })).toEqual(hosts);
}

/**
 * Window aggregates with windows of whole partitions and of halves of them (so that blocks hold
 * several points per window and get their windows kept, window-memo.ts), over ranges covering
 * whole partitions and cutting into them, each read twice (the second from what the first kept).
 */
async function compareWindows(engine: Engine, model: Model): Promise<void> {
  const cuts = [[T0 - 100n * S, T0 + 200n * S], [T0 + 10n * S, T0 + 60n * S], [T0 + 3n * S, T0 + 58n * S], [T0 + 12n * S, T0 + 19n * S]] as const;
  for (const everyNs of [SHARD_NS, SHARD_NS / 2n]) {
    for (const agg of ['count', 'mean', 'max', 'last'] as const) {
      for (const [from, to] of cuts) {
        const exp: string[] = [];
        for (const h of HOSTS) {
          for (const f of FIELDS) for (const r of referenceAggregate(model.rows(`${h}|${f}`), agg, from, to, everyNs, 0n)) exp.push(`${h}|${f} ${r}`);
        }
        for (let pass = 0; pass < 2; pass++) {
          const got: string[] = [];
          for await (const b of engine.read({ bucketId: B, startNs: from, stopNs: to, aggregate: agg, window: { everyNs, offsetNs: 0n } })) {
            for (let i = 0; i < b.timestampsNs.length; i++) {
              got.push(`${b.tags[0]![1]}|${b.field} ${b.windowStartsNs![i]}-${b.windowStopsNs![i]}@${b.timestampsNs[i]}=${fmt(b.values[i] as number | bigint)}`);
            }
          }
          expect(got, `${agg} every ${everyNs} over [${from}, ${to}), pass ${pass}`).toEqual(exp);
        }
      }
    }
  }
}

/** Keeps float values above `threshold`; any other type is left whole (-1), as a selector may. */
function aboveForFloats(threshold: number): ValueSelector {
  return {
    select(type, values, keep) {
      if (keep.length < values.length) throw new Error(`keep has room for ${keep.length} of ${values.length}`);
      if (type !== FieldType.Float) return -1;
      const v = values as Float64Array;
      let m = 0;
      for (let i = 0; i < v.length; i++) if (v[i]! > threshold) keep[m++] = i;
      return m;
    },
    mayKeep: (type, _min, max) => type !== FieldType.Float || (max as number) > threshold,
  };
}

describe('Engine against a model', () => {
  it('agrees on reads after random writes, deletes, flushes, compactions, restarts and retention', async () => {
    await fc.assert(
      // Without a read cache, reads of part of an entry decode chunks (and value filters skip some).
      fc.asyncProperty(fc.array(opArb, { minLength: 1, maxLength: 25 }), fc.constantFrom(6, 20, 1_000_000), fc.constantFrom(undefined, 0), async (ops, budget, cache) =>
        check(ops, budget, cache),
      ),
      { numRuns: Number(process.env.STORAGE_MODEL_RUNS ?? 60) },
    );
  }, 120_000);
});
