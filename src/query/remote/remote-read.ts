import { ErrorCode, isSluiceError } from '../../core/errors.js';
import { formatRfc3339Nano } from '../../core/time.js';
import { decodeAnnotatedCsv } from '../../flux/csv/index.js';
import type { MemoryBudget } from '../../flux/execute/memory-budget.js';
import type { TableStream } from '../../flux/execute/table-stream.js';
import type { ExecContext } from '../../flux/interpreter/index.js';
import { HostError } from '../host-error.js';
import type { ReadSpec } from '../storage-stream.js';
import { CsvTableSplitter } from './csv-table-splitter.js';
import { RemoteCall } from './remote-call.js';
import { RemoteError } from './remote-error.js';
import { remoteOptionsOf, type RemoteOptions } from './remote-options.js';
import { remoteReadQuery } from './remote-read-query.js';
import { bucketLabel, endpointUrl, orgParams, type RemoteTarget } from './remote-target.js';

/**
 * The tables of a read spec whose source is a remote host (`from(host:)`): range, pushed
 * filter and `r._value <op> literal` conjuncts go to the remote as Flux (remote-read-query.ts),
 * and so does a pushed aggregate, so only matching or aggregated rows cross the network. A bare aggregate's remote output is the plain output; a
 * windowed one comes back as storage would give it (one row per non-empty window, at its start)
 * and the push-down's `finish` shapes it here exactly as for a local read (empty windows,
 * counts of 0).
 */
export async function* remoteReadTables(target: RemoteTarget, spec: ReadSpec, ctx: ExecContext): TableStream {
  const bounds = spec.bounds;
  if (bounds === undefined) {
    throw new HostError(ErrorCode.Invalid, `cannot submit unbounded read to "${bucketLabel(target)}"; try bounding 'from' with a call to 'range'`);
  }
  const agg = spec.aggregate;
  const flux = remoteReadQuery({
    target,
    startNs: bounds.startNs,
    stopNs: bounds.stopNs,
    predicate: spec.predicate,
    // The whole filter calls still run here (storage-builtins): the remote only pre-selects.
    values: spec.valueFilters?.flatMap((c) => c.filters),
    aggregate: agg === undefined ? undefined : { name: agg.aggregate, window: agg.window },
  });
  const tables = remoteQueryTables(target, flux, ctx);
  if (agg?.window === undefined) yield* tables;
  else yield* await agg.finish(tables);
}

/** `buckets(host:)`: the remote's own `buckets()` for the token's (or the named) org. */
export function remoteBucketsTables(target: RemoteTarget, ctx: ExecContext): TableStream {
  return remoteQueryTables(target, 'buckets()\n', ctx);
}

/**
 * What a remote query needs from the execution it serves: its `now` (sent along), cancellation,
 * the memory budget decoded tables count against, and the client options. `ExecContext` gives
 * all of it (`remoteQueryTables`); hosts without one (`POINT_SINK`/`SERIES_SOURCE` adapters)
 * build it themselves.
 */
export interface RemoteQueryContext {
  readonly nowNs: bigint;
  readonly signal: AbortSignal | undefined;
  readonly budget: MemoryBudget;
  readonly options: RemoteOptions;
}

/**
 * Runs `flux` on the remote (`POST {host}/api/v2/query?org=…`, annotated CSV with all three
 * annotations, RFC3339Nano times, `now` = this query's now) and decodes the response table by
 * table as it arrives. Tables of the first result only, as InfluxDB's client reads them.
 */
export function remoteQueryTables(target: RemoteTarget, flux: string, ctx: ExecContext): TableStream {
  return remoteQuery(target, flux, { nowNs: ctx.now(), signal: ctx.signal, budget: ctx.budget, options: remoteOptionsOf(ctx) });
}

export async function* remoteQuery(target: RemoteTarget, flux: string, q: RemoteQueryContext): TableStream {
  const call = new RemoteCall(
    {
      url: endpointUrl(target.host, '/api/v2/query', orgParams(target)),
      token: target.token,
      contentType: 'application/json',
      body: JSON.stringify({
        query: flux,
        type: 'flux',
        dialect: { header: true, delimiter: ',', annotations: ['group', 'datatype', 'default'], dateTimeFormat: 'RFC3339Nano' },
        now: formatRfc3339Nano(q.nowNs),
      }),
    },
    q.options,
    q.signal,
  );
  try {
    const res = await call.response();
    const splitter = new CsvTableSplitter();
    const text = new TextDecoder();
    let firstResult: string | undefined;
    const decode = function* (pieces: readonly string[]) {
      for (const piece of pieces) {
        for (const result of decodePiece(piece, target, q.budget)) {
          firstResult ??= result.name;
          if (result.name === firstResult) yield* result.tables;
        }
      }
    };
    for await (const chunk of call.chunks(res)) {
      yield* decode(splitter.push(text.decode(chunk, { stream: true })));
    }
    yield* decode(splitter.push(text.decode()));
    yield* decode(splitter.end());
  } finally {
    call.close();
  }
}

function decodePiece(piece: string, target: RemoteTarget, budget: MemoryBudget): ReturnType<typeof decodeAnnotatedCsv> {
  try {
    return decodeAnnotatedCsv(piece, { budget });
  } catch (e) {
    if (!isSluiceError(e)) throw e;
    // An error table: the remote failed after it started answering; its message as is.
    if (e.details?.['serialized'] === true) throw new RemoteError(e.code, e.message, { cause: e });
    if (e.code !== ErrorCode.Invalid) throw e;
    throw new RemoteError(ErrorCode.Internal, `reading the response of ${new URL(target.host).host}: ${e.message}`, { cause: e });
  }
}
