import { performance } from 'node:perf_hooks';

/** How a query ended, in InfluxDB's words (the `result` label of `qc_requests_total`). */
export type QueryOutcomeLabel = 'success' | 'compile_error' | 'runtime_error' | 'queue_error';

/** The states a query passes through, in order. */
export type QueryState = 'compiling' | 'queueing' | 'executing';

/**
 * What the query path reports for metrics: each query's states and how it ended, by org ID.
 * The server adapts it to Prometheus as InfluxDB's query controller does (`qc_*`,
 * src/server/query-prom-metrics.ts); `QueryStats` keeps it in memory.
 */
export interface QueryMetrics {
  /** A query of `orgID` entered `state` (leaving the one before, if any, after `seconds` in it). */
  entered(orgID: string, state: QueryState, left: { readonly state: QueryState; readonly seconds: number } | undefined): void;
  /** The query ended in `state` after `seconds` in it and `totalSeconds` in all. */
  ended(orgID: string, state: QueryState, seconds: number, totalSeconds: number, outcome: QueryOutcomeLabel): void;
}

export const NO_QUERY_METRICS: QueryMetrics = { entered: () => undefined, ended: () => undefined };

/** One query's way through its states, timed; reports to `metrics`. */
export class QueryTrack {
  readonly #started = performance.now();
  #since = this.#started;
  #state: QueryState = 'compiling';
  #ended = false;

  constructor(
    private readonly metrics: QueryMetrics,
    private readonly orgID: string,
  ) {
    metrics.entered(orgID, 'compiling', undefined);
  }

  to(state: QueryState): void {
    if (this.#ended || state === this.#state) return;
    const now = performance.now();
    this.metrics.entered(this.orgID, state, { state: this.#state, seconds: (now - this.#since) / 1000 });
    this.#state = state;
    this.#since = now;
  }

  /** Ends the query (once; later calls are ignored). */
  end(outcome: QueryOutcomeLabel): void {
    if (this.#ended) return;
    this.#ended = true;
    const now = performance.now();
    this.metrics.ended(this.orgID, this.#state, (now - this.#since) / 1000, (now - this.#started) / 1000, outcome);
  }
}

/** In-memory counts of the query path's reports: what tests read. */
export class QueryStats implements QueryMetrics {
  readonly active: Record<QueryState, number> = { compiling: 0, queueing: 0, executing: 0 };
  readonly outcomes: Record<QueryOutcomeLabel, number> = { success: 0, compile_error: 0, runtime_error: 0, queue_error: 0 };

  entered(_orgID: string, state: QueryState, left: { readonly state: QueryState } | undefined): void {
    if (left !== undefined) this.active[left.state]--;
    this.active[state]++;
  }

  ended(_orgID: string, state: QueryState, _seconds: number, _totalSeconds: number, outcome: QueryOutcomeLabel): void {
    this.active[state]--;
    this.outcomes[outcome]++;
  }
}
