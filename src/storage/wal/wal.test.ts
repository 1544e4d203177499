import { mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ErrorCode, SluiceError } from '../../core/errors.js';
import { RECORD_HEADER_BYTES, SEGMENT_HEADER_BYTES } from './record-format.js';
import { Wal, type WalPosition } from './wal.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sluice-wal-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Deterministic payload of `length` bytes, distinct per `seed`, as base64 (see replayAll). */
function encoded(seed: number, length: number): string {
  return b64(payload(seed, length));
}

/** Deterministic payload of `length` bytes, distinct per `seed`. */
function payload(seed: number, length: number): Uint8Array {
  const out = new Uint8Array(length);
  let x = (seed * 2654435761) >>> 0 || 1;
  for (let i = 0; i < length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

/**
 * Replays everything; payloads come back base64-encoded, so that comparing megabytes with toEqual
 * is a string comparison rather than an element-by-element walk.
 */
async function replayAll(wal: Wal): Promise<{ payload: string; position: WalPosition }[]> {
  const out: { payload: string; position: WalPosition }[] = [];
  for await (const r of wal.replay()) out.push({ payload: b64(r.payload), position: r.position });
  return out;
}

function b64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('base64');
}

describe('Wal: framing round trip', () => {
  it.each([
    ['empty payload', [0]],
    ['one byte', [1]],
    ['mixed sizes', [0, 1, 15, 16, 17, 4096, 100_000, 3]],
    ['a payload larger than a 4 MiB read chunk', [5 * 1024 * 1024, 7]],
    ['records straddling 4 MiB read chunks', Array.from({ length: 100 }, (_, i) => 100_003 + i)],
  ])('%s: replay returns exactly what was appended, also after reopening', async (_name, sizes) => {
    const payloads = sizes.map((n, i) => payload(i + 1, n));
    const wal = await Wal.open(dir);
    const positions: WalPosition[] = [];
    for (const p of payloads) positions.push(await wal.append(p));
    expect(positions[0]).toEqual({ segment: 1, offset: SEGMENT_HEADER_BYTES });
    for (let i = 1; i < positions.length; i++) {
      expect(positions[i]!.offset).toBe(positions[i - 1]!.offset + RECORD_HEADER_BYTES + sizes[i - 1]!);
    }
    expect((await replayAll(wal)).map((r) => r.payload)).toEqual(payloads.map(b64));
    await wal.close();

    const reopened = await Wal.open(dir);
    const replayed = await replayAll(reopened);
    expect(replayed.map((r) => r.payload)).toEqual(payloads.map(b64));
    expect(replayed.map((r) => r.position)).toEqual(positions);
    await reopened.close();
  });

  it('keeps appending after a reopen, at the end of the head segment', async () => {
    const first = await Wal.open(dir);
    await first.append(payload(1, 10));
    await first.close();
    const second = await Wal.open(dir);
    expect(await second.append(payload(2, 10))).toEqual({ segment: 1, offset: SEGMENT_HEADER_BYTES + RECORD_HEADER_BYTES + 10 });
    expect((await replayAll(second)).map((r) => r.payload)).toEqual([encoded(1, 10), encoded(2, 10)]);
    await second.close();
  });

  it('creates 00000001.wal with only a segment header in a new directory (and the directory itself)', async () => {
    const nested = join(dir, 'a', 'wal');
    const wal = await Wal.open(nested);
    expect(await readdir(nested)).toEqual(['00000001.wal']);
    expect((await stat(join(nested, '00000001.wal'))).size).toBe(SEGMENT_HEADER_BYTES);
    expect(await replayAll(wal)).toEqual([]);
    await wal.close();
  });

  it('does not read the payload buffer after the append resolved (written as given, no stale copy)', async () => {
    const wal = await Wal.open(dir);
    const buf = payload(9, 64);
    const expected = Uint8Array.from(buf);
    await wal.append(buf);
    buf.fill(0);
    expect((await replayAll(wal))[0]!.payload).toEqual(b64(expected));
    await wal.close();
  });
});

describe('Wal: group commit', () => {
  it('writes appends issued in the same tick as one group with one fsync', async () => {
    const wal = await Wal.open(dir);
    const n = 200;
    const positions = await Promise.all(Array.from({ length: n }, (_, i) => wal.append(payload(i, 100))));
    const stats = wal.stats();
    expect(stats.appends).toBe(n);
    expect(stats.writeGroups).toBe(1);
    expect(stats.fsyncs).toBe(1);
    // Positions follow call order.
    for (let i = 1; i < n; i++) expect(positions[i]!.offset).toBe(positions[i - 1]!.offset + RECORD_HEADER_BYTES + 100);
    await wal.close();
  });

  it('writes a group of more buffers than IOV_MAX (1024) in one go', async () => {
    const wal = await Wal.open(dir);
    const payloads = Array.from({ length: 1500 }, (_, i) => payload(i, 1 + (i % 7)));
    await Promise.all(payloads.map((p) => wal.append(p)));
    expect(wal.stats()).toMatchObject({ writeGroups: 1, fsyncs: 1 });
    await wal.close();
    const reopened = await Wal.open(dir);
    expect((await replayAll(reopened)).map((r) => r.payload)).toEqual(payloads.map(b64));
    await reopened.close();
  });

  it('groups appends that arrive while an fsync is in flight into the next single fsync', async () => {
    const wal = await Wal.open(dir);
    const first = wal.append(payload(0, 10)); // starts group 1 at the next microtask
    await Promise.resolve();
    await Promise.resolve(); // group 1 is now writing / syncing
    const rest = Array.from({ length: 50 }, (_, i) => wal.append(payload(i + 1, 10)));
    await Promise.all([first, ...rest]);
    const stats = wal.stats();
    expect(stats.fsyncs).toBe(2);
    expect(stats.writeGroups).toBe(2);
    expect((await replayAll(wal)).map((r) => r.payload)).toEqual(Array.from({ length: 51 }, (_, i) => encoded(i, 10)));
    await wal.close();
  });

  it('resolves appends in call order under a sustained concurrent load, with fewer fsyncs than appends', async () => {
    const wal = await Wal.open(dir);
    const order: number[] = [];
    const writers = Array.from({ length: 8 }, async (_, w) => {
      for (let i = 0; i < 25; i++) {
        const id = w * 1000 + i;
        await wal.append(payload(id, 200));
        order.push(id);
      }
    });
    await Promise.all(writers);
    const stats = wal.stats();
    expect(stats.appends).toBe(200);
    // 8 writers each wait for their previous append, so every group holds up to 8 appends.
    expect(stats.fsyncs).toBeLessThan(stats.appends);
    expect(stats.fsyncs).toBe(stats.writeGroups);
    const replayed = await replayAll(wal);
    expect(replayed).toHaveLength(200);
    // Each writer's records are in its own call order.
    for (let w = 0; w < 8; w++) {
      const mine = replayed.map((r) => r.payload).filter((p) => order.some((id) => Math.floor(id / 1000) === w && p === encoded(id, 200)));
      expect(mine).toEqual(Array.from({ length: 25 }, (_, i) => encoded(w * 1000 + i, 200)));
    }
    await wal.close();
  });

  it('counts no fsync with fsync: false, but still writes', async () => {
    const wal = await Wal.open(dir, { fsync: false });
    await Promise.all([wal.append(payload(1, 5)), wal.append(payload(2, 5))]);
    expect(wal.stats()).toMatchObject({ appends: 2, writeGroups: 1, fsyncs: 0, bytesWritten: 2 * (RECORD_HEADER_BYTES + 5) });
    await wal.close();
    const reopened = await Wal.open(dir);
    expect(await replayAll(reopened)).toHaveLength(2);
    await reopened.close();
  });
});

/** Sum of the sizes of the files in `walDir`, as the WAL's diskBytes should report. */
async function diskBytes(walDir: string): Promise<number> {
  let total = 0;
  for (const name of await readdir(walDir)) total += (await stat(join(walDir, name))).size;
  return total;
}

describe('Wal: segments', () => {
  it('rolls over when the next record would pass segmentSizeBytes', async () => {
    const wal = await Wal.open(dir, { segmentSizeBytes: 1024 });
    const payloads = Array.from({ length: 20 }, (_, i) => payload(i, 200));
    const positions: WalPosition[] = [];
    for (const p of payloads) positions.push(await wal.append(p));
    // 8 + 4 × 216 = 872 ≤ 1024 < 872 + 216: four records per segment.
    expect(positions.map((p) => p.segment)).toEqual(payloads.map((_, i) => 1 + Math.floor(i / 4)));
    const names = (await readdir(dir)).sort();
    expect(names).toEqual(['00000001.wal', '00000002.wal', '00000003.wal', '00000004.wal', '00000005.wal']);
    for (const name of names) expect((await stat(join(dir, name))).size).toBeLessThanOrEqual(1024);
    expect(wal.stats()).toMatchObject({ segmentsCreated: 5, headSegment: 5, firstSegment: 1, diskBytes: await diskBytes(dir) });
    await wal.close();
    const reopened = await Wal.open(dir, { segmentSizeBytes: 1024 });
    const replayed = await replayAll(reopened);
    expect(replayed.map((r) => r.payload)).toEqual(payloads.map(b64));
    expect(replayed.map((r) => r.position)).toEqual(positions);
    await reopened.close();
  });

  it('splits one write group across a rollover', async () => {
    const wal = await Wal.open(dir, { segmentSizeBytes: 1024 });
    const payloads = Array.from({ length: 10 }, (_, i) => payload(i, 200));
    const positions = await Promise.all(payloads.map((p) => wal.append(p)));
    expect(positions.map((p) => p.segment)).toEqual([1, 1, 1, 1, 2, 2, 2, 2, 3, 3]);
    expect(wal.stats()).toMatchObject({ writeGroups: 3, fsyncs: 3 });
    await wal.close();
    const reopened = await Wal.open(dir, { segmentSizeBytes: 1024 });
    expect((await replayAll(reopened)).map((r) => r.payload)).toEqual(payloads.map(b64));
    await reopened.close();
  });

  it('gives a record larger than segmentSizeBytes a segment of its own', async () => {
    const wal = await Wal.open(dir, { segmentSizeBytes: 1024 });
    const positions = [await wal.append(payload(1, 10)), await wal.append(payload(2, 5000)), await wal.append(payload(3, 10))];
    expect(positions.map((p) => p.segment)).toEqual([1, 2, 3]);
    expect((await stat(join(dir, '00000002.wal'))).size).toBe(SEGMENT_HEADER_BYTES + RECORD_HEADER_BYTES + 5000);
    await wal.close();
  });

  it('cut starts a new segment after the records appended before it, and removeSegmentsBefore drops those', async () => {
    const wal = await Wal.open(dir);
    const a = wal.append(payload(1, 10));
    const b = wal.append(payload(2, 10));
    const cut = wal.cut();
    const c = wal.append(payload(3, 10));
    expect(await cut).toBe(2);
    expect((await a).segment).toBe(1);
    expect((await b).segment).toBe(1);
    expect((await c).segment).toBe(2);
    // The head holds a record, so a second cut creates segment 3; a third, on an empty head, reuses it.
    expect(await wal.cut()).toBe(3);
    expect(await wal.cut()).toBe(3);
    expect(await wal.removeSegmentsBefore(2)).toBe(1);
    expect((await readdir(dir)).sort()).toEqual(['00000002.wal', '00000003.wal']);
    expect(wal.stats().diskBytes).toBe(await diskBytes(dir));
    expect((await replayAll(wal)).map((r) => r.payload)).toEqual([encoded(3, 10)]);
    expect(await wal.removeSegmentsBefore(2)).toBe(0);
    await wal.close();

    const reopened = await Wal.open(dir);
    expect(reopened.stats()).toMatchObject({ firstSegment: 2, headSegment: 3, diskBytes: await diskBytes(dir) });
    expect(await reopened.append(payload(4, 1))).toEqual({ segment: 3, offset: SEGMENT_HEADER_BYTES });
    expect(await reopened.removeSegmentsBefore(3)).toBe(1);
    expect((await replayAll(reopened)).map((r) => r.payload)).toEqual([encoded(4, 1)]);
    await reopened.close();
  });

  it('serializes concurrent removeSegmentsBefore calls', async () => {
    const wal = await Wal.open(dir);
    for (let i = 0; i < 4; i++) {
      await wal.append(payload(i, 10));
      await wal.cut();
    }
    expect(wal.stats().headSegment).toBe(5);
    const removed = await Promise.all([wal.removeSegmentsBefore(3), wal.removeSegmentsBefore(3), wal.removeSegmentsBefore(5)]);
    expect(removed).toEqual([2, 0, 2]);
    expect(await readdir(dir)).toEqual(['00000005.wal']);
    expect(wal.stats()).toMatchObject({ firstSegment: 5, segmentsRemoved: 4, diskBytes: SEGMENT_HEADER_BYTES });
    await wal.close();
  });

  it('refuses to remove the head segment', async () => {
    const wal = await Wal.open(dir);
    await expect(wal.removeSegmentsBefore(2)).rejects.toMatchObject({ code: ErrorCode.Invalid });
    expect(await readdir(dir)).toEqual(['00000001.wal']);
    await wal.close();
  });

  it('ignores (and keeps) files that are not segments', async () => {
    await writeFile(join(dir, 'notes.txt'), 'hello');
    const wal = await Wal.open(dir);
    await wal.append(payload(1, 3));
    expect((await replayAll(wal)).map((r) => r.payload)).toEqual([encoded(1, 3)]);
    await wal.close();
    expect((await readdir(dir)).sort()).toEqual(['00000001.wal', 'notes.txt']);
  });

  it.each([[0], [100], [2 ** 31], [1500.5]])('rejects segmentSizeBytes %d', async (size) => {
    await expect(Wal.open(dir, { segmentSizeBytes: size })).rejects.toMatchObject({ code: ErrorCode.Invalid });
  });
});

describe('Wal: lifecycle', () => {
  it('close waits for queued appends; appends after close are refused as unavailable', async () => {
    const wal = await Wal.open(dir);
    const pending = Array.from({ length: 5 }, (_, i) => wal.append(payload(i, 10)));
    await wal.close();
    await expect(Promise.all(pending)).resolves.toHaveLength(5);
    const late = wal.append(payload(9, 1));
    await expect(late).rejects.toBeInstanceOf(SluiceError);
    await expect(late).rejects.toMatchObject({ code: ErrorCode.Unavailable });
    await expect(wal.cut()).rejects.toMatchObject({ code: ErrorCode.Unavailable });
    const reopened = await Wal.open(dir);
    expect(await replayAll(reopened)).toHaveLength(5);
    await reopened.close();
  });
});
