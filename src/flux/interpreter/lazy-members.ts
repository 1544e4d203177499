import type { Value } from '../values/value.js';

/**
 * A package's members where builtins are made on first use. A package is instantiated for every
 * execution (its builtins close over that execution's context), and universe alone has over a
 * hundred builtins while a task's query calls a handful: making them all cost ~30 KB and ~0.1 ms
 * per run, garbage that a burst of thousands of runs piles up. Behaves as a plain Map of every
 * member: `get`/`has` make a pending builtin when asked, and anything that enumerates (size,
 * iteration) makes all pending ones first, in declaration order. `set`/`delete` of a pending name
 * (an `option` replacing a builtin) drop the pending maker.
 */
export class LazyMembers extends Map<string, Value> {
  readonly #pending = new Map<string, () => Value>();

  /** Adds a member made by `make` on first use. */
  defer(name: string, make: () => Value): void {
    super.delete(name);
    this.#pending.set(name, make);
  }

  override get(name: string): Value | undefined {
    const have = super.get(name);
    if (have !== undefined) return have;
    const make = this.#pending.get(name);
    if (make === undefined) return undefined;
    this.#pending.delete(name);
    const v = make();
    super.set(name, v);
    return v;
  }

  override has(name: string): boolean {
    return this.#pending.has(name) || super.has(name);
  }

  override set(name: string, value: Value): this {
    this.#pending.delete(name);
    return super.set(name, value);
  }

  override delete(name: string): boolean {
    const was = this.#pending.delete(name);
    return super.delete(name) || was;
  }

  override clear(): void {
    this.#pending.clear();
    super.clear();
  }

  override get size(): number {
    this.#makeAll();
    return super.size;
  }

  override entries(): MapIterator<[string, Value]> {
    this.#makeAll();
    return super.entries();
  }

  override keys(): MapIterator<string> {
    this.#makeAll();
    return super.keys();
  }

  override values(): MapIterator<Value> {
    this.#makeAll();
    return super.values();
  }

  override forEach(fn: (value: Value, key: string, map: Map<string, Value>) => void, thisArg?: unknown): void {
    this.#makeAll();
    super.forEach(fn, thisArg);
  }

  override [Symbol.iterator](): MapIterator<[string, Value]> {
    return this.entries();
  }

  #makeAll(): void {
    for (const name of [...this.#pending.keys()]) this.get(name);
  }
}
