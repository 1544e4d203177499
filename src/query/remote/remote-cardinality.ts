import { ErrorCode } from '../../core/errors.js';
import { isValid } from '../../flux/execute/column.js';
import { MemoryBudget } from '../../flux/execute/memory-budget.js';
import type { Predicate } from '../../storage/storage.js';
import { RemoteError } from './remote-error.js';
import { DEFAULT_REMOTE_OPTIONS, type RemoteOptions } from './remote-options.js';
import { remoteQuery } from './remote-read.js';
import { remoteCardinalityQuery } from './remote-read-query.js';
import { checkTarget, type RemoteTarget } from './remote-target.js';

export interface RemoteCardinalityRequest {
  readonly startNs: bigint;
  readonly stopNs: bigint;
  readonly predicate?: Predicate | undefined;
  readonly signal?: AbortSignal | undefined;
}

/**
 * `influxdb.cardinality(host:, …)`: the remote counts its own series, as InfluxDB's HTTP
 * provider asks it (`influxdb.cardinality(bucket:, start:, stop:, predicate:)` sent as Flux).
 * The count is the `_value` of the single row it answers (0 when it answers no row).
 */
export async function remoteCardinality(target: RemoteTarget, request: RemoteCardinalityRequest, options: RemoteOptions = DEFAULT_REMOTE_OPTIONS): Promise<number> {
  checkTarget(target);
  const flux = remoteCardinalityQuery({ target, startNs: request.startNs, stopNs: request.stopNs, predicate: request.predicate });
  let n = 0n;
  for await (const t of remoteQuery(target, flux, { nowNs: request.stopNs, signal: request.signal, budget: new MemoryBudget(), options })) {
    const j = t.colIndex('_value');
    const c = j < 0 ? undefined : t.columns[j];
    if (c === undefined || c.type !== 'int') throw new RemoteError(ErrorCode.Internal, `cardinality from ${new URL(target.host).host}: no integer _value column in its answer`);
    for (let i = 0; i < t.length; i++) if (isValid(c, i)) n += (c.values as BigInt64Array)[i]!;
  }
  return Number(n);
}
