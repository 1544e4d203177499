import { mkdir, mkdtemp, readdir, readFile, rm, stat, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ErrorCode, SluiceError } from '../../core/errors.js';
import { createLogger, type Logger } from '../../core/logger.js';
import { RECORD_HEADER_BYTES, SEGMENT_HEADER_BYTES } from './record-format.js';
import { Wal, type WalPosition } from './wal.js';
import { WalCorruptionError } from './wal-corruption-error.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sluice-wal-recovery-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

function payload(seed: number, length: number): string {
  let s = '';
  for (let i = 0; i < length; i++) s += String.fromCharCode(97 + ((seed * 7 + i * 13) % 26));
  return s;
}
const bytes = (s: string): Uint8Array => new TextEncoder().encode(s);
const text = (b: Uint8Array): string => new TextDecoder().decode(b);

async function replayAll(wal: Wal): Promise<string[]> {
  const out: string[] = [];
  for await (const r of wal.replay()) out.push(text(r.payload));
  return out;
}

/** Opens `walDir`, replays it and closes it again. */
async function recovered(walDir: string, logger?: Logger): Promise<string[]> {
  const wal = await Wal.open(walDir, { fsync: false, ...(logger === undefined ? {} : { logger }) });
  try {
    return await replayAll(wal);
  } finally {
    await wal.close();
  }
}

/** A logger whose JSON lines are collected in `lines`. */
function capturingLogger(): { logger: Logger; lines: () => Record<string, unknown>[] } {
  const chunks: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _enc, done) {
      chunks.push(chunk.toString());
      done();
    },
  });
  return {
    logger: createLogger({ level: 'info', destination }),
    lines: () =>
      chunks
        .join('')
        .split('\n')
        .filter((l) => l !== '')
        .map((l) => JSON.parse(l) as Record<string, unknown>),
  };
}

interface Recorded {
  payloads: string[];
  positions: WalPosition[];
}

/** Appends each payload on its own (one write group each), or all in one tick (one group) with `grouped`. */
async function record(walDir: string, payloads: string[], options: { grouped?: boolean; segmentSizeBytes?: number } = {}): Promise<Recorded> {
  const wal = await Wal.open(walDir, options.segmentSizeBytes === undefined ? {} : { segmentSizeBytes: options.segmentSizeBytes });
  const positions: WalPosition[] = [];
  if (options.grouped === true) positions.push(...(await Promise.all(payloads.map((p) => wal.append(bytes(p))))));
  else for (const p of payloads) positions.push(await wal.append(bytes(p)));
  await wal.close();
  return { payloads, positions };
}

async function flipBit(file: string, offset: number, bit = 0): Promise<void> {
  const data = await readFile(file);
  data[offset]! ^= 1 << bit;
  await writeFile(file, data);
}

const seg = (walDir: string, index: number): string => join(walDir, `${String(index).padStart(8, '0')}.wal`);

describe('recovery: truncation at every byte offset', () => {
  it.each([
    ['records appended one by one', false],
    ['one group-committed write', true],
  ])('%s: a prefix of the records survives, and appending continues', async (_name, grouped) => {
    const src = join(dir, 'src');
    const sizes = [0, 1, 5, 17, 40, 3, 30];
    const { payloads, positions } = await record(src, sizes.map((n, i) => payload(i, n)), { grouped });
    const file = await readFile(seg(src, 1));
    const ends = positions.map((p, i) => p.offset + RECORD_HEADER_BYTES + sizes[i]!);
    expect(ends[ends.length - 1]).toBe(file.length);

    for (let cut = 0; cut <= file.length; cut++) {
      const copy = join(dir, `cut-${cut}`);
      await mkdir(copy);
      await writeFile(seg(copy, 1), file.subarray(0, cut));
      const survivors = payloads.filter((_, i) => ends[i]! <= cut);
      expect({ cut, replayed: await recovered(copy) }).toEqual({ cut, replayed: survivors });

      const wal = await Wal.open(copy, { fsync: false });
      const end = survivors.length === 0 ? SEGMENT_HEADER_BYTES : ends[survivors.length - 1]!;
      expect(await wal.append(bytes('after'))).toEqual({ segment: 1, offset: end });
      expect(await replayAll(wal)).toEqual([...survivors, 'after']);
      await wal.close();
      await rm(copy, { recursive: true });
    }
  });

  it('truncating the last of several segments keeps the earlier segments whole', async () => {
    const src = join(dir, 'src');
    const { payloads, positions } = await record(src, Array.from({ length: 12 }, (_, i) => payload(i, 300)), { segmentSizeBytes: 1024 });
    const last = positions[positions.length - 1]!.segment;
    expect(last).toBe(4);
    const file = await readFile(seg(src, last));
    for (let cut = 0; cut <= file.length; cut += 7) {
      const copy = join(dir, `cut-${cut}`);
      await mkdir(copy);
      for (let i = 1; i < last; i++) await writeFile(seg(copy, i), await readFile(seg(src, i)));
      await writeFile(seg(copy, last), file.subarray(0, cut));
      const survivors = payloads.filter((_, i) => positions[i]!.segment < last || positions[i]!.offset + RECORD_HEADER_BYTES + 300 <= cut);
      expect({ cut, replayed: await recovered(copy) }).toEqual({ cut, replayed: survivors });
      await rm(copy, { recursive: true });
    }
  });
});

describe('recovery: torn tail versus corruption', () => {
  const five = Array.from({ length: 5 }, (_, i) => payload(i, 20));
  // Where to damage a record, relative to its header.
  const spots: [string, number][] = [
    ['payload length', 0],
    ['group start', 5],
    ['payload checksum', 9],
    ['header checksum', 14],
    ['payload', RECORD_HEADER_BYTES + 7],
  ];

  describe.each(spots)('a flipped bit in the %s', (_spot, delta) => {
    it.each([[0], [1], [3]])('of record %i (not the last) is corruption at its offset; repair keeps the records before it', async (k) => {
      const { positions } = await record(dir, five);
      const size = (await stat(seg(dir, 1))).size;
      await flipBit(seg(dir, 1), positions[k]!.offset + delta, 3);

      const error: unknown = await Wal.open(dir).then(
        () => null,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(WalCorruptionError);
      expect(error).toBeInstanceOf(SluiceError);
      expect(error).toMatchObject({ code: ErrorCode.Internal, segment: '00000001.wal', segmentIndex: 1, offset: positions[k]!.offset });
      expect((error as Error).message).toContain(`00000001.wal at byte offset ${positions[k]!.offset}`);

      const { logger, lines } = capturingLogger();
      const report = await Wal.repair(dir, { logger });
      expect(report).toEqual({
        corruption: { segment: '00000001.wal', offset: positions[k]!.offset, reason: expect.any(String) as string },
        truncated: { segment: '00000001.wal', offset: positions[k]!.offset, droppedBytes: size - positions[k]!.offset },
        removedSegments: [],
      });
      expect(lines().some((l) => l.level === 40 && String(l.msg).includes('repaired'))).toBe(true);
      expect(await recovered(dir)).toEqual(five.slice(0, k));
    });

    it('of the last record is a torn tail: truncated and logged, the rest kept', async () => {
      const { positions } = await record(dir, five);
      const lastOffset = positions[4]!.offset;
      await flipBit(seg(dir, 1), lastOffset + delta, 3);
      const { logger, lines } = capturingLogger();
      expect(await recovered(dir, logger)).toEqual(five.slice(0, 4));
      expect((await stat(seg(dir, 1))).size).toBe(lastOffset);
      expect(lines()).toContainEqual(
        expect.objectContaining({ level: 40, segment: '00000001.wal', offset: lastOffset, droppedBytes: RECORD_HEADER_BYTES + 20 }),
      );
    });
  });

  it('a damaged record in a segment that is not the last is corruption, even if it is that segment’s last record', async () => {
    const { positions } = await record(dir, Array.from({ length: 8 }, (_, i) => payload(i, 300)), { segmentSizeBytes: 1024 });
    const lastOfFirst = positions.filter((p) => p.segment === 1).pop()!;
    await flipBit(seg(dir, 1), lastOfFirst.offset + RECORD_HEADER_BYTES + 1);
    await expect(Wal.open(dir)).rejects.toMatchObject({ name: 'WalCorruptionError', segment: '00000001.wal', offset: lastOfFirst.offset });
    const report = await Wal.repair(dir);
    expect(report.removedSegments.map((s) => s.segment)).toEqual(['00000002.wal', '00000003.wal']);
    expect((await readdir(dir)).sort()).toEqual(['00000001.wal']);
    expect(await recovered(dir)).toEqual(Array.from({ length: 2 }, (_, i) => payload(i, 300)));
  });

  it('damage inside the final write group is a torn tail, even with valid records of that group after it', async () => {
    // A crash during a group's pwritev may persist its pages in any order: record 2 lost, 3 and 4 present.
    const before = [payload(0, 20)];
    await record(dir, before);
    const wal = await Wal.open(dir);
    const group = await Promise.all([1, 2, 3, 4].map((i) => wal.append(bytes(payload(i, 20)))));
    await wal.close();
    const data = await readFile(seg(dir, 1));
    data.fill(0, group[1]!.offset, group[2]!.offset);
    await writeFile(seg(dir, 1), data);
    expect(await recovered(dir)).toEqual([...before, payload(1, 20)]);
  });

  it('the same damage with later write groups after it is corruption', async () => {
    const { positions } = await record(dir, [0, 1, 2, 3, 4].map((i) => payload(i, 20)));
    const data = await readFile(seg(dir, 1));
    data.fill(0, positions[2]!.offset, positions[3]!.offset);
    await writeFile(seg(dir, 1), data);
    await expect(Wal.open(dir)).rejects.toMatchObject({ name: 'WalCorruptionError', offset: positions[2]!.offset });
  });

  it('garbage appended after the last record (a zero-filled tail) is a torn tail', async () => {
    await record(dir, five);
    const data = await readFile(seg(dir, 1));
    await writeFile(seg(dir, 1), Buffer.concat([data, Buffer.alloc(4096)]));
    expect(await recovered(dir)).toEqual(five);
    expect((await stat(seg(dir, 1))).size).toBe(data.length);
  });

  it('a damaged header found by replay after open (the disk changed under us) throws WalCorruptionError', async () => {
    const { positions } = await record(dir, five);
    const wal = await Wal.open(dir);
    await flipBit(seg(dir, 1), positions[2]!.offset + 1);
    await expect(replayAll(wal)).rejects.toMatchObject({ name: 'WalCorruptionError', offset: positions[2]!.offset });
    await wal.close();
  });

  it('replay checks the payload checksum of records appended since open', async () => {
    await record(dir, five);
    const wal = await Wal.open(dir);
    const added = await wal.append(bytes(payload(9, 20)));
    await flipBit(seg(dir, 1), added.offset + RECORD_HEADER_BYTES + 3);
    await expect(replayAll(wal)).rejects.toMatchObject({ name: 'WalCorruptionError', offset: added.offset, reason: expect.stringContaining('payload checksum') as string });
    await wal.close();
  });
});

describe('recovery: segment files', () => {
  it('a missing segment in the middle is corruption naming it; repair drops everything after the gap', async () => {
    const { payloads, positions } = await record(dir, Array.from({ length: 12 }, (_, i) => payload(i, 300)), { segmentSizeBytes: 1024 });
    await unlink(seg(dir, 2));
    await expect(Wal.open(dir)).rejects.toMatchObject({ name: 'WalCorruptionError', segment: '00000002.wal', segmentIndex: 2, offset: 0 });
    const report = await Wal.repair(dir);
    expect(report.corruption).toMatchObject({ segment: '00000002.wal', offset: 0 });
    expect(report.truncated).toBeNull();
    expect(report.removedSegments.map((s) => s.segment)).toEqual(['00000003.wal', '00000004.wal']);
    expect(await recovered(dir)).toEqual(payloads.filter((_, i) => positions[i]!.segment === 1));
  });

  it.each([
    ['shorter than a header', (h: Buffer) => h.subarray(0, 3)],
    ['empty', () => Buffer.alloc(0)],
    ['eight zero bytes', () => Buffer.alloc(SEGMENT_HEADER_BYTES)],
  ])('a last segment whose creation was torn (%s) is rewritten empty', async (_name, make) => {
    const { payloads } = await record(dir, [payload(1, 10)]);
    const header = (await readFile(seg(dir, 1))).subarray(0, SEGMENT_HEADER_BYTES);
    await writeFile(seg(dir, 2), make(header));
    expect(await recovered(dir)).toEqual(payloads);
    expect(await readFile(seg(dir, 2))).toEqual(header);
    const wal = await Wal.open(dir);
    expect(await wal.append(bytes('x'))).toEqual({ segment: 2, offset: SEGMENT_HEADER_BYTES });
    await wal.close();
  });

  it.each([
    ['bad magic in a segment that is not the last', 1, 0, 0, 'bad segment magic'],
    ['an unknown format version', 1, 4, 4, 'unsupported segment version'],
  ])('%s is corruption', async (_name, segment, byte, offset, reason) => {
    await record(dir, Array.from({ length: 6 }, (_, i) => payload(i, 300)), { segmentSizeBytes: 1024 });
    await flipBit(seg(dir, segment), byte, 1);
    await expect(Wal.open(dir)).rejects.toMatchObject({ name: 'WalCorruptionError', segment: '00000001.wal', offset, reason });
    const report = await Wal.repair(dir);
    expect(report.removedSegments.map((s) => s.segment)).toEqual(['00000002.wal']);
    // The damaged segment keeps its index, rewritten empty, so indexes never go backwards.
    expect(await recovered(dir)).toEqual([]);
    const wal = await Wal.open(dir);
    expect(await wal.append(bytes('x'))).toEqual({ segment: 1, offset: SEGMENT_HEADER_BYTES });
    await wal.close();
  });

  it('repair of a healthy WAL changes nothing', async () => {
    const { payloads } = await record(dir, [payload(1, 10), payload(2, 10)]);
    expect(await Wal.repair(dir)).toEqual({ corruption: null, truncated: null, removedSegments: [] });
    expect(await recovered(dir)).toEqual(payloads);
  });

  it('repair of a torn tail truncates it and reports no corruption', async () => {
    const { positions } = await record(dir, [payload(1, 10), payload(2, 10)]);
    const size = (await stat(seg(dir, 1))).size;
    await writeFile(seg(dir, 1), (await readFile(seg(dir, 1))).subarray(0, size - 3));
    expect(await Wal.repair(dir)).toEqual({
      corruption: null,
      truncated: { segment: '00000001.wal', offset: positions[1]!.offset, droppedBytes: size - 3 - positions[1]!.offset },
      removedSegments: [],
    });
    expect(await recovered(dir)).toEqual([payload(1, 10)]);
  });
});

describe('recovery: random damage', () => {
  it('never yields a damaged, reordered or invented record: open either fails with WalCorruptionError or replays a prefix, and repair always yields a prefix', async () => {
    const src = join(dir, 'src');
    // Groups of 1-4 records over several 1 KiB segments.
    const wal = await Wal.open(src, { segmentSizeBytes: 1024 });
    const payloads: string[] = [];
    for (let g = 0; g < 12; g++) {
      const group = Array.from({ length: 1 + (g % 4) }, (_, i) => payload(g * 10 + i, 20 + ((g * 37 + i * 11) % 150)));
      await Promise.all(group.map((p) => wal.append(bytes(p))));
      payloads.push(...group);
    }
    await wal.close();
    const files = (await readdir(src)).sort();
    const originals = await Promise.all(files.map((f) => readFile(join(src, f))));
    expect(files.length).toBeGreaterThan(2);

    const isPrefix = (replayed: string[]): boolean => replayed.every((p, i) => p === payloads[i]);
    let run = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ file: fc.nat(), at: fc.nat(), value: fc.nat({ max: 255 }) }), { minLength: 1, maxLength: 3 }),
        fc.option(fc.record({ file: fc.nat(), keep: fc.nat() })),
        async (writes, cut) => {
          const copy = join(dir, `fuzz-${run++}`);
          await mkdir(copy);
          const data = originals.map((b) => Buffer.from(b));
          for (const w of writes) {
            const f = data[w.file % data.length]!;
            if (f.length > 0) f[w.at % f.length] = w.value;
          }
          let last = data.length;
          if (cut !== null) {
            last = (cut.file % data.length) + 1; // later segments never got created
            data[last - 1] = data[last - 1]!.subarray(0, cut.keep % (data[last - 1]!.length + 1));
          }
          for (let i = 0; i < last; i++) await writeFile(join(copy, files[i]!), data[i]!);

          try {
            expect(isPrefix(await recovered(copy))).toBe(true);
          } catch (e) {
            if (!(e instanceof WalCorruptionError)) throw e;
            await Wal.repair(copy);
            const replayed = await recovered(copy);
            expect(isPrefix(replayed)).toBe(true);
          }
          await rm(copy, { recursive: true });
        },
      ),
      { numRuns: 80 },
    );
  });
});
