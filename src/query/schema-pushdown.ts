import { GroupKey } from '../flux/execute/group-key.js';
import { Table } from '../flux/execute/table.js';
import type { BuiltinSpec, Args } from '../flux/interpreter/index.js';
import type { StreamValue, Value } from '../flux/values/value.js';
import { QUERY_ENV, type QueryEnv } from './query-env.js';
import { standardBuiltin } from './standard-builtins.js';
import { isStorageStream, type ReadSpec } from './storage-stream.js';

/**
 * Schema listings answered by the series index instead of by reading every point, as InfluxDB's
 * planner does (its PushDownReadTagValuesRule and PushDownReadTagKeysRule) for the chains that
 * `schema.tagValues`, `fieldKeys`, `measurements`, `tagKeys` (and their `v1.` names) are made of:
 *
 *   storage read |> keep(columns: [tag]) |> group() |> distinct(column: tag)   → tag values
 *   storage read |> keys() |> keep(columns: ["_value"]) |> distinct()          → tag keys
 *
 * where the read is `from() |> range()` with `filter()`s storage took whole (series predicates
 * only: no `_value` condition, nothing left for Flux). Each step of a chain is the standard
 * function's own (lazy) stream, marked with how far the chain got; only `distinct` at the end
 * replaces it, so a chain that stops early, or goes on differently, runs as plain Flux.
 *
 * The answers are InfluxDB's push-down answers, which differ from plain Flux over the same rows
 * where InfluxDB's do: one table with an empty group key and a `_value` string column; values
 * sorted; series without the tag give no value (plain Flux gives a null); tag keys are `_start`,
 * `_stop`, `_measurement`, the tag keys, then `_field` (InfluxDB's storage order), and `_start`
 * and `_stop` even when no series has data in the range. A series counts when it holds a point in
 * the range (storage/read/schema-listing.ts decides that from block metadata where it is exact).
 */

type Step = 'keep' | 'keepGroup' | 'keys' | 'keysKeep';

interface SchemaStage {
  readonly env: QueryEnv;
  readonly spec: ReadSpec;
  readonly step: Step;
  /** keep/keepGroup: the tag kept; keys/keysKeep: the column keys() writes the labels to. */
  readonly column: string;
}

interface StageStream extends StreamValue {
  readonly schemaStage: SchemaStage;
}

/** Columns InfluxDB never answers tag values for (they are not series identity). */
const NOT_TAGS: ReadonlySet<string> = new Set(['_time', '_value', '_start', '_stop']);

const std = {
  keep: standardBuiltin('keep'),
  group: standardBuiltin('group'),
  keys: standardBuiltin('keys'),
  distinct: standardBuiltin('distinct'),
};

function stageOf(v: Value | undefined): SchemaStage | undefined {
  return v !== undefined && v.kind === 'stream' ? (v as Partial<StageStream>).schemaStage : undefined;
}

/** The standard call's stream, marked with the stage the chain reached. */
function staged(plain: Value | Promise<Value>, stage: SchemaStage): Value | Promise<Value> {
  const mark = (v: Value): Value => {
    if (v.kind !== 'stream') return v;
    const out: StageStream = { ...v, schemaStage: stage };
    return out;
  };
  return plain instanceof Promise ? plain.then(mark) : mark(plain);
}

/** The storage read piped into this call when a listing could start from it. */
function listableRead(args: Args): { env: QueryEnv; spec: ReadSpec } | undefined {
  const v = args.get('tables');
  if (!isStorageStream(v)) return undefined;
  const env = args.ctx.external(QUERY_ENV);
  const spec = v.readSpec;
  if (env === undefined || env.pushDown === false) return undefined;
  if (spec.bounds === undefined || spec.remote !== undefined || spec.aggregate !== undefined || spec.valueFilters !== undefined || spec.window !== undefined) {
    return undefined;
  }
  return { env, spec };
}

/** `columns: [c]` and no `fn`: the one column a keep call keeps, else undefined. */
function singleKept(args: Args): string | undefined {
  if (args.has('fn')) return undefined;
  const cols = args.optStrings('columns');
  return cols !== undefined && cols.length === 1 ? cols[0] : undefined;
}

export const keep: BuiltinSpec = {
  signature: std.keep.signature,
  call(args) {
    const plain = std.keep.call(args);
    const column = singleKept(args);
    if (column === undefined) return plain;
    const read = listableRead(args);
    if (read !== undefined) return staged(plain, { ...read, step: 'keep', column });
    const prev = stageOf(args.get('tables'));
    if (prev?.step === 'keys' && prev.column === column) return staged(plain, { ...prev, step: 'keysKeep' });
    return plain;
  },
};

export const group: BuiltinSpec = {
  signature: std.group.signature,
  call(args) {
    const plain = std.group.call(args);
    const prev = stageOf(args.get('tables'));
    if (prev?.step !== 'keep') return plain;
    const columns = args.optStrings('columns') ?? [];
    if (args.stringOr('mode', 'by') !== 'by' || columns.length > 0) return plain;
    return staged(plain, { ...prev, step: 'keepGroup' });
  },
};

export const keys: BuiltinSpec = {
  signature: std.keys.signature,
  call(args) {
    const plain = std.keys.call(args);
    const read = listableRead(args);
    // The listing's column is `_value`, as the plain chain's is only when keys() writes there.
    if (read === undefined || args.stringOr('column', '_value') !== '_value') return plain;
    return staged(plain, { ...read, step: 'keys', column: '_value' });
  },
};

export const distinct: BuiltinSpec = {
  signature: std.distinct.signature,
  call(args) {
    const stage = stageOf(args.get('tables'));
    const column = args.stringOr('column', '_value');
    if (stage === undefined || stage.column !== column) return std.distinct.call(args);
    if (stage.step === 'keepGroup' && !NOT_TAGS.has(column)) return listing(args, stage, (request) => stage.env.storage.tagValues({ ...request, tagKey: column }));
    if (stage.step === 'keysKeep') {
      return listing(args, stage, async (request) => {
        const storage = stage.env.storage;
        const tags = await storage.tagKeys(request);
        const any = tags.length > 0 || (await storage.cardinality(request)) > 0;
        // InfluxDB's storage order: the measurement (key \x00) first, the field (\xff) last.
        return ['_start', '_stop', ...(any ? ['_measurement', ...tags, '_field'] : [])];
      });
    }
    return std.distinct.call(args);
  },
};

type SchemaRequest = Parameters<QueryEnv['storage']['tagKeys']>[0];

/** One table, empty group key, the listed strings in a `_value` column. */
function listing(args: Args, stage: SchemaStage, list: (request: SchemaRequest) => Promise<string[]>): StreamValue {
  const { spec } = stage;
  const bounds = spec.bounds!;
  const request: SchemaRequest = {
    bucketId: spec.bucketId,
    startNs: bounds.startNs,
    stopNs: bounds.stopNs,
    ...(spec.predicate === undefined ? {} : { predicate: spec.predicate }),
  };
  const ctx = args.ctx;
  const tables = args.output(async function* () {
    const values = await list(request);
    ctx.checkCanceled();
    yield new Table(new GroupKey([], []), [{ label: '_value', type: 'string' }], [{ type: 'string', length: values.length, valid: null, values }], values.length);
  });
  return { kind: 'stream', tables };
}
