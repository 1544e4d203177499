/**
 * Constant string arrays (n copies of one value) for every read of the process (storage tables'
 * tag, field and measurement columns, and slices of such columns: `sliceColumn`), by value and
 * length: a read asking for one already made gets that array, else a slice of the value's longest
 * (a copy, but several times cheaper than a fill), else a fill. A raw read of 100 series through a
 * value filter gives each of its ~1,200 string columns its own length; keyed by value only, every
 * repetition of such a query sliced them all again, 2.2 MB of arrays per answer of the peer
 * benchmark's (d), half of what it allocated. Keyed by length too, a repeated query (a dashboard,
 * a task) makes none. Arrays handed out are never written (columns are immutable).
 *
 * Bounded by `maxSlots` array slots in all (8 bytes each). When full, values no read used in the
 * last `staleReads` reads are let go to make room (once per read); if that frees too little, the
 * new array is handed out without being kept. It used to start afresh instead: a read whose tag
 * values need more than the bound (the peer data set's raw reads: ~250 values × 8,640 rows) then
 * emptied and refilled it on every answer, each array surviving into the old generation of the
 * heap — `stddev()` over one field of 100 hosts spent 80 of its 86 ms that way.
 */
export class StringFills {
  /** value → length → an array of `length` copies of value. */
  private readonly fills = new Map<string, Map<number, string[]>>();
  /** value → its longest array (one of `fills`): what shorter ones are sliced from. */
  private readonly longest = new Map<string, string[]>();
  /** value → the read (`nextRead` count) that last asked for one of its arrays. */
  private readonly usedIn = new Map<string, number>();
  private slots = 0;
  private read = 0;
  /** The read in which stale values were last let go. */
  private sweptIn = -1;

  constructor(
    private readonly maxSlots: number,
    private readonly staleReads = 8,
  ) {}

  /** Marks the start of a storage read (what "recently used" counts in). */
  nextRead(): void {
    this.read++;
  }

  /** An array of `n` times `v`, of length exactly `n`. */
  get(v: string, n: number): string[] {
    const made = this.fills.get(v)?.get(n);
    if (made !== undefined) {
      this.usedIn.set(v, this.read);
      return made;
    }
    const long = this.longest.get(v);
    const values = long !== undefined && long.length > n ? long.slice(0, n) : new Array<string>(n).fill(v);
    if (n > this.maxSlots) return values;
    if (this.slots + n > this.maxSlots && !this.letGoStale(n)) return values;
    this.usedIn.set(v, this.read);
    let byLength = this.fills.get(v);
    if (byLength === undefined) {
      byLength = new Map();
      this.fills.set(v, byLength);
    }
    byLength.set(n, values);
    const l = this.longest.get(v);
    if (l === undefined || l.length < n) this.longest.set(v, values);
    this.slots += n;
    return values;
  }

  /** Lets go of the values not used in the last `staleReads` reads (once per read); whether `n` more slots fit then. */
  private letGoStale(n: number): boolean {
    if (this.sweptIn === this.read) return false;
    this.sweptIn = this.read;
    for (const [v, at] of this.usedIn) {
      if (at >= this.read - this.staleReads) continue;
      for (const a of this.fills.get(v)?.values() ?? []) this.slots -= a.length;
      this.fills.delete(v);
      this.longest.delete(v);
      this.usedIn.delete(v);
    }
    return this.slots + n <= this.maxSlots;
  }

  /** Array slots held (for tests). */
  get heldSlots(): number {
    return this.slots;
  }
}

/** 2 Mi slots: at most 16 MiB of pointers (the strings themselves are the read's own); a raw read of one field of the peer data set (100 hosts × 8,640 rows, ~250 tag values) fits. */
export const SHARED_STRING_FILLS = new StringFills(1 << 21);
