/**
 * A count of changes to some metadata, for caches that must not outlive a change: a cache entry
 * records `value` when filled and is valid while `value` is unchanged. Writers `bump` on every
 * change that could matter, including ones a transaction may roll back (a spurious miss is
 * harmless; a stale hit is not).
 */
export class ChangeCounter {
  #value = 0;

  get value(): number {
    return this.#value;
  }

  bump(): void {
    this.#value++;
  }
}
