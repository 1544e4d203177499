/**
 * Values memoized for one turn of the event loop: cleared by the first `setImmediate` after an
 * entry is added. Runs starting together (a burst at :00 starts a hundred runs on each group
 * commit) then share one metadata read, while a change made by any later request (a revoked
 * token, a deactivated owner) is seen by every run that starts after that turn: a run can be at
 * most one loop turn behind such a change, as if it had started a moment earlier. Nothing is
 * retained between turns, so it costs no memory at rest.
 */
export class TurnMemo<K, V> {
  readonly #values = new Map<K, V>();
  #clearScheduled = false;

  constructor(private readonly defer: (clear: () => void) => void = (clear) => void setImmediate(clear)) {}

  get(key: K, load: (key: K) => V): V {
    if (this.#values.has(key)) return this.#values.get(key) as V;
    const value = load(key);
    this.#values.set(key, value);
    if (!this.#clearScheduled) {
      this.#clearScheduled = true;
      this.defer(() => {
        this.#clearScheduled = false;
        this.#values.clear();
      });
    }
    return value;
  }

  /** Forgets every value now (a change the caller knows of makes them stale before the turn ends). */
  clear(): void {
    this.#values.clear();
  }
}
