/**
 * A min-heap of (dueNs, key) with at most one live entry per key: `set` replaces a key's entry,
 * `delete` removes it (lazily: stale heap nodes are skipped when popped). The scheduler keeps
 * one entry per task, its next wake-up, so one timer serves any number of tasks.
 */
export class DueQueue {
  private heap: { dueNs: bigint; key: string; version: number }[] = [];
  private readonly live = new Map<string, { dueNs: bigint; version: number }>();
  private nextVersion = 0;

  get size(): number {
    return this.live.size;
  }

  set(key: string, dueNs: bigint): void {
    const current = this.live.get(key);
    if (current !== undefined && current.dueNs === dueNs) return;
    const version = this.nextVersion++;
    this.live.set(key, { dueNs, version });
    this.push({ dueNs, key, version });
  }

  delete(key: string): void {
    this.live.delete(key);
  }

  /** The earliest due time, or undefined when empty. */
  peekDueNs(): bigint | undefined {
    this.dropStale();
    return this.heap[0]?.dueNs;
  }

  /** Removes and returns the keys due at or before `nowNs`, earliest first. */
  popDue(nowNs: bigint): string[] {
    const out: string[] = [];
    for (;;) {
      this.dropStale();
      const top = this.heap[0];
      if (top === undefined || top.dueNs > nowNs) return out;
      this.pop();
      this.live.delete(top.key);
      out.push(top.key);
    }
  }

  private dropStale(): void {
    while (this.heap.length > 0) {
      const top = this.heap[0]!;
      const live = this.live.get(top.key);
      if (live !== undefined && live.version === top.version) return;
      this.pop();
    }
  }

  private less(i: number, j: number): boolean {
    const a = this.heap[i]!;
    const b = this.heap[j]!;
    return a.dueNs < b.dueNs || (a.dueNs === b.dueNs && a.version < b.version);
  }

  private push(node: { dueNs: bigint; key: string; version: number }): void {
    const h = this.heap;
    h.push(node);
    let i = h.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.less(i, parent)) break;
      [h[i], h[parent]] = [h[parent]!, h[i]!];
      i = parent;
    }
  }

  private pop(): void {
    const h = this.heap;
    const last = h.pop()!;
    if (h.length === 0) return;
    h[0] = last;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < h.length && this.less(l, m)) m = l;
      if (r < h.length && this.less(r, m)) m = r;
      if (m === i) return;
      [h[i], h[m]] = [h[m]!, h[i]!];
      i = m;
    }
  }
}
