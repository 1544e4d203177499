import { durationFromNs } from '../../../core/duration.js';
import { CallError, type Args, type BuiltinSpec, type PackageDef } from '../../interpreter/index.js';
import { stringOf } from '../../values/format-value.js';
import { T } from '../../values/mono-type.js';
import { dictValue } from '../../values/dict-value.js';
import {
  bytesValue,
  durationValue,
  intValue,
  recordValue,
  stringValue,
  type Value,
} from '../../values/value.js';
import { HTTP_CLIENT, fetchHttpClient, type HttpClient, type HttpRequest } from './http-client.js';

function client(args: Args): HttpClient {
  return args.ctx.external(HTTP_CLIENT) ?? fetchHttpClient;
}

async function send(args: Args, request: Omit<HttpRequest, 'signal'>) {
  try {
    return await client(args).send({ ...request, signal: args.ctx.signal });
  } catch (e) {
    throw new CallError(`${request.method} ${request.url}: ${e instanceof Error ? e.message : String(e)}`);
  }
}

/** `http.post(url, headers, data)`: the response status code. */
const post: BuiltinSpec = {
  signature: '(url: string, ?headers: A, ?data: bytes) => int',
  async call(args) {
    const headers = new Map<string, string>();
    const h = args.get('headers');
    if (h !== undefined && h.kind === 'record') for (const [k, v] of h.fields) if (v.kind !== 'null') headers.set(k, stringOf(v));
    const data = args.get('data');
    const body = data?.kind === 'bytes' ? data.value : new Uint8Array(0);
    const res = await send(args, { method: 'POST', url: args.string('url'), headers, body, timeoutMs: 0, insecureSkipVerify: false });
    return intValue(BigInt(res.statusCode));
  },
};

/** `http.basicAuth(u, p)`: the value of an Authorization header for HTTP basic auth. */
const basicAuth: BuiltinSpec = {
  signature: '(u: string, p: string) => string',
  call: (args) => stringValue(`Basic ${Buffer.from(`${args.string('u')}:${args.string('p')}`).toString('base64')}`),
};

/**
 * `http.pathEscape(inputString)`: escapes a string for use as one URL path segment, as Go's
 * url.PathEscape: unreserved characters and `$&+:=@` stay, everything else is %XX (UTF-8).
 */
export function pathEscape(s: string): string {
  let out = '';
  for (const byte of Buffer.from(s, 'utf8')) {
    const c = String.fromCharCode(byte);
    out += /[A-Za-z0-9\-_.~$&+:=@]/.test(c) ? c : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

const pathEscapeFn: BuiltinSpec = {
  signature: '(inputString: string) => string',
  call: (args) => stringValue(pathEscape(args.string('inputString'))),
};

const httpSource = `
import "experimental"

endpoint = (url) => (mapFn) => (tables=<-) =>
    tables
        |> map(
            fn: (r) => {
                req = mapFn(r: r)
                status = post(url: url, headers: req.headers, data: req.data)

                return {r with _status: string(v: status), _sent: string(v: status == 200)}
            },
        )
        |> experimental.group(mode: "extend", columns: ["_sent"])
`;

export const httpPackage: PackageDef = { path: 'http', builtins: { post, basicAuth, pathEscape: pathEscapeFn }, source: httpSource };

/** `http/requests._do`: one request; the response as {statusCode, body, headers, duration}. */
const doRequest: BuiltinSpec = {
  signature:
    '(method: string, url: string, ?params: [string:[string]], ?headers: [string:string], ?body: bytes, config: {A with timeout: duration, insecureSkipVerify: bool}) => {statusCode: int, body: bytes, headers: [string:string], duration: duration}',
  async call(args) {
    const url = new URL(args.string('url'));
    const params = args.get('params');
    if (params?.kind === 'dict') {
      for (const [k, vs] of params.entries) {
        if (vs.kind !== 'array') continue;
        for (const v of vs.elements) url.searchParams.append(stringOf(k), stringOf(v));
      }
    }
    const headers = new Map<string, string>();
    const h = args.get('headers');
    if (h?.kind === 'dict') for (const [k, v] of h.entries) headers.set(stringOf(k), stringOf(v));
    const b = args.get('body');
    const config = args.record('config');
    const timeout = config.fields.get('timeout');
    const skip = config.fields.get('insecureSkipVerify');
    const res = await send(args, {
      method: args.string('method').toUpperCase(),
      url: url.toString(),
      headers,
      body: b?.kind === 'bytes' ? b.value : new Uint8Array(0),
      timeoutMs: timeout?.kind === 'duration' ? Number(timeout.value.nanoseconds / 1_000_000n) : 0,
      insecureSkipVerify: skip?.kind === 'bool' && skip.value,
    });
    const headerEntries: [Value, Value][] = [...res.headers].map(([k, v]) => [stringValue(k), stringValue(v)]);
    return recordValue({
      statusCode: intValue(BigInt(res.statusCode)),
      body: bytesValue(res.body),
      headers: dictValue(T.string, T.string, headerEntries),
      duration: durationValue(durationFromNs(res.durationNs)),
    });
  },
};

const requestsSource = `
import "array"

_noBody = bytes(v: "")

option defaultConfig = {timeout: 0s, insecureSkipVerify: false}

do = (method, url, params=[:], headers=[:], body=_noBody, config=defaultConfig) =>
    _do(method: method, url: url, params: params, headers: headers, body: body, config: config)
get = (url, params=[:], headers=[:], body=_noBody, config=defaultConfig) =>
    do(method: "GET", url: url, params: params, headers: headers, body: body, config: config)
post = (url, params=[:], headers=[:], body=_noBody, config=defaultConfig) =>
    do(method: "POST", url: url, params: params, headers: headers, body: body, config: config)

peek = (response) =>
    array.from(
        rows: [
            {
                statusCode: response.statusCode,
                body: string(v: response.body),
                headers: display(v: response.headers),
                duration: int(v: response.duration),
            },
        ],
    )
`;

export const httpRequestsPackage: PackageDef = { path: 'http/requests', builtins: { _do: doRequest }, source: requestsSource };

