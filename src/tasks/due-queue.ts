/** The keys due at one instant, in the order they were set (stale ones are skipped when popped). */
interface Bucket {
  readonly keys: string[];
  readonly versions: number[];
  /** Keys in `keys` whose live entry is still this instant. */
  live: number;
}

/**
 * Wake-up times by key, at most one live entry per key: `set` replaces a key's entry, `delete`
 * removes it. The scheduler keeps one entry per task, its next wake-up, so one timer serves any
 * number of tasks.
 *
 * Keys are grouped by instant: a min-heap holds each distinct due time once, and each time has a
 * bucket of its keys. Tasks share few instants (10,000 tasks `every: 1m` are all due at :00), so
 * setting and popping a key costs a Map operation and an array push, not a heap walk comparing
 * bigints; popping 10,000 keys due at once is one pass over one array. Keys due at the same
 * instant pop in the order they were (last) set; earlier instants first.
 */
export class DueQueue {
  /** Distinct due times with a bucket, as a binary min-heap. */
  private readonly times: bigint[] = [];
  private readonly buckets = new Map<bigint, Bucket>();
  private readonly live = new Map<string, { dueNs: bigint; version: number }>();
  private nextVersion = 0;

  get size(): number {
    return this.live.size;
  }

  set(key: string, dueNs: bigint): void {
    const current = this.live.get(key);
    if (current !== undefined) {
      if (current.dueNs === dueNs) return;
      this.buckets.get(current.dueNs)!.live--;
    }
    const version = this.nextVersion++;
    this.live.set(key, { dueNs, version });
    let bucket = this.buckets.get(dueNs);
    if (bucket === undefined) {
      bucket = { keys: [], versions: [], live: 0 };
      this.buckets.set(dueNs, bucket);
      this.push(dueNs);
    }
    bucket.keys.push(key);
    bucket.versions.push(version);
    bucket.live++;
  }

  delete(key: string): void {
    const current = this.live.get(key);
    if (current === undefined) return;
    this.live.delete(key);
    this.buckets.get(current.dueNs)!.live--;
  }

  /** The earliest due time, or undefined when empty. */
  peekDueNs(): bigint | undefined {
    this.dropEmpty();
    return this.times[0];
  }

  /** Removes and returns the keys due at or before `nowNs`, earliest first. */
  popDue(nowNs: bigint): string[] {
    const out: string[] = [];
    for (;;) {
      this.dropEmpty();
      const top = this.times[0];
      if (top === undefined || top > nowNs) return out;
      this.pop();
      const bucket = this.buckets.get(top)!;
      this.buckets.delete(top);
      const { keys, versions } = bucket;
      for (let i = 0; i < keys.length; i++) {
        const key = keys[i]!;
        const entry = this.live.get(key);
        // A key set again later (elsewhere, or here with a newer version) is stale at this index.
        if (entry === undefined || entry.version !== versions[i]) continue;
        this.live.delete(key);
        out.push(key);
      }
    }
  }

  /** Drops instants at the top whose keys all moved or were deleted. */
  private dropEmpty(): void {
    while (this.times.length > 0) {
      const top = this.times[0]!;
      if (this.buckets.get(top)!.live > 0) return;
      this.buckets.delete(top);
      this.pop();
    }
  }

  private push(t: bigint): void {
    const h = this.times;
    h.push(t);
    let i = h.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (h[parent]! <= t) break;
      h[i] = h[parent]!;
      i = parent;
    }
    h[i] = t;
  }

  private pop(): void {
    const h = this.times;
    const last = h.pop()!;
    if (h.length === 0) return;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = l;
      if (l >= h.length) break;
      if (r < h.length && h[r]! < h[l]!) m = r;
      if (h[m]! >= last) break;
      h[i] = h[m]!;
      i = m;
    }
    h[i] = last;
  }
}
