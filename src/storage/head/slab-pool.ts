/** WebAssembly pages are 64 KiB. */
const WASM_PAGE_BYTES = 65_536;

// The global of every JS engine Node runs on; not in the project's TypeScript libs.
declare const WebAssembly: { Memory: new (descriptor: { initial: number; maximum: number }) => { readonly buffer: ArrayBuffer } };

/**
 * Fixed-size buffers ("slabs") for head columns, kept for reuse between flushes.
 *
 * Why: a head is thousands of small typed arrays (one pair per field series) that all die
 * together when the head is written to a block. Allocated one by one they come from malloc's
 * main heap, interleaved with every other short-lived buffer of the write path, and once freed
 * the heap stays fragmented and resident (measured: ~100 MB of RSS held after a flush with 2 MB of
 * live buffers). Slabs are few and large and live outside malloc: each is the memory of a
 * WebAssembly.Memory, which V8 maps on its own (zeroed lazily, so only written pages become
 * resident) and unmaps when the slab is garbage. A plain ArrayBuffer would not do: glibc serves
 * even a 32 MiB calloc from the main heap when its free top is large enough, zero-filling (so
 * touching) all of it, and the heap keeps it after it is freed. Kept here, the next head reuses a
 * slab without allocating at all.
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
    return this.spare.pop() ?? allocateSlab(this.slabBytes);
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

/** Memory mapped apart from malloc when the size allows (see SlabPool), else a plain buffer. */
function allocateSlab(bytes: number): ArrayBuffer {
  if (bytes % WASM_PAGE_BYTES !== 0) return new ArrayBuffer(bytes);
  const pages = bytes / WASM_PAGE_BYTES;
  try {
    return new WebAssembly.Memory({ initial: pages, maximum: pages }).buffer;
  } catch {
    // Address space for WebAssembly memories is limited; the slab still works from malloc.
    return new ArrayBuffer(bytes);
  }
}
