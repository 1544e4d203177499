import type { AnswerSummary } from './answer.js';
import type { HttpReply } from './http-call.js';
import type { QuestionId } from './questions.js';

/**
 * One server under test, started by the benchmark on 127.0.0.1 with its own temp data dir. The
 * benchmark drives every peer through this interface, the same steps for each: loads take turns,
 * and the questions are asked of all peers interleaved.
 */
export interface Peer {
  readonly name: string;
  /** The server process (changes if `settle` restarts it). */
  readonly pid: number;
  readonly dataDir: string;
  /** Writes one batch of line protocol (ns precision) and resolves when the server acknowledged it. */
  write(batch: Buffer): Promise<void>;
  /** Makes written data searchable, where the server needs to be told (VictoriaMetrics). */
  makeQueryable(): Promise<void>;
  /** Values the server answers for the whole range (question e), to wait until all are visible. */
  countValues(): Promise<number>;
  /** Gives the server its chance to flush and compact before disk use is measured; says what it did. */
  settle(seconds: number): Promise<string>;
  /** The question's query text as sent (for the report), or undefined if this peer has no equivalent. */
  queryText(q: QuestionId): string | undefined;
  /**
   * Sends the question once; resolves with the reply (timed by the caller's HttpCaller): the whole
   * body, or with `dropBody` (timed runs) only its head (`HttpCallOptions.dropBody`).
   */
  ask(q: QuestionId, dropBody?: boolean): Promise<HttpReply>;
  /** The reply reduced for comparison, or undefined where the reply is not comparable (e.g. InfluxQL INTO). */
  summarize(q: QuestionId, body: string): AnswerSummary | undefined;
  /** Values now stored in the (f) target (bench_5m). */
  countTarget(): Promise<number>;
  stop(): Promise<void>;
}
