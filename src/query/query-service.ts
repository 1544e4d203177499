import type { Clock } from '../core/clock.js';
import { isSluiceError } from '../core/errors.js';
import { encodeResults, type CsvDialect, type CsvSink, type EncodeOutcome } from '../flux/csv/index.js';
import { FluxCompileError, compileProgram, runProgram, type ExternalKey, type PackageRegistry } from '../flux/interpreter/index.js';
import { resolveNames } from '../flux/semantic/index.js';
import { HTTP_CLIENT } from '../flux/stdlib/http/http-client.js';
import type { File } from '../flux/syntax/ast.js';
import { parse } from '../flux/syntax/parser.js';
import type { RecordValue } from '../flux/values/value.js';
import type { MetaStore } from '../meta/meta-store.js';
import type { Org } from '../meta/org-store.js';
import type { Storage } from '../storage/storage.js';
import { findHostError } from './host-error.js';
import type { QueryController } from './query-controller.js';
import { NO_QUERY_METRICS, QueryTrack, type QueryMetrics } from './query-metrics.js';
import { QUERY_ENV, type QueryAuth, type QueryEnv } from './query-env.js';
import { EMPTY_PARAMS, QUERY_PARAMS } from './query-params.js';
import { queryLibrary } from './query-registry.js';
import { DEFAULT_REMOTE_OPTIONS, REMOTE_OPTIONS, type RemoteOptions, type RemoteSettings } from './remote/remote-options.js';
import { hostHttpClient } from './remote/host-http-client.js';
import { storageExternals } from './storage-externals.js';

export interface QueryRequest {
  readonly query: string;
  readonly org: Org;
  readonly auth: QueryAuth;
  /** `now()` of the query. */
  readonly nowNs: bigint;
  readonly params?: RecordValue;
  readonly dialect: CsvDialect;
  /** Aborts the query (client went away). */
  readonly signal: AbortSignal;
  /** Push-down into storage (default true); false only to compare against plain execution. */
  readonly pushDown?: boolean;
  /** Flux source run before the query (the request's `extern`: `option v = {…}`). */
  readonly extern?: string;
  /** More externals for this execution (a task run's TASK_RUN for `tasks.lastSuccess`, …). */
  readonly externals?: ReadonlyMap<ExternalKey<unknown>, unknown>;
}

export interface QueryServiceDeps {
  readonly meta: MetaStore;
  readonly storage: () => Storage;
  readonly controller: QueryController;
  readonly registry?: PackageRegistry;
  /** Compiled programs kept (default 4096); the task engine's service keeps one per task. */
  readonly compileCacheEntries?: number;
  /** Drives remote-host timeouts (`from(host:)`, `to(host:)`); the system clock when absent. */
  readonly clock?: Clock;
  /** Remote-host timeouts and address policy (`sluice serve` flags); the defaults when absent. */
  readonly remote?: RemoteSettings;
  /** Where each query's states and outcome are reported (`/metrics`' `qc_*`); none when absent. */
  readonly metrics?: QueryMetrics;
}

/** How many compiled programs to keep (a task's script is compiled once, not once per run). */
const COMPILE_CACHE_ENTRIES = 4096;

/**
 * Runs Flux queries over stored data: compiles (errors before anything runs), admits through the
 * controller, executes with the storage-backed library and streams the results as annotated CSV.
 *
 * Error contract (as `encodeResults`): an error before the first chunk reaches the sink is thrown
 * (InfluxDB's own wording for host errors such as an unknown bucket); after that it is written as
 * an error table and returned in the outcome.
 */
export class QueryService {
  readonly registry: PackageRegistry;
  /** Compiled programs by source, least recently used first. */
  readonly #compiled = new Map<string, File>();

  /** Remote-host options on this service's clock (undefined: the defaults' system clock). */
  readonly #remote: RemoteOptions | undefined;

  constructor(private readonly deps: QueryServiceDeps) {
    this.registry = deps.registry ?? queryLibrary();
    this.#remote =
      deps.clock === undefined && deps.remote === undefined
        ? undefined
        : { ...DEFAULT_REMOTE_OPTIONS, ...deps.remote, ...(deps.clock === undefined ? {} : { clock: deps.clock }) };
  }

  /**
   * Parses and checks names; throws `invalid` with Flux's diagnostics. `extern` statements (and
   * imports) come first, as if written at the top of the query, keeping the query's positions.
   */
  compile(source: string, extern?: string): File {
    if (extern === undefined || extern === '') {
      // Tasks run the same script every minute: parse and check it once. ASTs are frozen, so a
      // cached File is shared safely; a script that fails to compile is not cached.
      const cached = this.#compiled.get(source);
      if (cached !== undefined) {
        this.#compiled.delete(source);
        this.#compiled.set(source, cached);
        return cached;
      }
      const file = compileProgram(source, this.registry);
      if (this.#compiled.size >= (this.deps.compileCacheEntries ?? COMPILE_CACHE_ENTRIES)) this.#compiled.delete(this.#compiled.keys().next().value!);
      this.#compiled.set(source, file);
      return file;
    }
    const ext = parse(extern, 'extern');
    if (ext.diagnostics.length > 0) throw new FluxCompileError(ext.diagnostics);
    const main = parse(source);
    if (main.diagnostics.length > 0) throw new FluxCompileError(main.diagnostics);
    const file: File = { ...main.file, imports: [...ext.file.imports, ...main.file.imports], body: [...ext.file.body, ...main.file.body] };
    const semantic = resolveNames(file, this.registry.scopeDescription());
    if (semantic.length > 0) throw new FluxCompileError(semantic);
    return file;
  }

  async execute(req: QueryRequest, sink: CsvSink): Promise<EncodeOutcome> {
    const track = new QueryTrack(this.deps.metrics ?? NO_QUERY_METRICS, req.org.id);
    let file: File;
    try {
      file = this.compile(req.query, req.extern);
    } catch (e) {
      track.end('compile_error');
      throw e;
    }
    track.to('queueing');
    let admitted = false;
    try {
      const outcome = await this.#run(req, sink, file, () => {
        admitted = true;
        track.to('executing');
      });
      track.end(outcome.error === undefined ? 'success' : 'runtime_error');
      return outcome;
    } catch (e) {
      // Refused or cancelled before a slot was free: the queue's error, as InfluxDB counts it.
      track.end(admitted ? 'runtime_error' : 'queue_error');
      throw e;
    }
  }

  #run(req: QueryRequest, sink: CsvSink, file: File, admitted: () => void): Promise<EncodeOutcome> {
    return this.deps.controller.run(req.signal, async (slot) => {
      admitted();
      const env: QueryEnv = {
        storage: this.deps.storage(),
        meta: this.deps.meta,
        org: req.org,
        auth: req.auth,
        ...(req.pushDown === undefined ? {} : { pushDown: req.pushDown }),
      };
      const remote = (req.externals?.get(REMOTE_OPTIONS) as RemoteOptions | undefined) ?? this.#remote;
      const externals = new Map<ExternalKey<unknown>, unknown>([
        ...(req.externals ?? []),
        ...storageExternals(env, remote),
        [QUERY_ENV, env],
        [QUERY_PARAMS, req.params ?? EMPTY_PARAMS],
      ]);
      if (remote !== undefined) externals.set(REMOTE_OPTIONS, remote);
      // Flux's own HTTP calls (http.post, requests…) under the same address policy (--hardening-enabled).
      if (!externals.has(HTTP_CLIENT)) externals.set(HTTP_CLIENT, hostHttpClient(remote?.addressPolicy));
      try {
        const run = await runProgram(file, {
          registry: this.registry,
          nowNs: req.nowNs,
          budget: slot.budget,
          signal: slot.signal,
          externals,
        });
        const results = run.results.map((r) => ({ name: r.name, tables: r.stream.tables }));
        const outcome = await encodeResults(results, sink, req.dialect);
        return outcome.error === undefined ? outcome : { error: findHostError(outcome.error) ?? outcome.error };
      } catch (e) {
        throw hostErrorOr(e);
      }
    });
  }
}

/** An error InfluxDB words itself is reported as is; anything else unchanged. */
function hostErrorOr(e: unknown): unknown {
  const host = findHostError(e);
  if (host !== undefined) return host;
  return isSluiceError(e) ? e : e;
}
