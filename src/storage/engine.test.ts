import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../core/clock.js';
import { FieldType } from '../lineprotocol/point.js';
import { Engine } from './engine.js';
import { PointBuilder } from './head/point-builder.js';
import type { Predicate, ReadRequest, SeriesBatch } from './storage.js';

const S = 1_000_000_000n;
const T0 = 1_767_225_600n * S; // 2026-01-01T00:00:00Z
const B = 'bucket01';

let dir: string;
let clock: FakeClock;
let engine: Engine;
let pb: PointBuilder;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sluice-engine-'));
  clock = new FakeClock(Number((T0 + 3600n * S) / 1_000_000n));
  engine = await Engine.open({ dataDir: dir, clock, fsync: false });
  await engine.ensureBucket({ bucketId: B, retentionNs: 0n, shardGroupDurationNs: 0n });
  pb = new PointBuilder();
});

afterEach(async () => {
  await engine.close();
  await rm(dir, { recursive: true, force: true });
});

async function collect(req: Partial<ReadRequest> = {}): Promise<SeriesBatch[]> {
  const out: SeriesBatch[] = [];
  for await (const b of engine.read({ bucketId: B, startNs: T0, stopNs: T0 + 3600n * S, ...req })) out.push(b);
  return out;
}

/** Batches as plain rows for readable assertions. */
function rows(batches: SeriesBatch[]): string[] {
  const out: string[] = [];
  for (const b of batches) {
    const tags = b.tags.map(([k, v]) => `${k}=${v}`).join(',');
    for (let i = 0; i < b.timestampsNs.length; i++) {
      const t = (b.timestampsNs[i]! - T0) / S;
      out.push(`${b.measurement}{${tags}}.${b.field}@${t}=${String(b.values[i])}`);
    }
  }
  return out;
}

describe('Engine write and raw read', () => {
  it('stores points per field series and reads them back in series-key order', async () => {
    const r = await engine.write(B, [
      pb.point('cpu', { host: 'b' }, { usage: 2.5, n: 3n }, T0 + 2n * S),
      pb.point('cpu', { host: 'a' }, { usage: 1.5 }, T0 + 1n * S),
      pb.point('cpu', { host: 'a' }, { usage: 0.5 }, T0),
    ]);
    expect(r).toEqual({ accepted: 3, rejected: [], values: 4 });
    expect(rows(await collect())).toEqual([
      'cpu{host=a}.usage@0=0.5',
      'cpu{host=a}.usage@1=1.5',
      'cpu{host=b}.n@2=3',
      'cpu{host=b}.usage@2=2.5',
    ]);
  });

  it('keeps the last write of a series, field and timestamp, across and within batches', async () => {
    await engine.write(B, [pb.point('m', {}, { f: 1 }, T0), pb.point('m', {}, { f: 2 }, T0)]);
    await engine.write(B, [pb.point('m', {}, { f: 3 }, T0 + S), pb.point('m', {}, { g: 9 }, T0)]);
    await engine.write(B, [pb.point('m', {}, { f: 4 }, T0 + S)]);
    expect(rows(await collect())).toEqual(['m{}.f@0=2', 'm{}.f@1=4', 'm{}.g@0=9']);
  });

  it('reads each value type into its column type', async () => {
    await engine.write(B, [
      pb.typed('m', {}, [
        ['f', FieldType.Float, 1.25],
        ['i', FieldType.Integer, -7n],
        ['u', FieldType.Unsigned, 18446744073709551615n],
        ['s', FieldType.String, 'hi'],
        ['b', FieldType.Boolean, true],
      ], T0),
    ]);
    const byField = Object.fromEntries((await collect()).map((b) => [b.field, b]));
    expect(byField.f!.values).toEqual(new Float64Array([1.25]));
    expect(byField.i!.values).toEqual(new BigInt64Array([-7n]));
    expect(byField.u!.values).toEqual(new BigUint64Array([18446744073709551615n]));
    expect(byField.s!.values).toEqual(['hi']);
    expect(byField.b!.values).toEqual(new Uint8Array([1]));
    expect(byField.u!.type).toBe(FieldType.Unsigned);
  });

  it('restricts reads to [start, stop)', async () => {
    await engine.write(B, [0n, 1n, 2n, 3n].map((s) => pb.point('m', {}, { f: Number(s) }, T0 + s * S)));
    expect(rows(await collect({ startNs: T0 + S, stopNs: T0 + 3n * S }))).toEqual(['m{}.f@1=1', 'm{}.f@2=2']);
  });

  it('rejects writes to an unknown bucket', async () => {
    await expect(engine.write('nope', [pb.point('m', {}, { f: 1 }, T0)])).rejects.toMatchObject({ code: 'not found' });
  });
});

describe('Engine write rejections', () => {
  const cases: { name: string; setup?: (pb: PointBuilder) => ReturnType<PointBuilder['point']>[]; batch: (pb: PointBuilder) => ReturnType<PointBuilder['point']>[]; accepted: number; reasons: [number, string][] }[] = [
    {
      name: 'type conflict with stored data of the measurement (another series)',
      setup: (pb) => [pb.point('m', { h: 'a' }, { f: 1.5 }, T0)],
      batch: (pb) => [pb.point('m', { h: 'b' }, { f: 2n }, T0), pb.point('m', { h: 'b' }, { g: 2n }, T0)],
      accepted: 1,
      reasons: [[0, 'field type conflict: input field "f" on measurement "m" is type integer, already exists as type float']],
    },
    {
      name: 'type conflict inside one batch: the first type wins',
      batch: (pb) => [pb.point('m', {}, { f: 'x' }, T0), pb.point('m', {}, { f: true }, T0 + S)],
      accepted: 1,
      reasons: [[1, 'field type conflict: input field "f" on measurement "m" is type boolean, already exists as type string']],
    },
    {
      name: 'a point whose only field is time',
      batch: (pb) => [pb.point('m', {}, { time: 1 }, T0), pb.point('m', {}, { time: 1, f: 1 }, T0)],
      accepted: 1,
      reasons: [[0, 'invalid field name: input field "time" on measurement "m" is invalid']],
    },
    {
      name: 'a string over 1 MiB',
      batch: (pb) => [pb.point('m', {}, { s: 'x'.repeat(1_048_577) }, T0)],
      accepted: 0,
      reasons: [[0, 'input field "s" on measurement "m" is too long, 1048577 > 1048576']],
    },
  ];
  it.each(cases)('$name', async ({ setup, batch, accepted, reasons }) => {
    if (setup !== undefined) await engine.write(B, setup(pb));
    const r = await engine.write(B, batch(pb));
    expect(r.accepted).toBe(accepted);
    expect(r.rejected.map((x) => [x.index, x.reason])).toEqual(reasons);
  });

  it('accepts another type for the same field in another shard group', async () => {
    await engine.write(B, [pb.point('m', {}, { f: 1.5 }, T0)]);
    const r = await engine.write(B, [pb.point('m', {}, { f: 2n }, T0 - 8n * 24n * 3600n * S)]);
    expect(r.rejected).toEqual([]);
  });

  it('strips a field named time and stores the others', async () => {
    const r = await engine.write(B, [pb.point('m', {}, { time: 5, f: 1 }, T0)]);
    expect(r).toEqual({ accepted: 1, rejected: [], values: 1 });
    expect(rows(await collect())).toEqual(['m{}.f@0=1']);
  });

  it('drops points older than the retention period with InfluxDB\'s reason', async () => {
    await engine.ensureBucket({ bucketId: 'r', retentionNs: 3600n * S, shardGroupDurationNs: 0n });
    const now = clock.nowNs();
    const r = await engine.write('r', [
      pb.point('m', {}, { f: 1 }, now - 7200n * S),
      pb.point('m', {}, { f: 1 }, now),
      pb.point('m', {}, { f: 1 }, now - 5400n * S),
    ]);
    expect(r.accepted).toBe(1);
    expect(r.rejected.map((x) => x.index)).toEqual([0, 2]);
    expect(r.rejected[0]!.reason).toBe(
      'dropped 2 points outside retention policy of duration 1h0m0s - oldest point 2025-12-31T23:00:00Z dropped because it ' +
        'violates a Retention Policy Lower Bound at 2026-01-01T00:00:00Z, newest point 2025-12-31T23:30:00Z dropped because ' +
        'it violates a Retention Policy Lower Bound at 2026-01-01T00:00:00Z',
    );
  });
});

describe('Engine predicates', () => {
  beforeEach(async () => {
    await engine.write(B, [
      pb.point('cpu', { host: 'a', dc: 'x' }, { u: 1 }, T0),
      pb.point('cpu', { host: 'b' }, { u: 2, s: 3 }, T0),
      pb.point('mem', { host: 'a' }, { free: 4 }, T0),
    ]);
  });
  const eq = (key: string, value: string): Predicate => ({ kind: 'compare', key, op: '==', value });
  const cases: { name: string; p: Predicate; want: string[] }[] = [
    { name: '== on a tag', p: eq('host', 'a'), want: ['cpu{dc=x,host=a}.u@0=1', 'mem{host=a}.free@0=4'] },
    { name: '!= matches series without the tag', p: { kind: 'compare', key: 'dc', op: '!=', value: 'x' }, want: ['cpu{host=b}.s@0=3', 'cpu{host=b}.u@0=2', 'mem{host=a}.free@0=4'] },
    { name: '== "" matches a missing tag', p: eq('dc', ''), want: ['cpu{host=b}.s@0=3', 'cpu{host=b}.u@0=2', 'mem{host=a}.free@0=4'] },
    { name: '_measurement and _field', p: { kind: 'and', left: eq('_measurement', 'cpu'), right: eq('_field', 'u') }, want: ['cpu{dc=x,host=a}.u@0=1', 'cpu{host=b}.u@0=2'] },
    { name: '=~', p: { kind: 'regex', key: '_field', op: '=~', pattern: /^(s|free)$/ }, want: ['cpu{host=b}.s@0=3', 'mem{host=a}.free@0=4'] },
    { name: '!~', p: { kind: 'regex', key: 'host', op: '!~', pattern: /a/ }, want: ['cpu{host=b}.s@0=3', 'cpu{host=b}.u@0=2'] },
    { name: 'or', p: { kind: 'or', left: eq('dc', 'x'), right: eq('_field', 'free') }, want: ['cpu{dc=x,host=a}.u@0=1', 'mem{host=a}.free@0=4'] },
    { name: 'not', p: { kind: 'not', operand: eq('_measurement', 'cpu') }, want: ['mem{host=a}.free@0=4'] },
    { name: 'unknown value', p: eq('host', 'zzz'), want: [] },
  ];
  it.each(cases)('$name', async ({ p, want }) => {
    expect(rows(await collect({ predicate: p }))).toEqual(want);
  });

  it('lists schema per predicate and time range', async () => {
    const req = { bucketId: B, startNs: T0, stopNs: T0 + S };
    expect(await engine.measurements(req)).toEqual(['cpu', 'mem']);
    expect(await engine.tagKeys({ ...req, predicate: eq('_measurement', 'cpu') })).toEqual(['dc', 'host']);
    expect(await engine.tagValues({ ...req, tagKey: 'host' })).toEqual(['a', 'b']);
    expect(await engine.tagValues({ ...req, tagKey: '_field', predicate: eq('host', 'b') })).toEqual(['s', 'u']);
    expect(await engine.fieldKeys({ ...req, predicate: eq('_measurement', 'cpu') })).toEqual([
      { key: 's', type: FieldType.Float },
      { key: 'u', type: FieldType.Float },
    ]);
    expect(await engine.cardinality(req)).toBe(4);
    expect(await engine.measurements({ ...req, startNs: T0 + S, stopNs: T0 + 2n * S })).toEqual([]);
  });
});

describe('Engine push-down aggregates', () => {
  beforeEach(async () => {
    // 0..9 s, value = second; plus an integer field.
    const pts = [];
    for (let s = 0n; s < 10n; s++) pts.push(pb.point('m', {}, { f: Number(s), i: s * 10n }, T0 + s * S));
    await engine.write(B, pts);
  });
  const win = { everyNs: 4n * S, offsetNs: 0n };
  const cases: { name: string; req: Partial<ReadRequest>; field: string; want: [bigint, bigint, bigint, string][] }[] = [
    { name: 'count per window', req: { aggregate: 'count', window: win }, field: 'f', want: [[0n, 4n, 4n, '4'], [4n, 8n, 8n, '4'], [8n, 12n, 12n, '2']] },
    { name: 'mean per window', req: { aggregate: 'mean', window: win }, field: 'f', want: [[0n, 4n, 4n, '1.5'], [4n, 8n, 8n, '5.5'], [8n, 12n, 12n, '8.5']] },
    { name: 'sum of integers keeps the type', req: { aggregate: 'sum', window: win }, field: 'i', want: [[0n, 4n, 4n, '60'], [4n, 8n, 8n, '220'], [8n, 12n, 12n, '170']] },
    { name: 'max selects the point time', req: { aggregate: 'max', window: win }, field: 'f', want: [[0n, 4n, 3n, '3'], [4n, 8n, 7n, '7'], [8n, 12n, 9n, '9']] },
    { name: 'first with an offset window clipped to the range', req: { aggregate: 'first', window: { everyNs: 4n * S, offsetNs: 1n * S }, startNs: T0 + 2n * S }, field: 'f', want: [[2n, 5n, 2n, '2'], [5n, 9n, 5n, '5'], [9n, 12n, 9n, '9']] },
    { name: 'last over the whole range', req: { aggregate: 'last', stopNs: T0 + 12n * S }, field: 'f', want: [[0n, 12n, 9n, '9']] },
    { name: 'min over the whole range', req: { aggregate: 'min' }, field: 'i', want: [[0n, 12n, 0n, '0']] },
    {
      name: 'count per overlapping window (period 6 s every 4 s)',
      req: { aggregate: 'count', window: { everyNs: 4n * S, offsetNs: 0n, periodNs: 6n * S } },
      field: 'f',
      want: [[0n, 2n, 2n, '2'], [0n, 6n, 6n, '6'], [4n, 10n, 10n, '6'], [8n, 12n, 12n, '2']],
    },
  ];
  it.each(cases)('$name', async ({ req, field, want }) => {
    const batches = await collect({ stopNs: T0 + 12n * S, ...req, predicate: { kind: 'compare', key: '_field', op: '==', value: field } });
    expect(batches).toHaveLength(1);
    const b = batches[0]!;
    const got = Array.from(b.timestampsNs, (t, k) => [(b.windowStartsNs![k]! - T0) / S, (b.windowStopsNs![k]! - T0) / S, (t - T0) / S, String(b.values[k])]);
    expect(got).toEqual(want);
  });

  it('refuses windows a point would fall in more than 1,000 of, and non-positive ones', async () => {
    const read = (window: ReadRequest['window']): Promise<unknown> => collect({ stopNs: T0 + 12n * S, aggregate: 'count', window });
    await expect(read({ everyNs: 1n, offsetNs: 0n, periodNs: 1001n })).rejects.toThrow(/at most 1000 times every/);
    await expect(read({ everyNs: 4n * S, offsetNs: 0n, periodNs: 0n })).rejects.toThrow(/must be positive/);
    await expect(read({ everyNs: 1n, offsetNs: 0n, periodNs: 1000n })).resolves.toBeDefined();
  });

  it('rejects mean over strings', async () => {
    await engine.write(B, [pb.point('s', {}, { v: 'x' }, T0)]);
    await expect(collect({ aggregate: 'mean', predicate: { kind: 'compare', key: '_measurement', op: '==', value: 's' } })).rejects.toMatchObject({ code: 'invalid' });
  });
});

describe('Engine delete', () => {
  it('removes points in the inclusive range of matching series only', async () => {
    await engine.write(B, [0n, 1n, 2n, 3n].flatMap((s) => [pb.point('m', { h: 'a' }, { f: Number(s) }, T0 + s * S), pb.point('m', { h: 'b' }, { f: Number(s) }, T0 + s * S)]));
    await engine.delete({ bucketId: B, startNs: T0 + S, stopNs: T0 + 2n * S, predicate: { kind: 'compare', key: 'h', op: '==', value: 'a' } });
    expect(rows(await collect())).toEqual(['m{h=a}.f@0=0', 'm{h=a}.f@3=3', 'm{h=b}.f@0=0', 'm{h=b}.f@1=1', 'm{h=b}.f@2=2', 'm{h=b}.f@3=3']);
  });

  it('does not affect data written after the delete', async () => {
    await engine.write(B, [pb.point('m', {}, { f: 1 }, T0)]);
    await engine.delete({ bucketId: B, startNs: T0, stopNs: T0 });
    await engine.write(B, [pb.point('m', {}, { f: 2 }, T0)]);
    expect(rows(await collect())).toEqual(['m{}.f@0=2']);
  });

  it('takes effect in all partitions of a series at once, blocks and head alike', async () => {
    // One series over three shard groups: two in blocks (tombstone files), one in the live head.
    await engine.ensureBucket({ bucketId: 'p', retentionNs: 0n, shardGroupDurationNs: 60n * S });
    const at = (s: bigint): ReturnType<PointBuilder['point']> => pb.point('m', { h: 'a' }, { f: Number(s) }, T0 + s * S);
    await engine.write('p', [at(10n), at(20n), at(70n), at(80n)]);
    await engine.flush();
    await engine.write('p', [at(130n), at(140n)]);
    const count = async (aggregate?: 'count'): Promise<number> => {
      let n = 0;
      for await (const b of engine.read({ bucketId: 'p', startNs: T0, stopNs: T0 + 3600n * S, ...(aggregate === undefined ? {} : { aggregate }) })) {
        n += aggregate === undefined ? b.timestampsNs.length : Number(b.values[0]);
      }
      return n;
    };
    let done = false;
    const deleting = engine.delete({ bucketId: 'p', startNs: T0, stopNs: T0 + 3600n * S }).then(() => (done = true));
    // Reads on every turn of the event loop while the delete writes its tombstone files and its
    // WAL record: each sees all six points or none (a read between two partitions' tombstones
    // taking effect would see part of the series).
    const seen: number[] = [];
    while (!done) {
      seen.push(await count(), await count('count'));
      await new Promise((r) => setImmediate(r));
    }
    await deleting;
    expect(seen.length).toBeGreaterThan(2);
    expect(seen.filter((n) => n !== 0 && n !== 6)).toEqual([]);
    expect(await count()).toBe(0);
  });
});

describe('Engine buckets', () => {
  it('drops a bucket with its data', async () => {
    await engine.write(B, [pb.point('m', {}, { f: 1 }, T0)]);
    await engine.dropBucket(B);
    await expect(engine.write(B, [pb.point('m', {}, { f: 1 }, T0)])).rejects.toMatchObject({ code: 'not found' });
    await engine.ensureBucket({ bucketId: B, retentionNs: 0n, shardGroupDurationNs: 0n });
    expect(await collect()).toEqual([]);
  });

  it('retention drops whole expired partitions on the clock', async () => {
    await engine.ensureBucket({ bucketId: 'r', retentionNs: 3600n * S, shardGroupDurationNs: 0n });
    const now = clock.nowNs();
    await engine.write('r', [pb.point('m', {}, { f: 1 }, now - 10n * S), pb.point('m', {}, { f: 2 }, now + 3600n * S)]);
    const read = async (): Promise<number> => {
      let n = 0;
      for await (const b of engine.read({ bucketId: 'r', startNs: 0n, stopNs: now + 7200n * S })) n += b.timestampsNs.length;
      return n;
    };
    expect(await read()).toBe(2);
    clock.advance(2 * 3600 * 1000);
    expect(await read()).toBe(1);
  });
});
