import type { QuietOptions } from './quiet.js';
import type { LabelledCheck } from './machine-speed.js';
import type { AnswerSummary } from './answer.js';
import type { MemoryUse } from './child-server.js';
import type { QuestionId } from './questions.js';

/** The benchmark's results, as printed and as written to bench/peers/results/latest.json. */
export interface PeersReport {
  startedAt: string;
  finishedAt: string;
  machine: { cpus: number; loadAverage1mAtStart: number; node: string };
  /** Whether the harness collected its own garbage before each timed exchange (node --expose-gc). */
  harnessGcBetweenRuns?: boolean;
  /** How (since session 9; before, a full collection before every exchange). */
  harnessGc?: string;
  scenario: { hosts: number; hours: number; values: number; startNs: string; batchLines: number; concurrency: number; runs: number };
  /**
   * How the peers shared the machine: each load round started every peer fresh, one after the
   * other, in an order rotated per round; the questions ran with all peers up, every round of
   * timed runs asking each peer once, the order rotated per round. Absent in reports of the
   * sequential method (sessions 4-6), where each peer had the machine for a turn of its own.
   */
  method?: { ingestRounds: number; interleavedQuestions: true; quietOthers?: QuietOptions };
  /** Machine checks in the order taken: before each load and before the questions. */
  machineChecks?: LabelledCheck[];
  peers: PeerResult[];
}

export interface PeerResult {
  name: string;
  /** Taken from an earlier run's results (PEERS_REUSE): that run's start time and file. */
  reusedFrom?: { startedAt: string; path: string };
  /** Set when the peer failed as a whole (could not start or load); the other figures may be missing. */
  error?: string;
  /** The median round (by values/s) and every round, in the order run. */
  ingest?: { values: number; elapsedMs: number; valuesPerSecond: number; rounds?: { elapsedMs: number; valuesPerSecond: number }[] };
  /** From the last acknowledged write until a count showed every value. */
  visibleAfterMs?: number;
  /** What the settle step did before disk was measured. */
  settle?: string;
  /**
   * CPU time this peer's server used while the other peers' timed runs were in flight (all
   * peers are up during the questions): background work that competed with them.
   */
  cpuWhileOthersTimedMs?: number;
  disk?: {
    allocatedBytes: number;
    apparentBytes: number;
    bytesPerValue: number;
    /** Allocated bytes per entry at the top of the data dir (where the bytes are: WAL, blocks, index…). */
    allocatedBytesByEntry?: Record<string, number>;
  };
  memory: { afterLoad?: MemoryUse; afterQueries?: MemoryUse };
  questions: Partial<Record<QuestionId, QuestionResult>>;
}

export interface QuestionResult {
  query: string;
  /** The timed runs (after one warm-up), ms, request sent → last byte read. */
  timesMs: number[];
  medianMs?: number;
  /** The warm-up run's answer, reduced for comparison. */
  answer?: AnswerSummary;
  expected?: AnswerSummary;
  /** Disagreements with the expected answer, and errors. Empty = agrees. */
  problems: string[];
  /** Per timed run: how long the harness waited for the other servers to be quiet first, ms. */
  quietWaitMs?: number[];
  /** Timed runs that started with the others still busy (the wait gave up). */
  notQuietRuns?: number;
  /** Per timed run: CPU the other servers used while it was in flight, ms. */
  othersCpuMs?: number[];
  /** Per timed run: the harness's own garbage-collection time inside it, ms (since session 9). */
  harnessGcMs?: number[];
  /** Per timed run: the part of `harnessGcMs` that was major (mark-compact) collections, ms. */
  harnessMajorGcMs?: number[];
  /** Per timed run: CPU the asked server used meanwhile, all its threads, ms (since session 13). */
  serverCpuMs?: number[];
  /** Per timed run: CPU the harness itself used meanwhile (its client reading the reply), ms. */
  harnessCpuMs?: number[];
}
