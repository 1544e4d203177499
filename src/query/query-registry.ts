import type { BuiltinSpec, PackageRegistry } from '../flux/interpreter/index.js';
import { standardLibrary } from '../flux/stdlib/index.js';
import { buckets } from './buckets-builtin.js';
import { EMPTY_PARAMS, QUERY_PARAMS } from './query-params.js';
import { distinct, group, keep, keys } from './schema-pushdown.js';
import { aggregateBuiltins, aggregateWindow, filter, from, range, window } from './storage-builtins.js';
import { to } from './to-builtin.js';

/** Reads the request's `params` (an empty record when there are none). */
const queryParams: BuiltinSpec = {
  signature: '() => A',
  call: (args) => args.ctx.external(QUERY_PARAMS) ?? EMPTY_PARAMS,
};

/**
 * The library a server-side query runs with: the standard library, plus the storage-backed
 * `influxdata/influxdb` functions (also in the prelude, as in Flux) and universe's push-down
 * wrappers registered over the standard ones. Needs the `QUERY_ENV` external at run time.
 */
export function queryLibrary(): PackageRegistry {
  const storageFns = { from, to, buckets };
  return standardLibrary().register(
    { path: 'influxdata/influxdb', builtins: storageFns },
    {
      path: 'universe',
      builtins: { ...storageFns, range, filter, aggregateWindow, window, ...aggregateBuiltins, keep, group, keys, distinct, _queryParams: queryParams },
      source: 'params = _queryParams()\n',
    },
  );
}
