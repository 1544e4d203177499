import { HeadArena } from './head-arena.js';
import { SlabPool } from './slab-pool.js';

/**
 * Default slab: 32 MiB (2 Mi values of 16 bytes). Slabs are allocated zeroed and touched only as
 * columns fill them, so an idle or small head costs only the pages it wrote. The size is chosen
 * for glibc: requests of at least 32 MiB are always served by their own mmap and unmapped when
 * freed, whereas smaller ones are served from the main heap once malloc's dynamic mmap threshold
 * has risen (it follows the largest buffer freed so far), and a slab dropped from the pool would
 * then fragment the heap like the per-column arrays this replaces.
 */
export const DEFAULT_SLAB_BYTES = 32 * 1024 * 1024;

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
   * Keeps as many spare slabs as the live generation holds now: under steady writes the next
   * generation needs about as many, and once writes stop (live head empty) every spare goes back
   * to the OS instead of staying resident.
   */
  trimSpares(): void {
    this.pool.trim(this.arena.slabCount);
  }
}
