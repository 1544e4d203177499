import { mkdir, open, truncate as truncatePath, unlink, type FileHandle } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { crc32c } from '../crc32c.js';
import { ErrorCode, invalid, SluiceError } from '../../core/errors.js';
import { silentLogger, type Logger } from '../../core/logger.js';
import { inspectWal, type SegmentSummary, type WalDamage } from './inspect-wal.js';
import {
  encodeSegmentHeader,
  MAX_PAYLOAD_BYTES,
  RECORD_HEADER_BYTES,
  SEGMENT_HEADER_BYTES,
  writeRecordHeader,
} from './record-format.js';
import { segmentFileName } from './segment-files.js';
import { syncDirectory } from './sync-directory.js';
import { scanSegment } from './segment-reader.js';
import { WalCorruptionError } from './wal-corruption-error.js';

/** Where a record lives: segment index and byte offset of its header in that segment. */
export interface WalPosition {
  segment: number;
  offset: number;
}

export interface WalRecord {
  payload: Uint8Array;
  position: WalPosition;
}

export interface WalOptions {
  /** Rollover threshold (docs/formats/wal.md); default 64 MiB, allowed 1 KiB … 1 GiB. */
  segmentSizeBytes?: number;
  /** fdatasync each write group before acknowledging it. Only tests and benchmarks turn this off. */
  fsync?: boolean;
  logger?: Logger;
}

/** Counters since open; `fsyncs` ≪ `appends` under concurrency is group commit at work. */
export interface WalStats {
  appends: number;
  /** pwritev calls, one per write group (a group split by a rollover counts twice). */
  writeGroups: number;
  /** fdatasync calls on segment files (directory syncs not counted). */
  fsyncs: number;
  bytesWritten: number;
  segmentsCreated: number;
  segmentsRemoved: number;
  firstSegment: number;
  headSegment: number;
  headSegmentBytes: number;
  /** Bytes of all segment files present (what the WAL occupies on disk now). */
  diskBytes: number;
}

export interface WalRepairReport {
  /** The corruption found, or null when there was none (a torn tail may still have been truncated). */
  corruption: { segment: string; offset: number; reason: string } | null;
  /** Segment truncated and bytes dropped from it, if any. */
  truncated: { segment: string; offset: number; droppedBytes: number } | null;
  /** Later segments deleted whole. */
  removedSegments: { segment: string; sizeBytes: number }[];
}

export const DEFAULT_SEGMENT_SIZE_BYTES = 64 * 1024 * 1024;
const MIN_SEGMENT_SIZE_BYTES = 1024;
const MAX_SEGMENT_SIZE_BYTES = 2 ** 30;

type AppendRequest = {
  kind: 'append';
  payload: Uint8Array;
  payloadCrc: number;
  resolve: (p: WalPosition) => void;
  reject: (e: unknown) => void;
};
type CutRequest = { kind: 'cut'; resolve: (index: number) => void; reject: (e: unknown) => void };
type Request = AppendRequest | CutRequest;

/**
 * The write-ahead log: durable, ordered, checksummed storage of opaque payloads with group commit.
 * Format and rules: docs/formats/wal.md. The WAL handles bytes only; the engine's codec gives
 * payloads their meaning.
 *
 * Concurrency: one Wal per directory per process (not locked: the engine owns the data directory).
 */
export class Wal {
  private readonly dir: string;
  private readonly segmentSizeBytes: number;
  private readonly fsync: boolean;
  private readonly logger: Logger;

  private head: FileHandle;
  private headIndex: number;
  /** Bytes of the head segment written (pwritev returned). */
  private headSize: number;
  /** Bytes of the head segment acknowledged (synced, with fsync); what replay reads. */
  private ackedSize: number;
  private firstIndex: number;
  /**
   * Bytes of each segment whose payload checksums open's recovery scan checked, so that the replay
   * that follows open does not compute them a second time.
   */
  private readonly verifiedSizes = new Map<number, number>();
  /** Tail of the chain that serializes removeSegmentsBefore calls. */
  private removals: Promise<unknown> = Promise.resolve();
  /** Sizes of the segments before the head, by index, and their sum. */
  private readonly sealedSizes = new Map<number, number>();
  private sealedBytes = 0;

  private queue: Request[] = [];
  private draining = false;
  private idleWaiters: (() => void)[] = [];
  private closed = false;
  /** Set when an fdatasync failed: the page cache state is unknown, nothing more may be acknowledged. */
  private failure: SluiceError | null = null;

  private readonly counters = { appends: 0, writeGroups: 0, fsyncs: 0, bytesWritten: 0, segmentsCreated: 0, segmentsRemoved: 0 };

  private constructor(
    dir: string,
    options: Required<WalOptions>,
    head: FileHandle,
    headIndex: number,
    headSize: number,
    firstIndex: number,
  ) {
    this.dir = dir;
    this.segmentSizeBytes = options.segmentSizeBytes;
    this.fsync = options.fsync;
    this.logger = options.logger;
    this.head = head;
    this.headIndex = headIndex;
    this.headSize = headSize;
    this.ackedSize = headSize;
    this.firstIndex = firstIndex;
  }

  /**
   * Opens (creating if needed) the WAL in `dir`, recovering it: a torn tail is truncated and logged;
   * any other damage throws `WalCorruptionError` (see `Wal.repair`).
   */
  static async open(dir: string, options: WalOptions = {}): Promise<Wal> {
    const resolved: Required<WalOptions> = {
      segmentSizeBytes: options.segmentSizeBytes ?? DEFAULT_SEGMENT_SIZE_BYTES,
      fsync: options.fsync ?? true,
      logger: options.logger ?? silentLogger(),
    };
    const size = resolved.segmentSizeBytes;
    if (!Number.isInteger(size) || size < MIN_SEGMENT_SIZE_BYTES || size > MAX_SEGMENT_SIZE_BYTES) {
      throw invalid(`WAL segmentSizeBytes must be an integer in [${MIN_SEGMENT_SIZE_BYTES}, ${MAX_SEGMENT_SIZE_BYTES}], got ${size}`);
    }
    const created = await mkdir(dir, { recursive: true });
    if (created !== undefined && resolved.fsync) {
      // Make every directory entry mkdir added durable: sync the parents from dir's up to created's.
      for (let d = dir; d !== dirname(created); ) {
        d = dirname(d);
        await syncDirectory(d);
      }
    }

    const inspection = await inspectWal(dir);
    if (inspection.ignored.length > 0) {
      resolved.logger.warn({ dir, files: inspection.ignored }, 'WAL directory holds files that are not segments; ignoring them');
    }
    const damage = inspection.damage;
    if (damage?.kind === 'corruption') throw damage.error;
    if (damage !== null) await fixTornEnd(dir, damage, resolved.logger);

    const segments = inspection.segments;
    if (segments.length === 0) {
      const head = await createSegment(dir, 1, resolved.fsync);
      const wal = new Wal(dir, resolved, head, 1, SEGMENT_HEADER_BYTES, 1);
      wal.counters.segmentsCreated++;
      return wal;
    }
    const last = segments[segments.length - 1]!;
    const head = await open(join(dir, last.name), 'r+');
    const headSize = (await head.stat()).size;
    resolved.logger.info(
      { dir, segments: segments.length, firstSegment: segments[0]!.index, headSegment: last.index, headSegmentBytes: headSize },
      'WAL opened',
    );
    const wal = new Wal(dir, resolved, head, last.index, headSize, segments[0]!.index);
    for (const sealed of segments.slice(0, -1)) wal.addSealed(sealed.index, sealed.fileSizeBytes);
    // Every segment was scanned whole; a torn end was cut off, so what is left is verified.
    for (const segment of segments.slice(0, -1)) wal.verifiedSizes.set(segment.index, segment.fileSizeBytes);
    wal.verifiedSizes.set(last.index, headSize);
    return wal;
  }

  /**
   * Truncates the WAL at its first corruption and deletes every later segment, so that `open`
   * succeeds with exactly the records before it. Lossy by design: for an operator, after
   * `WalCorruptionError`. Also truncates a torn tail, as `open` would.
   */
  static async repair(dir: string, options: { logger?: Logger } = {}): Promise<WalRepairReport> {
    const logger = options.logger ?? silentLogger();
    const { segments, damage } = await inspectWal(dir);
    const report: WalRepairReport = { corruption: null, truncated: null, removedSegments: [] };
    if (damage === null) return report;
    if (damage.kind !== 'corruption') {
      await fixTornEnd(dir, damage, logger);
      if (damage.kind === 'torn-tail') {
        report.truncated = { segment: damage.segment.name, offset: damage.offset, droppedBytes: damage.segment.fileSizeBytes - damage.offset };
      }
      return report;
    }
    const { error, truncate, dropFrom } = damage;
    report.corruption = { segment: error.segment, offset: error.offset, reason: error.reason };
    // Delete the newest first, so a crash during repair still leaves consecutive segments.
    for (const segment of segments.slice(dropFrom).reverse()) {
      await unlink(join(dir, segment.name));
      report.removedSegments.unshift({ segment: segment.name, sizeBytes: segment.fileSizeBytes });
    }
    // The unlinks must be durable before the truncation: a truncated segment followed by surviving
    // later segments would replay with a silent hole in the middle.
    await syncDirectory(dir);
    if (truncate !== null) {
      const { segment, offset } = truncate;
      await truncateSegment(dir, segment.name, offset);
      report.truncated = { segment: segment.name, offset, droppedBytes: segment.fileSizeBytes - offset };
    }
    logger.warn({ dir, ...report }, 'WAL repaired: dropped everything from the first corruption on');
    return report;
  }

  /**
   * Appends one record. Resolves with its position once it is durable (fdatasync returned), never
   * before an earlier append. The payload is written from the caller's buffer without a copy: do not
   * modify it until the promise settles.
   */
  append(payload: Uint8Array): Promise<WalPosition> {
    const refused = this.refusal();
    if (refused !== null) return Promise.reject(refused);
    if (payload.length > MAX_PAYLOAD_BYTES) {
      return Promise.reject(invalid(`WAL record of ${payload.length} bytes exceeds the maximum of ${MAX_PAYLOAD_BYTES}`));
    }
    this.counters.appends++;
    const payloadCrc = crc32c(payload);
    return new Promise<WalPosition>((resolve, reject) => {
      this.enqueue({ kind: 'append', payload, payloadCrc, resolve, reject });
    });
  }

  /**
   * Starts a new segment and returns its index: every append called before `cut` lives in a segment
   * below the index, every later one at or above it. Reuses the head segment if it holds no record.
   */
  cut(): Promise<number> {
    const refused = this.refusal();
    if (refused !== null) return Promise.reject(refused);
    return new Promise<number>((resolve, reject) => this.enqueue({ kind: 'cut', resolve, reject }));
  }

  /**
   * Deletes the segments with an index below `index` (a value returned by `cut`), oldest first, then
   * fsyncs the directory. Returns how many were removed. The head segment is never removed.
   */
  removeSegmentsBefore(index: number): Promise<number> {
    if (!Number.isInteger(index) || index > this.headIndex) {
      return Promise.reject(invalid(`cannot remove WAL segments before ${index}: the head segment is ${this.headIndex}`));
    }
    // One removal at a time: each walks firstIndex forward across awaits.
    const run = this.removals.then(() => this.removeSegmentsBeforeNow(index));
    this.removals = run.catch(() => undefined);
    return run;
  }

  private async removeSegmentsBeforeNow(index: number): Promise<number> {
    let removed = 0;
    while (this.firstIndex < index) {
      this.sealedBytes -= this.sealedSizes.get(this.firstIndex) ?? 0;
      this.sealedSizes.delete(this.firstIndex);
      this.verifiedSizes.delete(this.firstIndex);
      try {
        await unlink(join(this.dir, segmentFileName(this.firstIndex)));
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
      }
      this.firstIndex++;
      removed++;
    }
    if (removed > 0) {
      this.counters.segmentsRemoved += removed;
      if (this.fsync) await syncDirectory(this.dir);
    }
    return removed;
  }

  /**
   * Yields every record, oldest first. Record headers are always checked; payload checksums only for
   * data open's recovery scan did not already check (appended since). Damage found here surfaces as
   * `WalCorruptionError`. The head segment is read up to what was acknowledged when it is reached.
   */
  async *replay(): AsyncGenerator<WalRecord, void, undefined> {
    for (let index = this.firstIndex; index <= this.headIndex; index++) {
      if (index < this.firstIndex) index = this.firstIndex; // removed while we were replaying
      const name = segmentFileName(index);
      const fh = await open(join(this.dir, name), 'r');
      try {
        const size = index === this.headIndex ? this.ackedSize : (await fh.stat()).size;
        for await (const step of scanSegment(fh, size, this.verifiedSizes.get(index) ?? 0)) {
          if (step.kind === 'bad') throw new WalCorruptionError(name, index, step.offset, `${step.reason} (found during replay)`);
          yield { payload: step.payload, position: { segment: index, offset: step.offset } };
        }
      } finally {
        await fh.close();
      }
    }
  }

  /** Waits for queued appends to be written and synced, then closes the head segment. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.idle();
    await this.head.close();
  }

  stats(): WalStats {
    return {
      ...this.counters,
      firstSegment: this.firstIndex,
      headSegment: this.headIndex,
      headSegmentBytes: this.headSize,
      diskBytes: this.sealedBytes + this.headSize,
    };
  }

  // ---- write path -------------------------------------------------------------------------------

  private refusal(): SluiceError | null {
    if (this.failure !== null) return this.failure;
    if (this.closed) return new SluiceError(ErrorCode.Unavailable, 'the WAL is closed');
    return null;
  }

  private enqueue(request: Request): void {
    this.queue.push(request);
    if (!this.draining) {
      this.draining = true;
      // Start at the next microtask, so appends issued in the same tick share the first group.
      queueMicrotask(() => void this.drain());
    }
  }

  /** The single writer: takes everything queued as one group, writes and syncs it, repeats. */
  private async drain(): Promise<void> {
    try {
      while (this.queue.length > 0) {
        const batch = this.queue;
        this.queue = [];
        try {
          await this.process(batch);
        } catch (e) {
          // Only a failed rollover (creating or syncing a new segment) gets here: poison, as for fsync.
          this.poison(e, batch);
        }
      }
    } finally {
      this.draining = false;
      for (const wake of this.idleWaiters.splice(0)) wake();
    }
  }

  private idle(): Promise<void> {
    if (!this.draining) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private async process(batch: Request[]): Promise<void> {
    let run: AppendRequest[] = [];
    let runBytes = 0;
    for (const request of batch) {
      if (this.failure !== null) {
        request.reject(this.failure);
        continue;
      }
      if (request.kind === 'cut') {
        await this.commit(run);
        run = [];
        runBytes = 0;
        if (this.headSize > SEGMENT_HEADER_BYTES) await this.rollover();
        request.resolve(this.headIndex);
        continue;
      }
      const bytes = RECORD_HEADER_BYTES + request.payload.length;
      const headHasRecords = this.headSize > SEGMENT_HEADER_BYTES || run.length > 0;
      if (headHasRecords && this.headSize + runBytes + bytes > this.segmentSizeBytes) {
        await this.commit(run);
        run = [];
        runBytes = 0;
        if (this.failure === null) await this.rollover();
        if (this.failure !== null) {
          request.reject(this.failure);
          continue;
        }
      }
      run.push(request);
      runBytes += bytes;
    }
    await this.commit(run);
  }

  /**
   * Writes one write group with a single pwritev at the end of the head segment (headers from one
   * buffer, payloads as given), fdatasyncs once, then resolves every append of the group.
   */
  private async commit(run: AppendRequest[]): Promise<void> {
    if (run.length === 0) return;
    if (this.failure !== null) {
      for (const r of run) r.reject(this.failure);
      return;
    }
    const groupStart = this.headSize;
    const headers = new Uint8Array(RECORD_HEADER_BYTES * run.length);
    const iov: Uint8Array[] = [];
    const positions: WalPosition[] = [];
    let offset = groupStart;
    for (let i = 0; i < run.length; i++) {
      const { payload, payloadCrc } = run[i]!;
      const at = i * RECORD_HEADER_BYTES;
      writeRecordHeader(headers, at, { payloadLength: payload.length, groupStart, payloadCrc });
      iov.push(headers.subarray(at, at + RECORD_HEADER_BYTES));
      if (payload.length > 0) iov.push(payload);
      positions.push({ segment: this.headIndex, offset });
      offset += RECORD_HEADER_BYTES + payload.length;
    }
    try {
      await writeFully(this.head, iov, groupStart);
    } catch (e) {
      // Nothing of this group was acknowledged; cut the partial write off and stay usable.
      const error = new SluiceError(ErrorCode.Internal, `WAL write failed: ${(e as Error).message}`, { cause: e });
      try {
        await this.head.truncate(groupStart);
      } catch (te) {
        this.poison(te, []);
      }
      for (const r of run) r.reject(this.failure ?? error);
      return;
    }
    this.counters.writeGroups++;
    this.counters.bytesWritten += offset - groupStart;
    this.headSize = offset;
    if (this.fsync) {
      try {
        await this.head.datasync();
      } catch (e) {
        this.poison(e, run);
        return;
      }
      this.counters.fsyncs++;
    }
    this.ackedSize = offset;
    for (let i = 0; i < run.length; i++) run[i]!.resolve(positions[i]!);
  }

  /** Creates the next segment (synced, directory synced) and makes it the head. */
  private async rollover(): Promise<void> {
    const index = this.headIndex + 1;
    const next = await createSegment(this.dir, index, this.fsync);
    const previous = this.head;
    this.addSealed(this.headIndex, this.headSize);
    this.head = next;
    this.headIndex = index;
    this.headSize = SEGMENT_HEADER_BYTES;
    this.ackedSize = SEGMENT_HEADER_BYTES;
    this.counters.segmentsCreated++;
    await previous.close();
  }

  private addSealed(index: number, sizeBytes: number): void {
    this.sealedSizes.set(index, sizeBytes);
    this.sealedBytes += sizeBytes;
  }

  private poison(cause: unknown, pending: Request[]): void {
    if (this.failure === null) {
      const message = `WAL is unusable after a failed write or sync, restart to recover: ${(cause as Error).message ?? String(cause)}`;
      this.failure = new SluiceError(ErrorCode.Internal, message, { cause });
      this.logger.error({ dir: this.dir, err: cause }, 'WAL failed; refusing further writes');
    }
    for (const r of pending) r.reject(this.failure);
    for (const r of this.queue.splice(0)) r.reject(this.failure);
  }
}

/** pwritev of all of `iov` at `position`, continuing after short writes. */
async function writeFully(fh: FileHandle, iov: Uint8Array[], position: number): Promise<void> {
  let rest = iov;
  let pos = position;
  for (;;) {
    const total = rest.reduce((n, b) => n + b.length, 0);
    if (total === 0) return;
    const { bytesWritten } = await fh.writev(rest, pos);
    if (bytesWritten === total) return;
    if (bytesWritten <= 0) throw new Error(`short write: 0 of ${total} bytes`);
    pos += bytesWritten;
    let skip = bytesWritten;
    const next: Uint8Array[] = [];
    for (const b of rest) {
      if (skip >= b.length) {
        skip -= b.length;
        continue;
      }
      next.push(skip > 0 ? b.subarray(skip) : b);
      skip = 0;
    }
    rest = next;
  }
}

/** Creates segment `index` with its header; with fsync, syncs the file then the directory. */
async function createSegment(dir: string, index: number, fsync: boolean): Promise<FileHandle> {
  const fh = await open(join(dir, segmentFileName(index)), 'wx+');
  try {
    const header = encodeSegmentHeader();
    await fh.write(header, 0, header.length, 0);
    if (fsync) {
      await fh.sync();
      await syncDirectory(dir);
    }
    return fh;
  } catch (e) {
    await fh.close();
    throw e;
  }
}

/** Truncates a segment at `offset`; an offset inside the header rewrites it as an empty segment. */
async function truncateSegment(dir: string, name: string, offset: number): Promise<void> {
  const path = join(dir, name);
  if (offset >= SEGMENT_HEADER_BYTES) {
    await truncatePath(path, offset);
  }
  const fh = await open(path, 'r+');
  try {
    if (offset < SEGMENT_HEADER_BYTES) {
      await fh.truncate(0);
      const header = encodeSegmentHeader();
      await fh.write(header, 0, header.length, 0);
    }
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/** Applies the recovery of a torn end: rewrites a torn segment header or truncates a torn tail. */
async function fixTornEnd(
  dir: string,
  damage: Exclude<WalDamage, { kind: 'corruption' }>,
  logger: Logger,
): Promise<void> {
  const segment: SegmentSummary = damage.segment;
  if (damage.kind === 'torn-header') {
    await truncateSegment(dir, segment.name, 0);
    logger.warn({ dir, segment: segment.name, sizeBytes: segment.fileSizeBytes }, 'WAL: torn segment creation, rewrote it empty');
    return;
  }
  // Synced even with fsync off: an unsynced truncate could let the torn bytes reappear after a crash.
  await truncateSegment(dir, segment.name, damage.offset);
  logger.warn(
    { dir, segment: segment.name, offset: damage.offset, droppedBytes: segment.fileSizeBytes - damage.offset, reason: damage.reason },
    'WAL: truncated torn tail (never acknowledged)',
  );
}
