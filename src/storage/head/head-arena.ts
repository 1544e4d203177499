import type { SlabPool } from './slab-pool.js';

/** A region of an arena: `bytes` bytes at `byteOffset` of `buffer`, 8-byte aligned. */
export interface ArenaRegion {
  readonly buffer: ArrayBuffer;
  readonly byteOffset: number;
}

/**
 * The memory of one head generation: every typed array of the columns written between two
 * flushes is carved from pooled slabs by bumping an offset, and all of it goes back to the pool
 * at once when the generation's last frozen head is in a block.
 *
 * Lifecycle: live (allocating) → `seal()` when a flush freezes the generation → its frozen heads
 * `retain()` it, and `release()` once written → slabs returned when sealed and unretained. A
 * region larger than a quarter of a slab gets its own buffer (left to the garbage collector), so
 * one huge column does not waste most of a slab.
 *
 * Contract: after the slabs are returned nothing may read the generation's columns; the engine
 * guarantees it by using head columns only synchronously (readers copy before any await) and by
 * releasing a frozen head only after removing it from its partition.
 */
export class HeadArena {
  private readonly slabs: ArrayBuffer[] = [];
  private current: ArrayBuffer | undefined;
  private offset = 0;
  private refs = 0;
  private sealed = false;
  private returned = false;

  constructor(private readonly pool: SlabPool) {}

  /** `bytes` bytes of uninitialised (possibly stale) memory, 8-byte aligned. */
  alloc(bytes: number): ArenaRegion {
    if (this.returned) throw new Error('head arena used after its slabs were returned');
    const size = (bytes + 7) & ~7;
    const slabBytes = this.pool.slabBytes;
    if (size > slabBytes >>> 2) return { buffer: new ArrayBuffer(size), byteOffset: 0 };
    if (this.current === undefined || this.offset + size > slabBytes) {
      this.current = this.pool.take();
      this.slabs.push(this.current);
      this.offset = 0;
    }
    const region = { buffer: this.current, byteOffset: this.offset };
    this.offset += size;
    return region;
  }

  /** Slabs this generation holds. */
  get slabCount(): number {
    return this.slabs.length;
  }

  /** A frozen head of this generation still needs its memory. */
  retain(): void {
    this.refs++;
  }

  /** A frozen head of this generation is in a block (or dropped) and no longer readable. */
  release(): void {
    if (this.refs <= 0) throw new Error('head arena released more often than retained');
    this.refs--;
    this.returnIfDone();
  }

  /** No column allocates here any more (the generation was frozen). */
  seal(): void {
    this.sealed = true;
    this.returnIfDone();
  }

  private returnIfDone(): void {
    if (!this.sealed || this.refs > 0 || this.returned) return;
    this.returned = true;
    for (const s of this.slabs) this.pool.give(s);
    this.slabs.length = 0;
    this.current = undefined;
  }
}
