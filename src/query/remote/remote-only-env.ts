import { ErrorCode, SluiceError } from '../../core/errors.js';
import type { QueryEnv } from '../query-env.js';

/**
 * The `QUERY_ENV` of a Flux run with no server behind it (`sluice flux run`): `from`, `to`,
 * `buckets`, `wideTo`, `cardinality` work with `host:` (another server, src/query/remote), and
 * anything that needs this server's own storage, metadata, org or permissions fails at the
 * call with `what` explaining why.
 */
export function remoteOnlyEnv(what = 'no local storage here: name another server with host:, token: and org:'): QueryEnv {
  const refuse = (): never => {
    throw new SluiceError(ErrorCode.Invalid, what);
  };
  return {
    get storage() {
      return refuse();
    },
    get meta() {
      return refuse();
    },
    get org() {
      return refuse();
    },
    get auth() {
      return refuse();
    },
  };
}
