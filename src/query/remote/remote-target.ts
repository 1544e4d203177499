import { CallError, type Args } from '../../flux/interpreter/index.js';

/**
 * Another InfluxDB-compatible server named by a Flux call (`from(host:, token:, org:, bucket:)`,
 * `to(host:, …)`). Nothing here is checked against this server's own orgs, buckets or
 * permissions: the token is the remote's, and the remote decides.
 */
export interface RemoteTarget {
  /** The server's base URL as given (`http://h:8086`, possibly with a path prefix). */
  readonly host: string;
  /** Sent as `Authorization: Token …`; absent = no header (the remote answers 401, as with InfluxDB). */
  readonly token?: string | undefined;
  readonly org?: string | undefined;
  readonly orgID?: string | undefined;
  readonly bucket?: string | undefined;
  readonly bucketID?: string | undefined;
}

/** The remote bucket a call names, with Flux's argument checks (`must specify bucket or bucketID`). */
export function remoteTargetOf(args: Args): RemoteTarget {
  const target: RemoteTarget = { ...remoteOrgOf(args), bucket: args.optString('bucket'), bucketID: args.optString('bucketID') };
  checkTarget(target);
  return target;
}

/** The remote server and org a call names (`buckets(host:)`): no bucket. */
export function remoteOrgOf(args: Args): RemoteTarget {
  const host = args.optString('host');
  if (host === undefined) throw new CallError('host is required for a remote call');
  const target: RemoteTarget = { host, token: args.optString('token'), org: args.optString('org'), orgID: args.optString('orgID') };
  checkOrg(target);
  return target;
}

/** Flux's argument checks: exactly one of bucket/bucketID, at most one of org/orgID, a usable URL. */
export function checkTarget(t: RemoteTarget): void {
  if (t.bucket === undefined && t.bucketID === undefined) throw new CallError('must specify bucket or bucketID');
  if (t.bucket !== undefined && t.bucketID !== undefined) throw new CallError('must specify only one of bucket or bucketID');
  checkOrg(t);
}

function checkOrg(t: RemoteTarget): void {
  if (t.org !== undefined && t.orgID !== undefined) throw new CallError('must specify only one of org or orgID');
  baseUrl(t.host);
}

/** The bucket as the remote's messages name it. */
export function bucketLabel(t: RemoteTarget): string {
  return t.bucket ?? t.bucketID ?? '';
}

/**
 * `{host}{path}?{params}`: the path is appended to the host's own path (a host behind a proxy
 * prefix keeps it), as Flux's client does; a trailing `/` on the host is not doubled.
 */
export function endpointUrl(host: string, path: string, params: ReadonlyArray<readonly [string, string]>): URL {
  const url = baseUrl(host);
  url.pathname = url.pathname.replace(/\/+$/, '') + path;
  url.search = new URLSearchParams(params.map(([k, v]): [string, string] => [k, v])).toString();
  return url;
}

/** `org` or `orgID` as a query parameter (none when neither is given). */
export function orgParams(t: RemoteTarget): [string, string][] {
  if (t.orgID !== undefined) return [['orgID', t.orgID]];
  if (t.org !== undefined) return [['org', t.org]];
  return [];
}

function baseUrl(host: string): URL {
  let url: URL;
  try {
    url = new URL(host);
  } catch {
    throw new CallError(`invalid host "${host}": not a URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new CallError(`invalid host "${host}": the scheme must be http or https`);
  }
  if (url.username !== '' || url.password !== '') {
    throw new CallError(`invalid host "${host}": credentials belong in token, not in the URL`);
  }
  return url;
}
