/**
 * Fixed-size buffers ("slabs") for head columns, kept for reuse between flushes.
 *
 * Why: a head is thousands of small typed arrays (one pair per field series) that all die
 * together when the head is written to a block. Allocated one by one they come from malloc's
 * main heap, interleaved with every other short-lived buffer of the write path, and once freed
 * the heap stays fragmented and resident (measured: ~100 MB of RSS held after a flush with 2 MB of
 * live buffers). Slabs are few and large, so malloc maps them separately and gives them back to
 * the OS when dropped; kept here, the next head reuses them without allocating at all.
 *
 * Ownership: a slab handed out by `take` belongs to the caller until it is passed to `give`;
 * after that nothing may keep a view into it (the next `take` overwrites it).
 */
export class SlabPool {
  private readonly spare: ArrayBuffer[] = [];
  private taken = 0;

  constructor(
    /** Bytes of every slab; a multiple of 8. */
    readonly slabBytes: number,
  ) {
    if (!Number.isInteger(slabBytes) || slabBytes <= 0 || slabBytes % 8 !== 0) throw new RangeError(`slabBytes must be a positive multiple of 8, got ${slabBytes}`);
  }

  /** A slab: a spare one (holding stale bytes) or a new one (zeroed). */
  take(): ArrayBuffer {
    this.taken++;
    return this.spare.pop() ?? new ArrayBuffer(this.slabBytes);
  }

  /** Returns a slab taken from this pool; it is kept as a spare. */
  give(slab: ArrayBuffer): void {
    if (slab.byteLength !== this.slabBytes) throw new RangeError('slab of another pool');
    this.taken--;
    this.spare.push(slab);
  }

  /** Drops spares beyond `maxSpare`, so the garbage collector returns their memory. */
  trim(maxSpare: number): void {
    if (this.spare.length > maxSpare) this.spare.length = Math.max(0, maxSpare);
  }

  /** Slabs handed out and not yet given back. */
  get takenSlabs(): number {
    return this.taken;
  }

  get spareSlabs(): number {
    return this.spare.length;
  }
}
