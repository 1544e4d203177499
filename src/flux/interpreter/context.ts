import { MemoryBudget } from '../execute/memory-budget.js';
import type { RecordValue, StreamValue, Value } from '../values/value.js';
import { CallError } from './flux-error.js';
import type { PackageRegistry } from './packages.js';
import type { Scope } from './scope.js';

/**
 * A typed key for something the host gives a Flux execution: the storage source behind `from()`,
 * the sink behind `to()`, the task's last success time, an HTTP client. The Flux engine defines
 * the key and the interface; the host (src/query, src/tasks) supplies the implementation.
 */
export class ExternalKey<T> {
  declare readonly _type: T;
  constructor(readonly name: string) {}
}

/** One result of a program: a named stream, as `yield(name:)` (or an implicit yield) makes it. */
export interface ProgramResult {
  readonly name: string;
  readonly stream: StreamValue;
}

/** A package instantiated for one execution: its top-level scope and the record of its members. */
export interface PackageInstance {
  readonly path: string;
  readonly scope: Scope;
  /** Shares its map with `scope`, so an `option pkg.x = …` is seen by the package's functions. */
  readonly value: RecordValue;
}

export interface ExecContextInit {
  readonly registry: PackageRegistry;
  /** The query's `now` (ns). Defaults to the wall clock at the start of execution. */
  readonly nowNs?: bigint;
  readonly budget?: MemoryBudget;
  readonly signal?: AbortSignal;
  readonly externals?: ReadonlyMap<ExternalKey<unknown>, unknown>;
}

/** Work between two turns of the event loop, at most, where storage batches pass (ExecContext.checkpoint). */
const BREATHER_MS = 100;

/**
 * Everything one execution of a Flux program shares: options, packages (instantiated per
 * execution, since options may differ), results, memory budget, cancellation and the host's
 * externals. Builtins receive it through their `Args`.
 */
export class ExecContext {
  readonly registry: PackageRegistry;
  readonly budget: MemoryBudget;
  readonly signal: AbortSignal;
  readonly results: ProgramResult[] = [];
  readonly yielded = new WeakSet<StreamValue>();
  /** The query time given by the host: what the default `now` option returns. */
  readonly queryNowNs: bigint;
  readonly #externals: ReadonlyMap<ExternalKey<unknown>, unknown>;
  readonly #packages = new Map<string, PackageInstance | Promise<PackageInstance>>();
  readonly #byValue = new WeakMap<RecordValue, PackageInstance>();
  #universe: PackageInstance | undefined;
  #nowNs: bigint | undefined;

  constructor(init: ExecContextInit) {
    this.registry = init.registry;
    this.budget = init.budget ?? new MemoryBudget();
    this.signal = init.signal ?? new AbortController().signal;
    this.queryNowNs = init.nowNs ?? BigInt(Date.now()) * 1_000_000n;
    this.#externals = init.externals ?? new Map();
  }

  external<T>(key: ExternalKey<T>): T | undefined {
    return this.#externals.get(key as ExternalKey<unknown>) as T | undefined;
  }

  /** Like `external`, but a missing external is an error naming what the function needs. */
  requireExternal<T>(key: ExternalKey<T>, fn: string): T {
    const v = this.external(key);
    if (v === undefined) throw new CallError(`${fn} is not available here: no ${key.name} is configured`);
    return v;
  }

  get universe(): PackageInstance {
    if (this.#universe === undefined) throw new CallError('universe package not loaded');
    return this.#universe;
  }

  /** Imports a package (instantiating it on first use in this execution). */
  async importPackage(path: string): Promise<PackageInstance> {
    const have = this.#packages.get(path);
    if (have !== undefined) return have;
    const pending = this.registry.instantiate(path, this).then((inst) => {
      this.#packages.set(path, inst);
      this.#byValue.set(inst.value, inst);
      if (path === 'universe') this.#universe = inst;
      return inst;
    });
    this.#packages.set(path, pending);
    return pending;
  }

  /** The package whose member record this is, if it is one (for `option pkg.x = …`). */
  packageOf(value: RecordValue): PackageInstance | undefined {
    return this.#byValue.get(value);
  }

  /** Reads an option (or any member) of an instantiated package; undefined when absent. */
  option(path: string, name: string): Value | undefined {
    const inst = this.#packages.get(path);
    if (inst === undefined || inst instanceof Promise) return undefined;
    return inst.scope.lookup(name);
  }

  /**
   * `now()` of this execution: the universe `now` option called once and remembered, so every
   * use within one execution sees the same instant (as in Flux).
   */
  now(): bigint {
    if (this.#nowNs !== undefined) return this.#nowNs;
    const fn = this.universe.scope.lookup('now');
    if (fn === undefined || fn.kind !== 'function') throw new CallError('option now is not a function');
    const v = fn.call(new Map());
    if (v instanceof Promise) throw new CallError('option now must not be asynchronous');
    if (v.kind !== 'time') throw new CallError(`option now must return a time, got ${v.kind}`);
    this.#nowNs = v.value;
    return v.value;
  }

  /** When this execution last let the event loop run (`performance.now()`; see `checkpoint`). */
  #lastBreathMs = performance.now();

  /**
   * Checks cancellation (as `checkCanceled`); after `BREATHER_MS` of work without a turn of the
   * event loop, first lets it run once (I/O, timers) and returns the promise of that, which
   * rejects if the execution was cancelled meanwhile; else undefined. A query whose tables come
   * from memory runs in microtasks, which the event loop never interrupts: without this it would
   * see neither its client going away nor its time limit (both arrive as events) until done, and
   * keep every other request of the server waiting meanwhile. Passed where storage batches enter
   * a query (query/storage-read.ts); rarely pauses a short query (once per 100 ms at most).
   */
  checkpoint(): Promise<void> | undefined {
    this.checkCanceled();
    if (performance.now() - this.#lastBreathMs < BREATHER_MS) return undefined;
    return new Promise((resolve, reject) =>
      setImmediate(() => {
        this.#lastBreathMs = performance.now();
        try {
          this.checkCanceled();
          resolve();
        } catch (e) {
          reject(e);
        }
      }),
    );
  }

  /** Throws when the execution was cancelled (client gone, time limit). */
  checkCanceled(): void {
    if (this.signal.aborted) {
      const reason: unknown = this.signal.reason;
      throw reason instanceof Error ? reason : new CallError('query canceled', 'canceled');
    }
  }
}
