import { HeadArena } from './head-arena.js';
import { SlabPool } from './slab-pool.js';

/** Default slab: 4 MiB, 256 Ki values of 16 bytes (timestamp + value). */
export const DEFAULT_SLAB_BYTES = 4 * 1024 * 1024;

/**
 * The engine-wide memory of heads: the slab pool and the arena of the live generation. Every
 * partition's live columns allocate from `current`; a flush calls `rotate()` in the same
 * synchronous step that freezes every live head, so a generation's arena holds exactly the
 * columns frozen by that flush.
 */
export class HeadMemory {
  readonly pool: SlabPool;
  private arena: HeadArena;

  constructor(slabBytes = DEFAULT_SLAB_BYTES) {
    this.pool = new SlabPool(slabBytes);
    this.arena = new HeadArena(this.pool);
  }

  get current(): HeadArena {
    return this.arena;
  }

  /**
   * Starts a new generation and returns the previous one, not yet sealed: the caller freezes its
   * heads (each retaining it), then seals it.
   */
  rotate(): HeadArena {
    const previous = this.arena;
    this.arena = new HeadArena(this.pool);
    return previous;
  }

  /**
   * Keeps as many spare slabs as the live generation holds now (at least one): under steady
   * writes the next generation needs about as many, and after the last write (live head empty)
   * the rest goes back to the OS instead of staying resident.
   */
  trimSpares(): void {
    this.pool.trim(Math.max(1, this.arena.slabCount));
  }
}
