import { ErrorCode, isSluiceError } from '../../core/errors.js';
import { formatRfc3339Nano } from '../../core/time.js';
import { decodeAnnotatedCsv } from '../../flux/csv/index.js';
import type { TableStream } from '../../flux/execute/table-stream.js';
import type { ExecContext } from '../../flux/interpreter/index.js';
import { HostError } from '../host-error.js';
import type { ReadSpec } from '../storage-stream.js';
import { CsvTableSplitter } from './csv-table-splitter.js';
import { RemoteCall } from './remote-call.js';
import { RemoteError } from './remote-error.js';
import { remoteOptionsOf } from './remote-options.js';
import { remoteReadQuery } from './remote-read-query.js';
import { bucketLabel, endpointUrl, orgParams, type RemoteTarget } from './remote-target.js';

/**
 * The tables of a read spec whose source is a remote host (`from(host:)`): range and pushed
 * filter go to the remote as Flux (remote-read-query.ts), and so does a pushed aggregate, so only
 * aggregated rows cross the network. A bare aggregate's remote output is the plain output; a
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
 * Runs `flux` on the remote (`POST {host}/api/v2/query?org=…`, annotated CSV with all three
 * annotations, RFC3339Nano times, `now` = this query's now) and decodes the response table by
 * table as it arrives. Tables of the first result only, as InfluxDB's client reads them.
 */
export async function* remoteQueryTables(target: RemoteTarget, flux: string, ctx: ExecContext): TableStream {
  const call = new RemoteCall(
    {
      url: endpointUrl(target.host, '/api/v2/query', orgParams(target)),
      token: target.token,
      contentType: 'application/json',
      body: JSON.stringify({
        query: flux,
        type: 'flux',
        dialect: { header: true, delimiter: ',', annotations: ['group', 'datatype', 'default'], dateTimeFormat: 'RFC3339Nano' },
        now: formatRfc3339Nano(ctx.now()),
      }),
    },
    remoteOptionsOf(ctx),
    ctx.signal,
  );
  try {
    const res = await call.response();
    const splitter = new CsvTableSplitter();
    const text = new TextDecoder();
    let firstResult: string | undefined;
    const decode = function* (pieces: readonly string[]) {
      for (const piece of pieces) {
        for (const result of decodePiece(piece, target, ctx)) {
          firstResult ??= result.name;
          if (result.name === firstResult) yield* result.tables;
        }
      }
    };
    for await (const chunk of call.chunks(res)) {
      ctx.checkCanceled();
      yield* decode(splitter.push(text.decode(chunk, { stream: true })));
    }
    yield* decode(splitter.push(text.decode()));
    yield* decode(splitter.end());
  } finally {
    call.close();
  }
}

function decodePiece(piece: string, target: RemoteTarget, ctx: ExecContext): ReturnType<typeof decodeAnnotatedCsv> {
  try {
    return decodeAnnotatedCsv(piece, { budget: ctx.budget });
  } catch (e) {
    if (!isSluiceError(e)) throw e;
    // An error table: the remote failed after it started answering; its message as is.
    if (e.details?.['serialized'] === true) throw new RemoteError(e.code, e.message, { cause: e });
    if (e.code !== ErrorCode.Invalid) throw e;
    throw new RemoteError(ErrorCode.Internal, `reading the response of ${new URL(target.host).host}: ${e.message}`, { cause: e });
  }
}
