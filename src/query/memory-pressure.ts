import { totalmem } from 'node:os';
import { getHeapStatistics } from 'node:v8';
import { ErrorCode, SluiceError } from '../core/errors.js';
import type { MemoryPressure } from '../flux/execute/memory-budget.js';

/** What the guard compares: the JavaScript heap against its limit, resident memory against the machine's. */
export interface MemoryReading {
  readonly heapUsedBytes: number;
  readonly heapLimitBytes: number;
  readonly residentBytes: number;
  readonly residentLimitBytes: number;
}

export interface ProcessMemoryOptions {
  /** Bytes charged (by all queries together) between two readings. */
  readonly sampleEveryBytes?: number;
  /** The share of the heap limit past which a charge is refused. */
  readonly heapFraction?: number;
  /** The share of the machine's (or container's) memory the process may reside in. */
  readonly residentFraction?: number;
  /** Where readings come from (tests); V8's heap statistics and the process's RSS by default. */
  readonly read?: () => MemoryReading;
}

const MiB = 1024 * 1024;

/**
 * The server's guard against a query exhausting the process (MemoryPressure). Without a per-query
 * limit (`--query-memory-bytes`, none by default as in InfluxDB) one query can grow until V8
 * aborts the process at its heap limit (an `aggregateWindow(every: 5m)` with empty windows over
 * `range(start: -100y)` does): every query on the server, the task scheduler and unflushed
 * writes' acknowledgements would go with it. So every 16 MiB charged, the heap and resident size
 * are read; past 90 % of V8's heap limit or 85 % of the machine's memory, the charge that would
 * go on growing fails the query that made it with Flux's "memory allocation limit reached"
 * (`resource exhausted`), and its memory is collected.
 *
 * A reading costs tens of microseconds (the memory limit itself is read at most once a minute), and
 * none is taken while no query grows. The heap figure
 * includes garbage not yet collected; near the limit V8 collects fully before growing the heap,
 * so what it counts then is mostly live.
 */
export class ProcessMemoryPressure implements MemoryPressure {
  readonly #sampleEveryBytes: number;
  readonly #heapFraction: number;
  readonly #residentFraction: number;
  readonly #read: () => MemoryReading;
  #sinceReading = 0;

  constructor(options: ProcessMemoryOptions = {}) {
    this.#sampleEveryBytes = options.sampleEveryBytes ?? 16 * MiB;
    this.#heapFraction = options.heapFraction ?? 0.9;
    this.#residentFraction = options.residentFraction ?? 0.85;
    this.#read = options.read ?? readProcessMemory;
  }

  charged(sizeBytes: number): void {
    this.#sinceReading += sizeBytes;
    if (this.#sinceReading < this.#sampleEveryBytes) return;
    this.#sinceReading = 0;
    const m = this.#read();
    // The charge about to be allocated counts too: a column of millions of strings is one allocation.
    const heapShort = m.heapUsedBytes + sizeBytes > this.#heapFraction * m.heapLimitBytes;
    const residentShort = m.residentBytes + sizeBytes > this.#residentFraction * m.residentLimitBytes;
    if (!heapShort && !residentShort) return;
    const what = heapShort
      ? `its JavaScript heap holds ${mib(m.heapUsedBytes)} of its ${mib(m.heapLimitBytes)} limit`
      : `it resides in ${mib(m.residentBytes)} of the ${mib(m.residentLimitBytes)} available`;
    throw new SluiceError(
      ErrorCode.Invalid,
      `memory allocation limit reached: the server is nearly out of memory (${what}), so this query was stopped; ` +
        'a narrower range or fewer windows needs less, and --query-memory-bytes bounds each query',
      { details: { fluxCode: 'resource exhausted' } },
    );
  }
}

function mib(bytes: number): string {
  return `${Math.round(bytes / MiB)} MiB`;
}

/** V8's heap use and limit; the RSS against the container's memory limit if there is one, else the machine's. */
export function readProcessMemory(): MemoryReading {
  const heap = getHeapStatistics();
  return {
    heapUsedBytes: heap.used_heap_size,
    heapLimitBytes: heap.heap_size_limit,
    residentBytes: process.memoryUsage.rss(),
    residentLimitBytes: residentLimit(),
  };
}

/** When the memory limit was last read, and what it was: re-read at most once a minute (it reads cgroup files). */
let limitRead: { readonly atMs: number; readonly bytes: number } | undefined;

function residentLimit(): number {
  const now = performance.now();
  if (limitRead !== undefined && now - limitRead.atMs < 60_000) return limitRead.bytes;
  const constrained = process.constrainedMemory?.() ?? 0;
  const machine = totalmem();
  limitRead = { atMs: now, bytes: constrained > 0 && constrained < machine ? constrained : machine };
  return limitRead.bytes;
}

let shared: ProcessMemoryPressure | undefined;

/** The one guard of this process (queries and tasks share the memory it watches). */
export function processMemoryPressure(): ProcessMemoryPressure {
  shared ??= new ProcessMemoryPressure();
  return shared;
}
