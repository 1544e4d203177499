import type { Writable } from 'node:stream';
import { constants as zlibConstants, createGzip } from 'node:zlib';
import { ErrorCode, invalid, isSluiceError, SluiceError } from '../../core/errors.js';
import { parseRfc3339Ns } from '../../core/time.js';
import { dialectFromJson, PLAIN_DIALECT, type CsvByteSink, type CsvDialect } from '../../flux/csv/index.js';
import { resolveNames } from '../../flux/semantic/index.js';
import { parse } from '../../flux/syntax/parser.js';
import { externSource } from '../../query/extern-source.js';
import { paramsRecord } from '../../query/query-params.js';
import type { QueryService } from '../../query/query-service.js';
import type { RecordValue } from '../../flux/values/value.js';
import type { RequestContext, RouteDef } from '../api-context.js';
import { readBody } from '../request-body.js';
import { ALREADY_SENT, json, noContent, type Reply } from '../reply.js';
import { orgFromQuery } from '../tenant-params.js';
import { responseSink } from './query-response-sink.js';

/** `POST /api/v2/query` (Flux over stored data), `/api/v2/query/ast` and `/api/v2/query/analyze` (reference §3). */
export function queryRoutes(service: QueryService): RouteDef[] {
  return [
    { method: 'POST', path: '/api/v2/query', auth: 'token', handler: (ctx) => postQuery(ctx, service) },
    { method: 'POST', path: '/api/v2/query/ast', auth: 'token', handler: postAst },
    { method: 'POST', path: '/api/v2/query/analyze', auth: 'token', handler: (ctx) => postAnalyze(ctx, service) },
    { method: 'GET', path: '/api/v2/query/suggestions', auth: 'token', handler: () => json(200, { funcs: suggestions(service) }) },
    {
      method: 'GET',
      path: '/api/v2/query/suggestions/:name',
      auth: 'token',
      handler: (ctx) => {
        const f = suggestions(service).find((x) => x.name === ctx.params['name']);
        if (f === undefined) throw new SluiceError(ErrorCode.NotFound, `function ${String(ctx.params['name'])} not found`);
        return json(200, f);
      },
    },
  ];
}

interface ParsedQueryRequest {
  query: string;
  extern: string | undefined;
  dialect: CsvDialect;
  nowNs: bigint | undefined;
  params: RecordValue | undefined;
}

/** InfluxDB reports every request problem as `failed to decode request body: …` (400). */
function decodeError(e: unknown): SluiceError {
  const message = e instanceof Error ? e.message : String(e);
  return invalid(`failed to decode request body: ${message}`, { cause: e });
}

async function postQuery(ctx: RequestContext, service: QueryService): Promise<Reply> {
  const auth = ctx.auth;
  let org;
  try {
    org = orgFromQuery(ctx.deps.meta, ctx.query);
  } catch (e) {
    throw decodeError(e);
  }
  if (org === undefined) throw decodeError(new Error('Please provide either orgID or org'));
  const body = await readBody(ctx.req, ctx.deps.options.maxBodyBytes);
  const request = parseQueryBody(ctx.req.headers['content-type'], body);
  const prefer = String(ctx.req.headers['prefer'] ?? '').toLowerCase();
  const noContentWanted = prefer.includes('return-no-content');

  const { res } = ctx;
  const ac = new AbortController();
  // The client going away cancels the query (storage reads and transformations check the signal).
  const gone = (): SluiceError => new SluiceError(ErrorCode.Canceled, 'query canceled: the client closed the connection');
  const onClose = (): void => {
    if (!res.writableFinished) ac.abort(gone());
  };
  res.once('close', onClose);
  // A client that goes away while nothing is written yet (a query gathering all its input before
  // its first table) is seen as the end of its socket's input: Node keeps a half-closed socket
  // open for the response, and only a write would fail. Go's server, InfluxDB's, cancels then too.
  const socket = ctx.req.socket;
  socket.once('end', onClose);
  // Gzip when the client accepts it (InfluxDB wraps the query handler in a gzip handler).
  const gzip = /\bgzip\b/i.test(String(ctx.req.headers['accept-encoding'] ?? '')) && !noContentWanted;
  let out: Writable | undefined;
  const start = (): Writable => {
    if (out !== undefined) return out;
    res.statusCode = 200;
    res.setHeader('content-type', 'text/csv; charset=utf-8');
    if (gzip) {
      res.setHeader('content-encoding', 'gzip');
      // Fastest level: about twice the speed of the default for 5% more bytes, and for large
      // results compression, not encoding, would otherwise bound the response rate.
      const z = createGzip({ level: zlibConstants.Z_BEST_SPEED });
      z.on('error', () => res.destroy());
      z.pipe(res);
      out = z;
    } else {
      out = res;
    }
    return out;
  };
  const streamed = responseSink(start, res, gone);
  const sink: CsvByteSink = noContentWanted ? { bytes: () => undefined } : streamed;
  try {
    const outcome = await service.execute(
      {
        query: request.query,
        org,
        auth,
        nowNs: request.nowNs ?? ctx.deps.clock.nowNs(),
        ...(request.params === undefined ? {} : { params: request.params }),
        ...(request.extern === undefined ? {} : { extern: request.extern }),
        dialect: request.dialect,
        signal: ac.signal,
      },
      sink,
    );
    if (noContentWanted) {
      if (outcome.error !== undefined && prefer.includes('with-error')) throw outcome.error;
      return noContent();
    }
  } finally {
    res.off('close', onClose);
    socket.off('end', onClose);
  }
  streamed.flush();
  start().end();
  return ALREADY_SENT;
}

/** The body as JSON (`application/json` or no Content-Type) or raw Flux (`application/vnd.flux`). */
export function parseQueryBody(contentType: string | undefined, body: Buffer): ParsedQueryRequest {
  const mediaType = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  if (mediaType === 'application/vnd.flux') {
    return { query: body.toString('utf8'), extern: undefined, dialect: PLAIN_DIALECT, nowNs: undefined, params: undefined };
  }
  if (mediaType !== '' && mediaType !== 'application/json') {
    throw invalid(`failed to decode request body: unsupported media type "${mediaType}"`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(body.toString('utf8'));
  } catch (e) {
    throw decodeError(e);
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw decodeError(new Error('expected a JSON object'));
  const o = raw as Record<string, unknown>;
  const type = o['type'] ?? 'flux';
  if (type !== 'flux') throw decodeError(new Error(`unknown query type: ${String(type)}`));
  const query = o['query'];
  if (query === undefined || query === null || query === '') {
    if (o['ast'] !== undefined && o['ast'] !== null) throw decodeError(new Error('queries given as an AST are not supported; send the Flux source as query'));
    throw decodeError(new Error('request body requires either query or AST'));
  }
  if (typeof query !== 'string') throw decodeError(new Error('query must be a string'));
  try {
    const dialect = o['dialect'] === undefined ? PLAIN_DIALECT : dialectFromJson(o['dialect']);
    const now = o['now'];
    const nowNs = now === undefined || now === null || now === '' ? undefined : parseRfc3339Ns(String(now));
    const extern = o['extern'] === undefined || o['extern'] === null ? undefined : externSource(o['extern']);
    return { query, extern, dialect, nowNs, params: paramsRecord(o['params']) };
  } catch (e) {
    throw isSluiceError(e) ? decodeError(e) : e;
  }
}

function queryOfJson(body: Buffer): string {
  let raw: unknown;
  try {
    raw = JSON.parse(body.toString('utf8'));
  } catch {
    throw invalid('invalid json');
  }
  const q = (raw as Record<string, unknown> | null)?.['query'];
  if (typeof q !== 'string') throw invalid('invalid json: query must be a string');
  return q;
}

/** `{"ast": {type: "Package", files: [...]}}`: our AST, with 64-bit integers as decimal strings. */
async function postAst(ctx: RequestContext): Promise<Reply> {
  const q = queryOfJson(await readBody(ctx.req, ctx.deps.options.maxBodyBytes));
  const { file } = parse(q);
  const text = JSON.stringify({ type: 'Package', package: 'main', files: [file] }, (_k, v: unknown) =>
    typeof v === 'bigint' ? v.toString() : v,
  );
  return json(200, { ast: JSON.parse(text) as unknown });
}

/** The prelude's functions, for editors' autocompletion (names only: parameters are not listed). */
function suggestions(service: QueryService): { name: string; params: Record<string, string> }[] {
  return service.registry
    .exportsOf('universe')
    .filter((n) => !n.startsWith('_'))
    .sort()
    .map((name) => ({ name, params: {} }));
}

/** `{"errors": [{line, column, character, message}]}`: syntax and name errors, `[]` when the query is fine. */
async function postAnalyze(ctx: RequestContext, service: QueryService): Promise<Reply> {
  const q = queryOfJson(await readBody(ctx.req, ctx.deps.options.maxBodyBytes));
  const { file, diagnostics } = parse(q);
  const all = diagnostics.length > 0 ? diagnostics : resolveNames(file, service.registry.scopeDescription());
  return json(200, {
    errors: all.map((d) => ({ line: d.loc.start.line, column: d.loc.start.column, character: 0, message: d.message })),
  });
}

