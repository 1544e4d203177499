import { anchorShapes } from '../../core/shape-anchors.js';
import type { Value } from '../values/value.js';

/**
 * A package's members where builtins are made on first use. A package is instantiated for every
 * execution (its builtins close over that execution's context), and universe alone has over a
 * hundred builtins while a task's query calls a handful: making them all cost ~30 KB and ~0.1 ms
 * per run, garbage that a burst of thousands of runs piles up. Behaves as a plain Map of every
 * member: `get`/`has` make a pending builtin when asked, and anything that enumerates (size,
 * iteration) makes all pending ones first, in declaration order. `set`/`delete` of a pending name
 * (an `option` replacing a builtin) drop the pending maker.
 *
 * A package's builtins come as one table shared by every instance (`deferAll`): an instance then
 * costs one small set of the names it made or replaced, not a maker closure and a map entry per
 * builtin (universe has hundreds; a burst of 10,000 task runs instantiates it 10,000 times).
 */
export class LazyMembers extends Map<string, Value> {
  readonly #pending = new Map<string, () => Value>();
  /** Shared table of members made on first use (deferAll); at most one per instance. */
  #table: ReadonlyMap<string, unknown> | undefined;
  #makeFromTable: ((name: string, spec: unknown) => Value) | undefined;
  /** Table names no longer pending: made, replaced or deleted. */
  #taken: Set<string> | undefined;

  /**
   * Adds every name of `table` as a member made by `make(name, spec)` on first use. The table is
   * read, never copied or changed, so one table can serve every instance. Call it on an empty
   * instance (before any other member is added), at most once.
   */
  deferAll<S>(table: ReadonlyMap<string, S>, make: (name: string, spec: S) => Value): void {
    if (this.#table !== undefined || super.size > 0 || this.#pending.size > 0) throw new Error('deferAll must be the first member added, once');
    this.#table = table;
    this.#makeFromTable = make as (name: string, spec: unknown) => Value;
    this.#taken = new Set();
  }

  #inTable(name: string): boolean {
    return this.#table !== undefined && this.#table.has(name);
  }

  #tablePending(name: string): boolean {
    return this.#inTable(name) && !this.#taken!.has(name);
  }

  /** Adds a member made by `make` on first use. */
  defer(name: string, make: () => Value): void {
    super.delete(name);
    if (this.#inTable(name)) this.#taken!.add(name);
    this.#pending.set(name, make);
  }

  override get(name: string): Value | undefined {
    const have = super.get(name);
    if (have !== undefined) return have;
    const make = this.#pending.get(name);
    if (make !== undefined) {
      this.#pending.delete(name);
      const v = make();
      super.set(name, v);
      return v;
    }
    if (!this.#tablePending(name)) return undefined;
    this.#taken!.add(name);
    const v = this.#makeFromTable!(name, this.#table!.get(name));
    super.set(name, v);
    return v;
  }

  override has(name: string): boolean {
    return this.#pending.has(name) || this.#tablePending(name) || super.has(name);
  }

  override set(name: string, value: Value): this {
    this.#pending.delete(name);
    if (this.#inTable(name)) this.#taken!.add(name);
    return super.set(name, value);
  }

  override delete(name: string): boolean {
    const was = this.#pending.delete(name) || this.#tablePending(name);
    if (this.#inTable(name)) this.#taken!.add(name);
    return super.delete(name) || was;
  }

  override clear(): void {
    this.#pending.clear();
    this.#table = undefined;
    this.#makeFromTable = undefined;
    this.#taken = undefined;
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
    if (this.#table !== undefined) for (const name of this.#table.keys()) if (!this.#taken!.has(name)) this.get(name);
    for (const name of [...this.#pending.keys()]) this.get(name);
  }
}

/**
 * A package instance's members live only while its execution runs: one kept alive, set up as
 * packages set theirs up (`deferAll`), keeps their map (core/shape-anchors.ts).
 */
function membersExemplar(): LazyMembers {
  const m = new LazyMembers();
  m.deferAll(new Map<string, never>(), () => {
    throw new Error('unreachable: the exemplar has no members to make');
  });
  return m;
}
anchorShapes(membersExemplar());
