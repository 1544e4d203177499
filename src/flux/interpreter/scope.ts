import type { Value } from '../values/value.js';

/**
 * A lexical scope: names bound to values, with a parent. Flux variables are immutable; the only
 * rebinding is an `option` statement, which replaces the value in the scope that defines it
 * (see `assignOption`).
 */
export class Scope {
  readonly parent: Scope | null;
  readonly #vars: Map<string, Value>;

  constructor(parent: Scope | null, vars?: Map<string, Value>) {
    this.parent = parent;
    this.#vars = vars ?? new Map();
  }

  lookup(name: string): Value | undefined {
    const own = this.#vars.get(name);
    if (own !== undefined) return own;
    // Iterative: scopes nest deeply (one per function call).
    for (let s = this.parent; s !== null; s = s.parent) {
      const v = s.#vars.get(name);
      if (v !== undefined) return v;
    }
    return undefined;
  }

  /** Binds in this scope. */
  set(name: string, value: Value): void {
    this.#vars.set(name, value);
  }

  hasOwn(name: string): boolean {
    return this.#vars.has(name);
  }

  /** Replaces `name` in the nearest scope that defines it; defines it here if none does. */
  assignOption(name: string, value: Value): void {
    if (this.#vars.has(name)) {
      this.#vars.set(name, value);
      return;
    }
    for (let s = this.parent; s !== null; s = s.parent) {
      if (s.#vars.has(name)) {
        s.#vars.set(name, value);
        return;
      }
    }
    this.#vars.set(name, value);
  }

  /** The names bound directly in this scope, in binding order. */
  ownEntries(): IterableIterator<[string, Value]> {
    return this.#vars.entries();
  }

  child(): Scope {
    return new Scope(this);
  }
}
