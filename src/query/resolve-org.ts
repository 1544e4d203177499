import { ErrorCode } from '../core/errors.js';
import { CallError, type Args } from '../flux/interpreter/index.js';
import type { Org } from '../meta/org-store.js';
import { HostError } from './host-error.js';
import type { QueryEnv } from './query-env.js';

/** The organization named by a call's `org`/`orgID` arguments, else the query's own. */
export function resolveOrg(env: QueryEnv, args: Args): Org {
  const name = args.optString('org');
  const id = args.optString('orgID');
  if (name !== undefined && id !== undefined) throw new CallError('must specify only one of org or orgID');
  if (name === undefined && id === undefined) return env.org;
  const org = id !== undefined ? env.meta.orgs.findById(id) : env.meta.orgs.findByName(name!);
  if (org === undefined) throw new HostError(ErrorCode.NotFound, `failed to initialize execute state: could not find organization "${name ?? id!}"`);
  return org;
}
