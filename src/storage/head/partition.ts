import type { FieldSchema, FieldType } from '../../lineprotocol/point.js';
import type { StoredBlock } from '../compaction/stored-block.js';
import type { Tombstone } from '../tombstone/tombstone.js';
import type { Column } from '../read/column.js';
import type { HeadArena } from './head-arena.js';
import { HeadColumn } from './head-column.js';
import type { HeadMemory } from './head-memory.js';

/** A partition's turn at changing its tombstones (Partition.holdTombstones). */
export interface TombstoneHold {
  /** The tombstones when the turn came (nothing else changes them until `release`). */
  readonly current: readonly Tombstone[];
  /** Makes `next` the partition's tombstones (persist it first). */
  install(next: Tombstone[]): void;
  /** Ends the turn; the next change waiting runs. */
  release(): void;
}

export interface FrozenHead {
  readonly seq: number;
  /** field series id → time-ordered points. */
  readonly columns: Map<number, Column>;
  readonly points: number;
  /** The generation memory the columns live in (retained until `retireFrozen`); none without a HeadMemory. */
  readonly arena: HeadArena | undefined;
}

/**
 * One shard group of a bucket: the time range `[startNs, endNs)`, its in-memory head, the heads
 * being flushed, its immutable blocks (ascending `seq`, a later block wins on equal timestamps),
 * and its tombstones. Retention drops partitions whole.
 */
export class Partition {
  /** field series id → the column receiving writes. */
  head = new Map<number, HeadColumn>();
  /**
   * Heads frozen by a flush in progress, oldest first; each becomes the block `seq`. Their columns
   * are immutable snapshots, so the block writer and readers share them safely; deletes reach
   * them through tombstones, like blocks.
   */
  frozen: FrozenHead[] = [];
  blocks: StoredBlock[] = [];
  /**
   * Incremented whenever `blocks` or `frozen` change. A reader that fetched block data across an
   * await checks it before combining that data with the head, and fetches again if it moved (a
   * flush may have turned a frozen head it would have read into a block it did not fetch).
   */
  version = 0;
  tombstones: Tombstone[] = [];
  /**
   * The type of each field per measurement in this shard group (InfluxDB fixes field types per
   * measurement per shard group); reserved at validation, before the WAL append.
   */
  readonly fieldTypes = new Map<string, Map<string, FieldType>>();
  /**
   * Write-path cache of the validator: schema → the measurement it was last fully validated for
   * in this partition (all its field types registered and equal). Types never change within a
   * partition, so a hit needs no per-field check. Schemas with strings or a `time` field are
   * never cached.
   */
  readonly validatedSchemas = new Map<FieldSchema, string>();
  /** Field types registered since `fields.json` was last written (compaction/field-types-file.ts). */
  fieldTypesDirty = false;
  headPoints = 0;
  private readonly lengthHints = new Map<number, number>();
  /** The arena the live head's columns allocate from (set by the first column of a head). */
  private headArena: HeadArena | undefined;
  /** Tail of the chain serialising changes to `tombstones` and their file (see updateTombstones). */
  private tombstoneChain: Promise<void> = Promise.resolve();
  /** A compaction of this partition is running (at most one at a time). */
  compacting = false;
  /** Set when retention or a bucket drop removed it; background work checks this after awaits. */
  dropped = false;

  constructor(
    readonly startNs: bigint,
    readonly endNs: bigint,
    /** Directory of this partition's files. */
    readonly dir: string,
    /** Where head columns get their memory; without it, plain typed arrays. */
    private readonly memory?: HeadMemory,
  ) {}

  /** The column of `fieldSeriesId` in the live head, created with `type` if absent. */
  column(fieldSeriesId: number, type: FieldType): HeadColumn {
    let c = this.head.get(fieldSeriesId);
    if (c === undefined) {
      // Sized like the column this one replaces at the last flush: steady ingest then allocates
      // once per flush instead of growing by doubling (each growth copies and zero-fills).
      this.headArena ??= this.memory?.current;
      c = new HeadColumn(type, this.lengthHints.get(fieldSeriesId), this.headArena);
      this.head.set(fieldSeriesId, c);
    }
    return c;
  }

  fieldType(measurement: string, field: string): FieldType | undefined {
    return this.fieldTypes.get(measurement)?.get(field);
  }

  setFieldType(measurement: string, field: string, type: FieldType): void {
    this.fieldTypesDirty = true;
    let m = this.fieldTypes.get(measurement);
    if (m === undefined) {
      m = new Map();
      this.fieldTypes.set(measurement, m);
    }
    m.set(field, type);
  }

  /**
   * Replaces the tombstones with `change(current)`, persisted by `persist` before they take
   * effect. Calls run one at a time in call order, each on the list the previous one left, so
   * concurrent deletes and compactions neither lose a tombstone nor race on the file.
   */
  async updateTombstones(change: (current: readonly Tombstone[]) => Tombstone[], persist: (next: readonly Tombstone[]) => Promise<void>): Promise<void> {
    const hold = await this.holdTombstones();
    try {
      const next = change(hold.current);
      await persist(next);
      hold.install(next);
    } finally {
      hold.release();
    }
  }

  /**
   * Takes this partition's turn at changing its tombstones (in call order, like updateTombstones)
   * and keeps it until `release`: the holder persists a new list, then `install`s it when it
   * chooses. A delete holds every partition it touches so that its tombstones take effect in all
   * of them in one synchronous step. Take the holds of several partitions in one synchronous
   * step too (no await between the calls): every holder then queues in the same order on every
   * partition, and none waits for another in a cycle.
   */
  holdTombstones(): Promise<TombstoneHold> {
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    const turn = this.tombstoneChain;
    this.tombstoneChain = released;
    return turn.then(() => ({
      current: this.tombstones,
      install: (next) => {
        this.tombstones = next;
      },
      release,
    }));
  }

  /** Moves the live head into `frozen` under block sequence `seq`; returns the snapshot. */
  freeze(seq: number): FrozenHead | undefined {
    if (this.head.size === 0) return undefined;
    const columns = new Map<number, Column>();
    for (const [id, c] of this.head) {
      if (c.length === 0) continue;
      columns.set(id, c.view());
      this.lengthHints.set(id, c.length + (c.length >>> 3));
    }
    const arena = this.headArena;
    const f: FrozenHead = { seq, columns, points: this.headPoints, arena };
    this.head = new Map();
    this.headPoints = 0;
    this.headArena = undefined;
    if (columns.size === 0) return undefined;
    arena?.retain();
    this.frozen.push(f);
    this.version++;
    return f;
  }

  /**
   * Removes a frozen head (now in a block, or its partition dropped) and gives its memory back:
   * readers see the block from here on, so nothing reads the head's columns after this.
   */
  retireFrozen(f: FrozenHead): void {
    const before = this.frozen.length;
    this.frozen = this.frozen.filter((x) => x !== f);
    if (this.frozen.length === before) return;
    this.version++;
    f.arena?.release();
  }
}
