import { mkdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { SystemClock, type Clock, type TimerHandle } from '../core/clock.js';
import { invalid, notFound } from '../core/errors.js';
import { silentLogger, type Logger } from '../core/logger.js';
import type { FieldType, Point } from '../lineprotocol/point.js';
import type { BlockStore } from './compaction/stored-block.js';
import { BlockFileStore } from './compaction/block-file-store.js';
import { writeFieldTypes } from './compaction/field-types-file.js';
import { compactPartition, flushPartition } from './compaction/partition-flush.js';
import { Bucket } from './head/bucket.js';
import { CommitQueue } from './head/commit-queue.js';
import { HeadMemory } from './head/head-memory.js';
import { appendPoints, deleteFromHead } from './head/head-appender.js';
import { NullJournal, type Journal } from './head/journal.js';
import { WalJournal } from './head/wal-journal.js';
import { validateBatch } from './head/write-validator.js';
import type { FieldSeries } from './index/series-index.js';
import { bucketRead } from './read/bucket-read.js';
import { SchemaListing } from './read/schema-listing.js';
import { ColumnCache } from './read/column-cache.js';
import { decodeRecord, encodeDeleteRecord, encodeWriteRecord, RecordType } from './record/record-codec.js';
import { expiredPartitions } from './retention/retention-policy.js';
import type {
  BucketStorageConfig,
  DeleteRequest,
  ReadRequest,
  SchemaRequest,
  SeriesBatch,
  Storage,
  StorageStats,
  WriteResult,
} from './storage.js';
import { writeFileDurably, writeTombstones } from './tombstone/tombstone-file.js';
import { recoverBuckets } from './compaction/open-partitions.js';
import type { Partition } from './head/partition.js';

export interface EngineOptions {
  /** Root of everything the engine stores. Created if missing. */
  dataDir: string;
  clock?: Clock;
  logger?: Logger;
  /** fsync WAL appends and block files (default true). Off only for tests that do not crash. */
  fsync?: boolean;
  /**
   * Where the WAL goes: `'wal'` (default) is src/storage/wal in `<dataDir>/wal`; `'none'` keeps
   * nothing (tests of in-memory behaviour only).
   */
  journal?: 'wal' | 'none';
  /** WAL segment size (default: the WAL's). */
  walSegmentSizeBytes?: number;
  /** The block file port; default: block files of src/storage/block. */
  blockStore?: BlockStore;
  /** Flush the head to blocks once it holds this many values (default 1,000,000: 16 MB of floats). */
  maxHeadValues?: number;
  /** Where head columns get their memory (default: 32 MiB pooled slabs; head/head-memory.ts). */
  headMemory?: HeadMemory;
  /** Bytes of decoded block columns kept for re-reads (default 64 MiB; 0 = none). */
  readCacheBytes?: number;
  /** A head older than this is flushed by the maintenance timer (default 10 min). */
  flushIntervalMs?: number;
  /** The maintenance timer compacts a partition once it has this many blocks (default 4). */
  compactAtBlocks?: number;
  /** Most points one compaction merges in memory (default 16 M, about 256 MB decoded). */
  compactionBudgetValues?: number;
  /** How often retention, timed flushes and compaction run (default 60 s). */
  maintenanceIntervalMs?: number;
}

const BUCKETS_FILE = 'buckets.json';
const DEFAULT_MAX_HEAD_VALUES = 1_000_000;

/**
 * The storage engine: series index + WAL + in-memory head + immutable time-partitioned blocks.
 *
 * Thread of control: everything runs on the event loop. A write is validated and its accepted
 * points encoded synchronously, then appended to the WAL; after the fsync, writes are applied to
 * the head strictly in WAL order (CommitQueue). Reads take block data asynchronously, then look
 * at the head synchronously, so they never see a half-applied batch.
 */
export class Engine implements Storage {
  private readonly buckets = new Map<string, Bucket>();
  private readonly commits = new CommitQueue();
  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly cache: ColumnCache | undefined;
  private readonly schema: SchemaListing;
  private readonly headMemory: HeadMemory;
  private journal: Journal = new NullJournal();
  private nextBlockSeq = 1;
  private headValues = 0;
  private flushing: Promise<void> | undefined;
  private nextFlush: Promise<void> | undefined;
  private readonly deletes = new Set<Promise<void>>();
  private configSaves: Promise<void> = Promise.resolve();
  private lastFlushMs: number;
  private background: Promise<void> | undefined;
  private compacting: Promise<void> | undefined;
  private maintenanceTimer: TimerHandle | undefined;
  private closed = false;
  /** Block files that failed their checksum at open; reported, never read. */
  readonly corruptBlocks: string[] = [];

  private constructor(
    private readonly options: EngineOptions,
    private readonly blockStore: BlockStore,
  ) {
    this.clock = options.clock ?? new SystemClock();
    this.logger = options.logger ?? silentLogger();
    this.lastFlushMs = this.clock.nowMs();
    const cacheBytes = options.readCacheBytes ?? 64 * 1024 * 1024;
    this.cache = cacheBytes > 0 ? new ColumnCache(cacheBytes) : undefined;
    this.schema = new SchemaListing(this.cache);
    this.headMemory = options.headMemory ?? new HeadMemory();
  }

  static async open(options: EngineOptions): Promise<Engine> {
    const engine = new Engine(options, options.blockStore ?? new BlockFileStore());
    await engine.recover();
    engine.scheduleMaintenance();
    return engine;
  }

  private async recover(): Promise<void> {
    const { dataDir } = this.options;
    await mkdir(join(dataDir, 'buckets'), { recursive: true });
    const configs = await readBucketConfigs(join(dataDir, BUCKETS_FILE));
    for (const c of configs) this.buckets.set(c.bucketId, new Bucket(c.bucketId, c, this.bucketDir(c.bucketId), this.headMemory));
    const recovered = await recoverBuckets(this.buckets, this.blockStore, this.logger);
    this.corruptBlocks.push(...recovered.corruptBlocks);
    this.nextBlockSeq = recovered.maxSeq + 1;

    const fsync = this.options.fsync ?? true;
    if (this.options.journal !== 'none') {
      this.journal = await WalJournal.open(
        join(dataDir, 'wal'),
        { fsync, logger: this.logger, ...(this.options.walSegmentSizeBytes === undefined ? {} : { segmentSizeBytes: this.options.walSegmentSizeBytes }) },
        (payload) => this.replay(payload),
      );
    }
    this.enforceRetention();
  }

  /** Re-applies one WAL record on open (validation already happened before it was logged). */
  private replay(payload: Uint8Array): void {
    const record = decodeRecord(payload);
    const bucket = this.buckets.get(record.bucketId);
    if (bucket === undefined) return; // dropped after the record was written
    if (record.type === RecordType.Write) {
      // Expired partitions are dropped whole by enforceRetention() right after replay.
      this.headValues += appendPoints(bucket, record.points);
    } else {
      deleteFromHead(bucket, record.startNs, record.stopNs, record.predicate);
    }
  }

  async ensureBucket(config: BucketStorageConfig): Promise<void> {
    this.assertOpen();
    const b = this.buckets.get(config.bucketId);
    if (b !== undefined) b.configure(config);
    else this.buckets.set(config.bucketId, new Bucket(config.bucketId, config, this.bucketDir(config.bucketId), this.headMemory));
    await this.saveBucketConfigs();
  }

  async dropBucket(bucketId: string): Promise<void> {
    this.assertOpen();
    const b = this.buckets.get(bucketId);
    if (b === undefined) return;
    b.dropped = true;
    for (const p of b.all()) b.removePartition(p);
    this.buckets.delete(bucketId);
    await this.saveBucketConfigs();
    await rm(b.dir, { recursive: true, force: true });
  }

  async write(bucketId: string, points: readonly Point[]): Promise<WriteResult> {
    this.assertOpen();
    // Backpressure: while a flush writes the frozen head, the live head may grow to twice the
    // flush threshold, not beyond; so head memory stays bounded (about three thresholds with
    // the frozen head) however far block writing falls behind the writers.
    const maxLive = 2 * (this.options.maxHeadValues ?? DEFAULT_MAX_HEAD_VALUES);
    while (this.flushing !== undefined && this.headValues >= maxLive) {
      await this.flushing.catch(() => undefined);
      this.assertOpen();
    }
    const bucket = this.bucket(bucketId);
    const batch = validateBatch(bucket, points, this.clock.nowNs());
    const result: WriteResult = { accepted: batch.accepted.length, rejected: batch.rejected, values: batch.values };
    if (batch.accepted.length === 0) return result;
    const payload = encodeWriteRecord(bucketId, batch.accepted);
    await this.commits.run(
      () => this.journal.append(payload),
      () => {
        if (!bucket.dropped) this.headValues += appendPoints(bucket, batch.accepted);
      },
    );
    this.maybeFlush();
    return result;
  }

  async delete(request: DeleteRequest): Promise<void> {
    this.assertOpen();
    // A flush must not freeze heads between this delete's choice of `maxBlockSeq` and its
    // application to the head: the frozen points would escape both (doFlush waits for this).
    const done = this.doDelete(request);
    this.deletes.add(done);
    try {
      await done;
    } finally {
      this.deletes.delete(done);
    }
  }

  private async doDelete(request: DeleteRequest): Promise<void> {
    const bucket = this.bucket(request.bucketId);
    if (request.stopNs < request.startNs) throw invalid('delete: stop is before start');
    // Blocks (and heads being flushed, whose block seqs are already allocated) get a durable
    // tombstone first; the head gets the delete when the WAL record is applied, in log order.
    // The new tombstone lists take effect in that same synchronous step, in every partition at
    // once: a read sees the delete in all of a series' partitions or in none.
    const maxBlockSeq = this.nextBlockSeq - 1;
    const tombstone = { startNs: request.startNs, stopNs: request.stopNs, predicate: request.predicate, maxBlockSeq };
    const parts = bucket.overlapping(request.startNs, request.stopNs + 1n).filter((p) => p.blocks.length > 0 || p.frozen.length > 0);
    // Holds taken in one synchronous step (Partition.holdTombstones).
    const pending = parts.map((p) => p.holdTombstones());
    const holds = await Promise.all(pending);
    const lists = holds.map((h) => [...h.current, tombstone]);
    let installed = false;
    const install = (): void => {
      if (installed) return;
      installed = true;
      for (let k = 0; k < holds.length; k++) holds[k]!.install(lists[k]!);
    };
    try {
      for (let k = 0; k < parts.length; k++) {
        await mkdir(parts[k]!.dir, { recursive: true });
        await writeTombstones(parts[k]!.dir, lists[k]!);
      }
      const payload = encodeDeleteRecord({ ...request, predicate: request.predicate });
      try {
        await this.commits.run(
          () => this.journal.append(payload),
          () => {
            install();
            deleteFromHead(bucket, request.startNs, request.stopNs, request.predicate);
          },
        );
      } finally {
        // A failed append leaves the tombstone files written: memory follows them (the head keeps
        // its points, as it will after a restart, the record never having been logged).
        install();
      }
    } finally {
      for (const h of holds) h.release();
    }
  }

  async *read(request: ReadRequest): AsyncIterable<SeriesBatch> {
    this.assertOpen();
    const bucket = this.buckets.get(request.bucketId);
    if (bucket === undefined) throw notFound(`bucket "${request.bucketId}" not found`);
    if (request.window !== undefined && request.aggregate === undefined) throw invalid('window push-down requires an aggregate');
    if (request.window !== undefined && (request.window.everyNs <= 0n || (request.window.periodNs ?? 1n) <= 0n)) {
      throw invalid('window every and period must be positive');
    }
    // A point is in period / every windows, all computed in one synchronous pass per series.
    if (request.window?.periodNs !== undefined && request.window.periodNs > request.window.everyNs * 1000n) {
      throw invalid('window period must be at most 1000 times every');
    }
    if (request.stopNs <= request.startNs) return;
    const parts = bucket.overlapping(request.startNs, request.stopNs);
    if (parts.length === 0) return;
    const reading = bucketRead(bucket, parts, this.selectSeries(bucket, request), request, this.cache);
    try {
      for (;;) {
        const next = reading.next();
        const batches = next instanceof Promise ? await next : next;
        if (batches === undefined) return;
        for (const b of batches) yield b;
      }
    } finally {
      await reading.settle();
    }
  }

  async measurements(request: SchemaRequest): Promise<string[]> {
    return this.schema.measurements(this.bucket(request.bucketId), request);
  }

  async tagKeys(request: SchemaRequest): Promise<string[]> {
    return this.schema.tagKeys(this.bucket(request.bucketId), request);
  }

  async tagValues(request: SchemaRequest & { tagKey: string }): Promise<string[]> {
    return this.schema.tagValues(this.bucket(request.bucketId), request);
  }

  async fieldKeys(request: SchemaRequest): Promise<{ key: string; type: FieldType }[]> {
    return this.schema.fieldKeys(this.bucket(request.bucketId), request);
  }

  async cardinality(request: SchemaRequest): Promise<number> {
    return this.schema.cardinality(this.bucket(request.bucketId), request);
  }

  stats(): StorageStats {
    let series = 0;
    let blocks = 0;
    let diskBytes = 0;
    for (const b of this.buckets.values()) {
      series += b.index.size;
      for (const p of b.all()) {
        blocks += p.blocks.length;
        for (const blk of p.blocks) diskBytes += blk.sizeBytes;
      }
    }
    const walBytes = this.journal.sizeBytes();
    return { series, blocks, walBytes, headPoints: this.headValues, diskBytes: diskBytes + walBytes };
  }

  /**
   * Writes every head to block files and removes the WAL segments they cover; resolves once every
   * write acknowledged before the call is in blocks. Writes and reads continue meanwhile (frozen
   * heads stay readable).
   */
  flush(): Promise<void> {
    if (this.flushing === undefined) {
      this.flushing = this.doFlush(this.blockStore).finally(() => {
        this.flushing = undefined;
      });
      return this.flushing;
    }
    // A flush under way froze its heads before this call: writes since then need one more.
    // Callers arriving meanwhile share that next flush.
    this.nextFlush ??= this.flushing
      .catch(() => undefined)
      .then(() => {
        this.nextFlush = undefined;
        return this.flush();
      });
    return this.nextFlush;
  }

  private async doFlush(store: BlockStore): Promise<void> {
    this.lastFlushMs = this.clock.nowMs();
    const segment = await this.journal.cut();
    // Records appended before the cut live in older segments: they must be in the head (and so
    // in the frozen snapshot) before those segments may go.
    await this.commits.barrier();
    while (this.deletes.size > 0) await Promise.allSettled([...this.deletes]);
    const jobs: { bucket: Bucket; part: Partition; seq: number }[] = [];
    // Every live head is frozen below, in this same synchronous step: the old generation's memory
    // then belongs to the frozen heads alone, and goes back to the pool as they reach blocks.
    const generation = this.headMemory.rotate();
    for (const bucket of this.buckets.values()) {
      // The caches point at the heads being frozen; they would keep them alive after the flush.
      bucket.index.clearAppendCaches();
      for (const part of bucket.all()) {
        // Heads still frozen here were left by a flush that failed (flushes run one at a time):
        // write them now, or removing the WAL segments below would lose them.
        for (const f of part.frozen) jobs.push({ bucket, part, seq: f.seq });
        const seq = this.nextBlockSeq;
        if (part.freeze(seq) !== undefined) {
          this.nextBlockSeq++;
          jobs.push({ bucket, part, seq });
        }
      }
    }
    generation.seal();
    this.headValues = 0;
    for (const b of this.buckets.values()) for (const p of b.all()) for (const [, c] of p.head) this.headValues += c.length;
    for (const job of jobs) {
      if (!job.part.dropped) await flushPartition(store, job.bucket, job.part, job.seq);
      else for (const f of job.part.frozen.filter((x) => x.seq === job.seq)) job.part.retireFrozen(f);
    }
    this.headMemory.trimSpares();
    // Types of fields whose points were all deleted live only in the WAL until written here.
    for (const bucket of this.buckets.values()) {
      for (const part of bucket.all()) {
        if (!part.fieldTypesDirty || part.dropped) continue;
        await mkdir(part.dir, { recursive: true });
        await writeFieldTypes(part);
      }
    }
    await this.journal.removeSegmentsBefore(segment);
  }

  /** Merges the blocks of every partition that has more than one (or pending tombstones). */
  compact(): Promise<void> {
    const store = this.blockStore;
    this.compacting ??= (async () => {
      for (const bucket of [...this.buckets.values()]) {
        for (const part of bucket.all()) {
          if (part.blocks.length > 1 || (part.blocks.length === 1 && part.tombstones.length > 0)) {
            await compactPartition(store, bucket, part, this.options.compactionBudgetValues);
          }
        }
      }
    })().finally(() => {
      this.compacting = undefined;
    });
    return this.compacting;
  }

  /** Drops partitions wholly older than their bucket's retention period. */
  enforceRetention(): void {
    const nowNs = this.clock.nowNs();
    for (const bucket of this.buckets.values()) {
      for (const part of expiredPartitions(bucket, nowNs)) {
        bucket.removePartition(part);
        for (const [, c] of part.head) this.headValues -= c.length;
        this.logger.info({ bucket: bucket.id, partitionStartNs: part.startNs.toString() }, 'retention dropped partition');
        void Promise.all(part.blocks.map((b) => b.close()))
          .then(() => rm(part.dir, { recursive: true, force: true }))
          .catch((e: unknown) => this.logger.error({ err: e, dir: part.dir }, 'removing expired partition failed'));
      }
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.maintenanceTimer?.cancel();
    await this.commits.barrier();
    // Background work checks `closed` between steps; what is under way finishes first.
    await this.background;
    await this.nextFlush?.catch(() => undefined);
    await this.flushing?.catch(() => undefined);
    await this.compacting?.catch(() => undefined);
    await this.journal.close();
    for (const b of this.buckets.values()) for (const p of b.all()) for (const blk of p.blocks) await blk.close();
  }

  private maybeFlush(): void {
    if (this.headValues >= (this.options.maxHeadValues ?? DEFAULT_MAX_HEAD_VALUES) && this.flushing === undefined) {
      this.flush().catch((e: unknown) => this.logger.error({ err: e }, 'background flush failed'));
    }
  }

  private scheduleMaintenance(): void {
    const every = this.options.maintenanceIntervalMs ?? 60_000;
    this.maintenanceTimer = this.clock.setTimer(every, () => {
      if (this.closed) return;
      this.enforceRetention();
      // Queued behind the previous round, so rounds never overlap and none is skipped.
      const round: Promise<void> = (this.background ?? Promise.resolve())
        .then(() => this.backgroundWork())
        .catch((e: unknown) => this.logger.error({ err: e }, 'background flush or compaction failed'))
        .finally(() => {
          if (this.background === round) this.background = undefined;
        });
      this.background = round;
      this.scheduleMaintenance();
    });
  }

  /**
   * Flushes a head that has waited `flushIntervalMs` (bounding WAL replay after a crash), then
   * compacts partitions that gathered `compactAtBlocks` blocks or have tombstones to purge.
   */
  private async backgroundWork(): Promise<void> {
    const nowMs = this.clock.nowMs();
    if (this.headValues > 0 && nowMs - this.lastFlushMs >= (this.options.flushIntervalMs ?? 600_000)) await this.flush();
    const threshold = this.options.compactAtBlocks ?? 4;
    for (const bucket of [...this.buckets.values()]) {
      for (const part of bucket.all()) {
        if (this.closed) return;
        if (part.blocks.length >= threshold || (part.blocks.length > 0 && part.tombstones.length > 0)) {
          await compactPartition(this.blockStore, bucket, part, this.options.compactionBudgetValues);
        }
      }
    }
  }

  private selectSeries(bucket: Bucket, request: SchemaRequest): FieldSeries[] {
    const ids = bucket.index.select(request.predicate).toArray();
    const out = ids.map((id) => bucket.index.byId(id));
    return out.sort((a, b) => (a.storageKey < b.storageKey ? -1 : a.storageKey > b.storageKey ? 1 : 0));
  }

  private bucket(bucketId: string): Bucket {
    const b = this.buckets.get(bucketId);
    if (b === undefined) throw notFound(`bucket "${bucketId}" not found`);
    return b;
  }

  private bucketDir(bucketId: string): string {
    return join(this.options.dataDir, 'buckets', encodeURIComponent(bucketId));
  }

  /** Saves run one after another (concurrent ensureBucket calls share one temporary file name). */
  private saveBucketConfigs(): Promise<void> {
    const run = this.configSaves.then(() => this.writeBucketConfigs());
    this.configSaves = run.catch(() => undefined);
    return run;
  }

  private async writeBucketConfigs(): Promise<void> {
    const list = [...this.buckets.values()].map((b) => ({
      bucketId: b.id,
      retentionNs: b.retentionNs.toString(),
      shardGroupDurationNs: b.shardDurationNs.toString(),
    }));
    await writeFileDurably(join(this.options.dataDir, BUCKETS_FILE), JSON.stringify({ version: 1, buckets: list }));
  }

  private assertOpen(): void {
    if (this.closed) throw invalid('storage engine is closed');
  }
}

async function readBucketConfigs(path: string): Promise<BucketStorageConfig[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw e;
  }
  const parsed = JSON.parse(text) as { buckets: { bucketId: string; retentionNs: string; shardGroupDurationNs: string }[] };
  return parsed.buckets.map((b) => ({
    bucketId: b.bucketId,
    retentionNs: BigInt(b.retentionNs),
    shardGroupDurationNs: BigInt(b.shardGroupDurationNs),
  }));
}
