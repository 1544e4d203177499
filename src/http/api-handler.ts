import type { IncomingMessage, ServerResponse } from 'node:http';
import { ErrorCode, SluiceError } from '../core/errors.js';
import type { ApiDeps, Handler, RequestContext, RouteAuth, RouteDef } from './api-context.js';
import { authenticateRequest, type Authorizer } from './authorizer.js';
import { translateError } from './error-translator.js';
import { sendReply } from './reply.js';
import { Router } from './router.js';

interface RouteEntry {
  handler: Handler;
  auth: RouteAuth;
  alwaysAvailable: boolean;
}

const UNMATCHED_ROUTE = 'unmatched';

/**
 * Builds the request listener: routing, CORS, lifecycle gating (503 while starting/stopping),
 * authentication, error translation, per-request logging and metrics. A handler failure of any
 * kind ends as a JSON error response; nothing a client sends can throw out of here.
 */
export function createApiHandler(deps: ApiDeps, routes: readonly RouteDef[]): (req: IncomingMessage, res: ServerResponse) => void {
  const router = new Router<RouteEntry>();
  for (const r of routes) {
    router.add(r.method, r.path, { handler: r.handler, auth: r.auth, alwaysAvailable: r.alwaysAvailable === true });
  }

  return (req, res) => {
    const startNs = process.hrtime.bigint();
    let route = UNMATCHED_ROUTE;
    // A client that resets the connection mid-body makes `req` emit 'error'; whoever reads the
    // body sees it too, but an unread body must not turn it into an uncaught exception.
    req.on('error', (e) => deps.logger.debug({ err: e, path: pathOf(req.url) }, 'request stream error'));
    res.on('error', (e) => deps.logger.debug({ err: e, path: pathOf(req.url) }, 'response stream error'));
    res.setHeader('x-influxdb-version', deps.options.version);
    res.setHeader('x-influxdb-build', 'OSS');
    res.on('finish', () => {
      const seconds = Number(process.hrtime.bigint() - startNs) / 1e9;
      const method = req.method ?? 'GET';
      deps.metrics.httpRequests.inc({ route, method, status: String(res.statusCode) });
      deps.metrics.httpDuration.observe({ route, method }, seconds);
      deps.logger.debug(
        { method, route, path: pathOf(req.url), status: res.statusCode, durationMs: Math.round(seconds * 1e6) / 1e3 },
        'request',
      );
    });

    const fail = (e: unknown): void => {
      const t = translateError(e);
      if (t.serverFault) {
        deps.logger.error({ err: e, method: req.method, route, path: pathOf(req.url) }, 'request failed');
      }
      if (res.headersSent) {
        // A streamed response broke mid-way: the status is gone; cut the connection so the
        // client sees a truncated body rather than a complete-looking one.
        res.destroy();
        return;
      }
      // A body we did not read is drained by node:http (or by readBody after refusing it), so
      // the connection stays usable and the client sees this answer rather than a reset.
      sendReply(res, { status: t.status, json: t.body, headers: t.headers }, req.method === 'HEAD');
    };

    try {
      const url = parseUrl(req.url);
      const origin = req.headers.origin;
      if (origin !== undefined) {
        res.setHeader('access-control-allow-origin', origin);
        res.setHeader('vary', 'Origin');
        if (req.method === 'OPTIONS') {
          res.setHeader('access-control-allow-methods', 'GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS');
          res.setHeader('access-control-allow-headers', 'Authorization, Content-Type, Content-Encoding, Accept, User-Agent');
          res.statusCode = 204;
          res.end();
          return;
        }
      }
      const found = router.find(req.method ?? 'GET', url.pathname);
      if (found.kind === 'not found') throw new SluiceError(ErrorCode.NotFound, 'path not found');
      route = found.pattern;
      if (found.kind === 'method not allowed') {
        throw new SluiceError(ErrorCode.MethodNotAllowed, `allow: ${found.allow.join(', ')}`, { details: { allow: found.allow } });
      }
      const entry = found.handler;
      if (deps.lifecycle.state !== 'ready' && !entry.alwaysAvailable) {
        if (deps.lifecycle.state === 'stopping') res.setHeader('connection', 'close');
        throw new SluiceError(
          ErrorCode.Unavailable,
          deps.lifecycle.state === 'starting' ? 'sluice is starting' : 'sluice is shutting down',
          { details: { retryAfterSeconds: 1 } },
        );
      }
      let authorizer: Authorizer | undefined;
      if (entry.auth === 'token' || (entry.auth === 'metrics' && deps.options.metricsRequireAuth)) {
        authorizer = authenticateRequest(deps.meta, req.headers);
      }
      const ctx: RequestContext = {
        req,
        res,
        params: found.params,
        query: url.searchParams,
        deps,
        get auth(): Authorizer {
          if (authorizer === undefined) throw new SluiceError(ErrorCode.Unauthorized, 'unauthorized access');
          return authorizer;
        },
      };
      const result = entry.handler(ctx);
      if (result instanceof Promise) {
        // `catch` after `then`: a failure while sending the reply is handled too, never left as
        // an unhandled rejection (which would end the process).
        result.then((reply) => sendReply(res, reply, req.method === 'HEAD')).catch(fail);
      } else {
        sendReply(res, result, req.method === 'HEAD');
      }
    } catch (e) {
      fail(e);
    }
  };
}

function parseUrl(raw: string | undefined): URL {
  try {
    return new URL(raw ?? '/', 'http://sluice.invalid');
  } catch (e) {
    throw new SluiceError(ErrorCode.Invalid, 'invalid request URL', { cause: e });
  }
}

/** The path without the query string: query strings can carry v1 credentials (`u`, `p`). */
function pathOf(url: string | undefined): string {
  const s = url ?? '/';
  const q = s.indexOf('?');
  return q < 0 ? s : s.slice(0, q);
}
