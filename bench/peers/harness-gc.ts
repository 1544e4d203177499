import { PerformanceObserver, constants, type PerformanceEntry } from 'node:perf_hooks';
import { getHeapStatistics } from 'node:v8';

/** `gc` as `node --expose-gc` gives it. */
export type ExposedGc = (options?: { type?: 'minor' | 'major' }) => void;

/** One collection of this process: performance.now() times, ms. */
export interface GcSpan {
  readonly startMs: number;
  readonly endMs: number;
  readonly major: boolean;
}

/** Collections remembered (the oldest are dropped past this). */
const KEPT = 10_000;

/**
 * Growth of the heap plus external memory (answers' buffers) since the last full collection
 * beyond which the collection before a timed run is a full one after all: left to itself, that
 * much old garbage made V8 start a major collection inside a later run.
 */
export const FULL_AFTER_GROWTH_BYTES = 32 * 1024 * 1024;

/**
 * The harness's own garbage collection: collected before the exchanges (when `node --expose-gc`
 * gives `gc`), and what was collected anyway during a timed one.
 *
 * Before a question's warm-ups, a full collection; before each timed run, the young generation
 * only, unless the harness's memory grew by `FULL_AFTER_GROWTH_BYTES` since the last full one.
 * A full collection also frees the maps of objects no longer alive, and V8 then discards
 * the optimised code that embedded them: the harness's own HTTP client (`parserOnBody`,
 * `Readable.push`, `maybeReadMore`, …, 50 functions after a 4.9 MB answer) ran unoptimised
 * again in the next timed run. That cost the client about 1 ms of CPU per 4.9 MB answer (4.5–5.2
 * ms with no collection, 4.2–4.8 young generation only, 5.6–6.6 full: a bare `node:http` test),
 * which falls on whichever peer sends the most bytes.
 */
export class HarnessGc {
  private readonly spans: GcSpan[] = [];
  private readonly observer: PerformanceObserver;
  /** Heap plus external memory just after the last full collection. */
  private afterFull = 0;

  constructor(
    private readonly gc: ExposedGc | undefined = (globalThis as { gc?: ExposedGc }).gc,
    private readonly memoryBytes: () => number = usedBytes,
  ) {
    this.observer = new PerformanceObserver((list) => {
      for (const e of list.getEntries()) this.add(spanOf(e));
    });
    this.observer.observe({ entryTypes: ['gc'] });
  }

  /** Whether this process can collect on demand (`node --expose-gc`). */
  get available(): boolean {
    return this.gc !== undefined;
  }

  /** A full collection (before a question's warm-ups, before the loads). */
  full(): void {
    if (this.gc === undefined) return;
    this.gc();
    this.afterFull = this.memoryBytes();
  }

  /**
   * Before a timed run: the young generation only (frees no maps, so no optimised code is
   * discarded), or a full collection once enough old garbage has built up. Returns which.
   */
  beforeTimedRun(): 'young' | 'full' | 'none' {
    if (this.gc === undefined) return 'none';
    if (this.memoryBytes() - this.afterFull > FULL_AFTER_GROWTH_BYTES) {
      this.full();
      return 'full';
    }
    this.gc({ type: 'minor' });
    return 'young';
  }

  add(span: GcSpan): void {
    this.spans.push(span);
    if (this.spans.length > KEPT) this.spans.splice(0, this.spans.length - KEPT);
  }

  /**
   * This process's collection time inside [fromMs, toMs] (performance.now() times), ms, major
   * collections apart. Collections are reported after the fact: call it after the interval, and
   * await it (it lets the observer's callback run first).
   */
  async within(fromMs: number, toMs: number): Promise<{ ms: number; majorMs: number }> {
    await new Promise((resolve) => setImmediate(resolve));
    return overlapMs(this.spans, fromMs, toMs);
  }

  stop(): void {
    this.observer.disconnect();
  }
}

/** The time `spans` overlap [fromMs, toMs], all and major only, ms. */
export function overlapMs(spans: readonly GcSpan[], fromMs: number, toMs: number): { ms: number; majorMs: number } {
  let ms = 0;
  let majorMs = 0;
  for (const s of spans) {
    const overlap = Math.min(s.endMs, toMs) - Math.max(s.startMs, fromMs);
    if (overlap <= 0) continue;
    ms += overlap;
    if (s.major) majorMs += overlap;
  }
  return { ms, majorMs };
}

function usedBytes(): number {
  const h = getHeapStatistics();
  return h.used_heap_size + (h as { external_memory?: number }).external_memory!;
}

function spanOf(e: PerformanceEntry): GcSpan {
  const kind = (e as PerformanceEntry & { detail?: { kind?: number } }).detail?.kind;
  return { startMs: e.startTime, endMs: e.startTime + e.duration, major: kind === constants.NODE_PERFORMANCE_GC_MAJOR };
}
