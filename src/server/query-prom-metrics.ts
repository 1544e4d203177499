import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { QueryMetrics, QueryOutcomeLabel, QueryState } from '../query/query-metrics.js';

/** InfluxDB's buckets for the query controller: 1 ms × 5^k, k = 0 … 6 (up to ~15.6 s). */
const BUCKETS_S = Array.from({ length: 7 }, (_, k) => 1e-3 * 5 ** k);
/** The compiler of every query here (InfluxDB also has `ast` and `influxql`). */
const COMPILER = 'flux';

/**
 * The query path's reports as InfluxDB's query-controller metrics (`qc_*`, labelled by org ID),
 * in the server's registry: queries in each state now, time spent in each, and how each ended
 * (`qc_requests_total{result="success|compile_error|runtime_error|queue_error"}`). One instance
 * serves both the HTTP queries and task runs, as InfluxDB's single controller does.
 */
export class QueryPromMetrics implements QueryMetrics {
  private readonly requests: Counter<'org' | 'result'>;
  private readonly allActive: Gauge<'org'>;
  private readonly active: Record<QueryState, Gauge<'org' | 'compiler_type'>>;
  private readonly allDuration: Histogram<'org'>;
  private readonly duration: Record<QueryState, Histogram<'org' | 'compiler_type'>>;

  constructor(registry: Registry) {
    const registers = [registry];
    this.requests = new Counter({ name: 'qc_requests_total', help: 'Count of the query requests', labelNames: ['org', 'result'], registers });
    this.allActive = new Gauge({ name: 'qc_all_active', help: 'Number of queries in all states', labelNames: ['org'], registers });
    const gauge = (state: QueryState, labelNames: ('org' | 'compiler_type')[]): Gauge<'org' | 'compiler_type'> =>
      new Gauge({ name: `qc_${state}_active`, help: `Number of queries actively ${state}`, labelNames, registers });
    this.active = {
      compiling: gauge('compiling', ['org', 'compiler_type']),
      queueing: gauge('queueing', ['org']),
      executing: gauge('executing', ['org']),
    };
    this.allDuration = new Histogram({
      name: 'qc_all_duration_seconds',
      help: 'Histogram of total times spent in all query states',
      labelNames: ['org'],
      buckets: BUCKETS_S,
      registers,
    });
    const histogram = (state: QueryState, labelNames: ('org' | 'compiler_type')[]): Histogram<'org' | 'compiler_type'> =>
      new Histogram({ name: `qc_${state}_duration_seconds`, help: `Histogram of times spent ${state} queries`, labelNames, buckets: BUCKETS_S, registers });
    this.duration = {
      compiling: histogram('compiling', ['org', 'compiler_type']),
      queueing: histogram('queueing', ['org']),
      executing: histogram('executing', ['org']),
    };
  }

  entered(orgID: string, state: QueryState, left: { readonly state: QueryState; readonly seconds: number } | undefined): void {
    if (left === undefined) this.allActive.inc({ org: orgID });
    else this.#leave(orgID, left.state, left.seconds);
    this.active[state].inc(labels(orgID, state));
  }

  ended(orgID: string, state: QueryState, seconds: number, totalSeconds: number, outcome: QueryOutcomeLabel): void {
    this.#leave(orgID, state, seconds);
    this.allActive.dec({ org: orgID });
    this.allDuration.observe({ org: orgID }, totalSeconds);
    this.requests.inc({ org: orgID, result: outcome });
  }

  #leave(orgID: string, state: QueryState, seconds: number): void {
    this.active[state].dec(labels(orgID, state));
    this.duration[state].observe(labels(orgID, state), seconds);
  }
}

function labels(org: string, state: QueryState): { org: string; compiler_type?: string } {
  return state === 'compiling' ? { org, compiler_type: COMPILER } : { org };
}
